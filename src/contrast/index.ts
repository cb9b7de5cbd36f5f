// Public API of src/contrast: one export line per file.
export * from './class-balanced-queue';
export * from './effective-number';
export * from './hard-pair-miner';
export * from './device-mining';
export * from './queue-mirror';
