// Public API of src/configs: one export line per file.
export {};
