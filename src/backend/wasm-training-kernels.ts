/**
 * Kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks (or runs as scalar loops) for training,
 * registered for 'wasm' from ops that wasm runs fast. See ../../shared ENVIRONMENT notes.
 * TODO(foundation): Conv2DBackpropFilter, Conv2DBackpropInput, UnsortedSegmentSum.
 */
export function registerWasmTrainingKernels(): string[] {
  return [];
}
