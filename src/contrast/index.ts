// Public API of src/contrast: one export line per file.
export {};
