// Public API of src/contrast: one export line per file (queue-mirror.ts is the criterion's internal;
// flattenRows and selectExtreme are argument and selection helpers, imported by file).
export {
  ClassBalancedQueue,
  type ClassBalancedQueueOptions,
  type ClassBalancedQueueState,
} from './class-balanced-queue';
export * from './effective-number';
export {
  HardPairMiner,
  mineHardPairsFromSimilarities,
  type HardPairMinerOptions,
  type MineFromSimilaritiesOptions,
  type MinedPairs,
} from './hard-pair-miner';
export * from './device-mining';
