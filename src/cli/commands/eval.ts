import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a checkpoint: top-1, top-5, Many/Medium/Few, per-class results',
  help: '',
  async run() {
    console.error('rescom eval: not implemented yet');
    return 1;
  },
};
