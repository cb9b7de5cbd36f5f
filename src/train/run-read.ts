/**
 * Reading a run folder that may be being written (`rescom report`, `eval`, `ship` on a training
 * run): the read is repeated until it did not overlap a group of writes, as the writer's lock
 * (run-lock.ts) tells: no writer, or the same holder and `generation` before and after, not
 * `writing`. Without a live writer the folder is read once, as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEnvironmentInteger } from '../util/environment';
import { LOCK_FILE, describeHolder, lockHolderState, readLock } from './run-lock';

export interface ConsistentReadOptions {
  /** Give up after this long (ms) while the writer keeps writing. Default RESCOM_READ_TIMEOUT seconds, else 60. */
  timeoutMs?: number;
  /** Prefix of the error (the function or command). Default `readRunConsistently`. */
  who?: string;
}

/** Blocks the thread for `ms` (the reads are synchronous; a writer is another process). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `read()` of `runDir` in a consistent state: returns its value once a read saw no write of the
 * live writer in between; an error thrown by a read that overlapped a write is retried too.
 */
export function readRunConsistently<T>(runDir: string, read: () => T, options: ConsistentReadOptions = {}): T {
  const { who = 'readRunConsistently' } = options;
  const timeoutMs = options.timeoutMs ?? 1000 * readEnvironmentInteger('RESCOM_READ_TIMEOUT', who, 60);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    const before = readLock(runDir);
    if (!before || lockHolderState(before) === 'gone') {
      const value = read();
      // A writer that started during the read and has written since: read again.
      const after = readLock(runDir);
      if (!after || lockHolderState(after) === 'gone' || (after.generation === 0 && !after.writing)) return value;
      continue;
    }
    if (!before.writing) {
      try {
        const value = read();
        const after = readLock(runDir);
        const same =
          after !== null &&
          after.pid === before.pid &&
          after.started === before.started &&
          after.generation === before.generation &&
          !after.writing;
        if (same) return value;
      } catch (error) {
        lastError = error;
      }
    }
    if (Date.now() > deadline) {
      const why = lastError ? `; last attempt: ${(lastError as Error).message}` : '';
      throw new Error(
        `${who}: run folder '${runDir}' is being written by ${describeHolder(before)} and did not hold still for ${Math.round(timeoutMs / 1000)} s${why}`,
      );
    }
    sleep(50);
  }
}

/**
 * The run folder whose lock guards `location`: a run folder, its `checkpoints/` folder or one
 * checkpoint folder in it (`RUN/checkpoints/epoch-0003`). A checkpoint folder that stands alone is
 * its own.
 */
export function runFolderOf(location: string): string {
  const resolved = path.resolve(location);
  if (fs.existsSync(path.join(resolved, LOCK_FILE)) || fs.existsSync(path.join(resolved, 'checkpoints')))
    return resolved;
  if (path.basename(resolved) === 'checkpoints') return path.dirname(resolved);
  const parent = path.dirname(resolved);
  return path.basename(parent) === 'checkpoints' ? path.dirname(parent) : resolved;
}
