import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const gradeCommand: Command = {
  name: 'grade',
  summary: 'execute a completed exercise notebook and print each check and the score',
  help: '',
  async run() {
    console.error('rescom grade: not implemented yet');
    return 1;
  },
};
