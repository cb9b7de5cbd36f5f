import type { Command } from '../command';
import { selectBackend, type BackendName } from '../../backend';
import { parseOptions } from '../parse-options';

export const backendCommand: Command = {
  name: 'backend',
  summary: 'select the TensorFlow.js backend and print its one-line report, and why the others were passed over',
  help: '  --backend NAME   auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)',
  async run(args) {
    const { values } = parseOptions<{ backend?: string }>('backend', args, { backend: { type: 'string' } });
    const info = await selectBackend(values.backend ? { backend: values.backend as BackendName } : {});
    // Other commands select quietly; here the reasons are the point (e.g. a missing Vulkan loader).
    for (const reason of info.skipped ?? []) console.log(`  not ${reason}`);
    return 0;
  },
};
