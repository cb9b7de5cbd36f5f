import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'the dual class-imbalance simulation (pair-frequency heat map, Monte Carlo batches)',
  help: '',
  async run() {
    console.error('rescom simulate: not implemented yet');
    return 1;
  },
};
