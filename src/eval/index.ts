// Public API of src/eval: one export line per file.
export * from './scores';
export * from './topk';
export * from './per-class';
export * from './confusion';
export * from './shot-groups';
export * from './group-accuracy';
export * from './calibration';
export * from './evaluate';
export * from './frames';
export * from './predict';
