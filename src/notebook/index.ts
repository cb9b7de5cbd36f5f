// Public API of src/notebook: notebook file format, cleaning, exercises, execution and grading.
export * from './format';
export * from './clean';
export * from './check';
export * from './quick-mode';
export * from './exercise';
export * from './kernel';
export * from './execute';
export * from './grade';
export * from './exercise-files';
export * from './image-grid';
export * from './show-table';
export * from './show-figure';
