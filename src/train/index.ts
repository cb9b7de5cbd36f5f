// Public API of src/train: one export line per file.
export {};
