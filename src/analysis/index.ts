// Public API of src/analysis: one export line per file.
export * from './pair-frequency';
export * from './batch-simulation';
export * from './gradient-decoupling';
export * from './positive-similarity';
export * from './embedding';
export * from './representation';
