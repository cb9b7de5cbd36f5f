// Public API of src/losses: one export line per file.
export {};
