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
export * from './live-figure';
// The one showFigure lives in src/viz/show.ts; notebooks import it with their other helpers.
export { showFigure } from '../viz/show';
export * from './hidden-tests';
// The grader (grader.ts, gradebook.ts, hidden-run.ts, hidden/) is imported from its own modules:
// it loads TypeScript's compiler, which notebooks importing these helpers do not need.
