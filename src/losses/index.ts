// Public API of src/losses: one export line per file.
export * from './checks';
export * from './classifier-loss';
export * from './contrastive-gradients';
export * from './criterion';
export * from './cross-entropy';
export * from './focal';
export * from './ldam';
export * from './logit-adjusted';
export * from './methods';
export * from './rescom';
export * from './supcon';
export * from './parity';
