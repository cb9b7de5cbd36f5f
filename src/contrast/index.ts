// Public API of src/contrast: one export line per file (queue-mirror.ts is the criterion's internal).
export * from './class-balanced-queue';
export * from './effective-number';
export * from './hard-pair-miner';
export * from './device-mining';
