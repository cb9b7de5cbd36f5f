// Public API of src/losses: one export line per file. Not exported: the argument checks (checks.ts)
// and the PyTorch parity plumbing (parity.ts, used by `rescom parity`); import those by file.
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
