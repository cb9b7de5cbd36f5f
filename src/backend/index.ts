export * from './select';
export { registerWasmTrainingKernels } from './wasm-training-kernels';
export { prepareWebGpu, releaseWebGpu, type WebGpuOptions } from './webgpu';
