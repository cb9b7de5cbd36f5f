// Public API of src/configs: one export line per file.
export * from './types';
export * from './schema';
export * from './validate';
export * from './version';
export { applyOverrides, parseAssignment, parseFieldValue } from './overrides';
export * from './registry';
export * from './cifar-lt';
export * from './fashion-mnist-lt';
export * from './large-scale-lt';
export * from './compare';
export * from './cli-args';
export * from './fashion-mnist-lt-ref';
export * from './contrastive-fields';
