/** WebGPU through Dawn's Node bindings (npm `webgpu`). TODO(issue 9). */
export async function prepareWebGpu(): Promise<string> {
  return 'the webgpu backend is not set up yet';
}
