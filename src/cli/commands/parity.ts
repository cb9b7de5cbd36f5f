import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const parityCommand: Command = {
  name: 'parity',
  summary: 'check the ResCom loss and queue update on one JSON case (prints cls_loss, con_loss, loss, queue_after)',
  help: '',
  async run() {
    console.error('rescom parity: not implemented yet');
    return 1;
  },
};
