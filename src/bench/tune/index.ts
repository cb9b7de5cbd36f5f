// Public API of src/bench/tune: one export line per file.
export * from './variants';
export * from './plan';
export * from './score';
export * from './options';
export * from './run';
export * from './saved';
