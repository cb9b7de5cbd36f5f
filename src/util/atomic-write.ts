/**
 * Atomic writes: content goes to a temporary sibling first and is renamed into place, so a crash
 * (or a kill) mid-write never leaves a half-written checkpoint, dataset, download or report under
 * the final name. A rename within one folder is atomic on POSIX file systems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** A temporary path in the same folder as `file` (same file system, so the rename is atomic). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${(counter++).toString(36)}.part`);
}

/** Write `data` to `file` through a temporary file and a rename; creates the folder if needed. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw withPath(error, file);
  }
}

/**
 * A file-system error (ENOSPC from a write names no file) given the final path it was writing, so
 * that its message can name what the user asked for, not a temporary (src/cli/error-line.ts).
 */
function withPath(error: unknown, file: string): unknown {
  const e = error as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && (!e.path || /\.part$|\.tmp-/.test(e.path)))
    e.path = file;
  return error;
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
    throw withPath(error, finalDir);
  }
}

/**
 * Remove the temporaries (`.NAME.<pid>.<n>.part`, see `tempPathFor`) that a process killed while
 * writing `file` left beside it. Those of processes still alive are kept. Returns the removed paths.
 */
export function removeStaleTemporaries(file: string): string[] {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) return [];
  const prefix = `.${path.basename(file)}.`;
  const removed: string[] = [];
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.part')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    removed.push(path.join(dir, entry));
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
