// Public API of src/viz: one export line per file.
export {};
