// Public API of src/analysis: one export line per file.
export {};
