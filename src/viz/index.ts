// Public API of src/viz: one export line per file.
export * from './figure';
export * from './method-colors';
export * from './protocol-figure';
export * from './power-figure';
export * from './figures-data';
export * from './figures-eval';
export * from './figures-analysis';
export * from './training-log';
export * from './training-curves';
export * from './text-table';
export { PLOTLY_MIME, showFigure, type FigureLike, type RawDisplay, type ShowFigureOptions } from './show';
export * from './html-report';
export * from './simulation-report';
export * from './run-report';
