// Public API of src/train: one export line per file (atomic writes are util's; faultPoint, the
// test hook for killed runs, is imported from checkpoint.ts).
export * from './file-io';
export * from './state-codec';
export {
  CHECKPOINT_FORMAT,
  checkpointName,
  checkpointsDir,
  findCheckpoint,
  loadTrainingState,
  loadWeightsInto,
  readCheckpointConfig,
  saveCheckpoint,
  verifyCheckpoint,
  type MidEpochProgress,
  type SaveCheckpointOptions,
  type TrainingState,
} from './checkpoint';
export * from './schedule';
export * from './sgd';
export * from './lean-gradients';
export * from './progress';
export * from './jsonl-log';
export * from './training-data';
export * from './train-step';
export * from './evaluate-split';
export * from './factories';
export * from './random-streams';
export * from './run-state';
export * from './epoch';
export * from './trainer';
export * from './train-in-memory';
export * from './trainer-messages';
export * from './data-for-config';
export * from './results-table';
export * from './evaluate-checkpoint';
export * from './demo-report';
export * from './demo';
export * from './shipped-models';
export * from './run-folder';
export * from './run-lock';
export * from './run-read';
export * from './study-models';
