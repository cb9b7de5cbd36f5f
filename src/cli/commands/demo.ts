import type { Command } from '../command';

// Placeholder until its issue lands; the owner replaces this file.
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job: Balanced Softmax vs ResCom on the embedded Fashion-MNIST-LT, with an HTML report',
  help: '',
  async run() {
    console.error('rescom demo: not implemented yet');
    return 1;
  },
};
