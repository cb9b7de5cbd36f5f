import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model with a named method and config',
  help: '',
  async run() {
    console.error('rescom train: not implemented yet');
    return 1;
  },
};
