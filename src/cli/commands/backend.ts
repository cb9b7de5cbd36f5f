import type { Command } from '../command';
import { selectBackend, type BackendName } from '../../backend';

export const backendCommand: Command = {
  name: 'backend',
  summary: 'select the TensorFlow.js backend and print its one-line report',
  help: '  --backend NAME   auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)',
  async run(args) {
    const i = args.indexOf('--backend');
    await selectBackend(i >= 0 ? { backend: args[i + 1] as BackendName } : {});
    return 0;
  },
};
