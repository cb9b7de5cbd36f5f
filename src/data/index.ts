// Public API of src/data: one export line per file.
export * from './types';
