import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const reportCommand: Command = {
  name: 'report',
  summary: 'build the HTML report of a training run directory',
  help: '',
  async run() {
    console.error('rescom report: not implemented yet');
    return 1;
  },
};
