// Public API of src/bench/accuracy: one export line per file.
export * from './options';
export * from './plan';
export * from './aggregate';
export * from './paired';
export * from './run';
export * from './publish';
export * from './protocol';
export * from './saved-tables';
export * from './readme-block';
export * from './evidence';
export * from './power';
export * from './welch';
export * from './reference-code';
export * from './code-by-subset';
export * from './group-contrast';
