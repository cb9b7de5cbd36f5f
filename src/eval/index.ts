// Public API of src/eval: one export line per file.
export {};
