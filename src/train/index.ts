// Public API of src/train: one export line per file.
// Kept for callers of train.writeFileAtomic; the implementation lives in src/util.
export { writeFileAtomic, writeDirAtomic } from '../util/atomic-write';
export * from './file-io';
export * from './state-codec';
export * from './checkpoint';
export * from './schedule';
export * from './sgd';
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
export * from './trainer-messages';
export * from './data-for-config';
export * from './results-table';
export * from './evaluate-checkpoint';
export * from './demo-report';
export * from './demo';
export * from './shipped-models';
export * from './run-folder';
export * from './study-models';
