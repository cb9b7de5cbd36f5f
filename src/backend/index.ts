export * from './select';
export { registerWasmTrainingKernels } from './wasm-training-kernels';
