/**
 * Atomic writes for checkpoints and logs: content goes to a temporary sibling first and is renamed
 * into place, so a crash (or a kill) mid-write never leaves a half-written file or folder under the
 * final name. Renaming within one folder is atomic on POSIX file systems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Write `data` to `file` via `file.tmp-<pid>-<n>` and rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Create the folder `finalDir` by letting `fill(tmpDir)` write into a fresh temporary sibling, then
 * renaming it. `finalDir` must not exist yet (checkpoint folders are named per epoch).
 */
export async function writeDirAtomic(finalDir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(finalDir)) throw new Error(`writeDirAtomic: '${finalDir}' already exists`);
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(finalDir)}.tmp-`));
  try {
    await fill(tmp);
    fs.renameSync(tmp, finalDir);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

let counter = 0;
