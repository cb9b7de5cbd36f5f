/**
 * Atomic file writes: write a temporary file beside the target, then rename, so a crash never
 * leaves a half-written dataset, manifest or download behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A temporary path in the same folder as `file` (same file system, so rename is atomic). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.part`);
}

/** Writes `data` to `file` through a temporary file and a rename; creates the folder if needed. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
