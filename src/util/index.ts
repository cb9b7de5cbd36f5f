// Public API of src/util: one export line per file.
export * from './rng';
export * from './atomic-write';
export * from './read-file';
export * from './native-addon';
