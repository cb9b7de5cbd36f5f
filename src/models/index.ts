// Public API of src/models: one export line per file.
export {};
