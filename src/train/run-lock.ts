/**
 * One writer per run folder: `RUN/rescom.lock`, a small JSON file naming its holder (pid, host,
 * start time, command), created with an exclusive link before the command writes anything else
 * into the folder, removed when it is done (also on `process.exit`, Ctrl-C and a failed command).
 *
 * - A second writer is refused in one line naming the holder.
 * - A stale lock (its pid is gone on this host, or was reused by another process: the start time
 *   in /proc differs) is taken over with a note. A lock from another host cannot be checked: it is
 *   refused, saying how to remove it.
 * - The lock also tells readers when the folder is consistent: the writer raises `generation` and
 *   sets `writing` around every group of writes (checkpoint + log line, results), and
 *   `readRunConsistently` (run-read.ts) retries a read that overlapped one.
 *
 * The pattern is the lock file of package managers (npm's and apt's lock files: a file whose holder
 * is recorded, stale ones detected by pid); Node has no fcntl/flock, so exclusivity comes from
 * `link(2)`, which fails when the name exists, and the content is complete before the link.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const LOCK_FILE = 'rescom.lock';
const FORMAT = 'rescom-lock/1';

/** What a lock file holds. */
export interface LockInfo {
  format: typeof FORMAT;
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  started: string;
  /** The holder's start time in clock ticks after boot (/proc/PID/stat field 22), to detect pid reuse; null off Linux. */
  processStart: number | null;
  /** What holds it, e.g. `rescom train`. */
  command: string;
  /** Raised by every group of writes (see `RunLock.write`). */
  generation: number;
  /** True while a group of writes is under way: the folder may be inconsistent. */
  writing: boolean;
}

/** A held lock. */
export interface RunLock {
  readonly runDir: string;
  readonly file: string;
  /**
   * Runs `fn` (synchronous or not) as one group of writes: readers see the folder as it was before
   * or after, never in between (they retry). Nested calls count as one group.
   */
  write<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Releases the lock (idempotent); removes the run folder too when this lock created it and it is empty. */
  release(): void;
}

/** The start time of process `pid` in clock ticks after boot, or null where /proc cannot tell. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether the holder of `info` is still running: 'alive', 'gone', or 'unknown' (another host). */
export function lockHolderState(info: LockInfo): 'alive' | 'gone' | 'unknown' {
  if (info.host !== os.hostname()) return 'unknown';
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  // The pid is in use; by the holder, unless it was reused (a different start time).
  const now = processStartTicks(info.pid);
  return info.processStart !== null && now !== null && now !== info.processStart ? 'gone' : 'alive';
}

/** The lock file of `runDir` as read now, or null when there is none (or it cannot be parsed). */
export function readLock(runDir: string): LockInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(runDir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return info && info.format === FORMAT && Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** `pid 123 on host h since 2026-12-07T10:00:00Z (rescom train)`. */
export function describeHolder(info: LockInfo): string {
  return `pid ${info.pid} on host ${info.host} since ${info.started} (${info.command})`;
}

function refusal(who: string, runDir: string, holder: LockInfo, state: 'alive' | 'gone' | 'unknown'): string {
  const file = path.join(runDir, LOCK_FILE);
  return `${who}: run folder '${runDir}' is being written by ${describeHolder(holder)}; wait for it to finish or choose another folder${state === 'unknown' ? ` (if that process is gone, remove '${file}')` : ''}`;
}

/**
 * Throws (one line naming the holder) when a live process other than this one holds the lock of
 * `runDir`; creates nothing. For an early check before the data is read.
 */
export function checkRunLockFree(runDir: string, who: string): void {
  if (held.has(path.resolve(runDir))) return;
  const holder = readLock(runDir);
  const file = path.join(runDir, LOCK_FILE);
  if (!holder && fs.existsSync(file))
    throw new Error(
      `${who}: run folder '${runDir}' has a lock file '${file}' that cannot be read; if no rescom command is writing there, remove it`,
    );
  if (!holder) return;
  const state = lockHolderState(holder);
  if (state !== 'gone') throw new Error(refusal(who, runDir, holder, state));
}

/** Locks held by this process, by resolved folder (a nested acquire shares the lock). */
const held = new Map<string, { lock: RunLock; count: number }>();

export interface AcquireRunLockOptions {
  runDir: string;
  /** What takes it (shown to a refused second writer), e.g. `rescom train`. */
  command: string;
  /** Notes (a stale lock taken over); default stderr. */
  log?: ((line: string) => void) | null;
  /** Who reports a refusal (the error's prefix). Default `acquireRunLock`. */
  who?: string;
}

/**
 * Takes the lock of `runDir` (creating the folder), or throws one line naming the holder. The same
 * process may acquire it again (the lock is shared; released with the last `release`).
 */
export function acquireRunLock(options: AcquireRunLockOptions): RunLock {
  const { runDir, command, who = 'acquireRunLock' } = options;
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  const key = path.resolve(runDir);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return sharedHandle(key, mine.lock);
  }
  const created = createFolders(key);
  const file = path.join(key, LOCK_FILE);
  const info: LockInfo = {
    format: FORMAT,
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    processStart: processStartTicks(process.pid),
    command,
    generation: 0,
    writing: false,
  };
  try {
    for (let attempt = 0; ; attempt++) {
      if (linkLockFile(file, info)) break;
      const holder = readLock(key);
      // A lock is linked complete, so an unreadable one is not being created: it is damaged.
      if (!holder)
        throw new Error(
          `${who}: run folder '${runDir}' has a lock file '${file}' that cannot be read; if no rescom command is writing there, remove it`,
        );
      const state = lockHolderState(holder);
      if (state !== 'gone' || attempt >= 3) throw new Error(refusal(who, runDir, holder, state));
      if (takeOverStale(file, holder)) log?.(`took over the lock of ${describeHolder(holder)}: that process is gone`);
    }
  } catch (error) {
    removeCreated(created);
    throw error;
  }
  const lock = ownLock(key, file, info, created);
  held.set(key, { lock, count: 1 });
  return sharedHandle(key, lock);
}

/** Creates `dir` and its missing parents; returns those it created, deepest first. */
function createFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  fs.mkdirSync(dir, { recursive: true });
  return missing;
}

/** Removes the folders in `created` (deepest first) that are empty. */
function removeCreated(created: string[]): void {
  for (const d of created) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty (someone wrote there) or already gone
    }
  }
}

/** Writes `info` to a private file and links it to `file`; false when `file` exists. */
function linkLockFile(file: string, info: LockInfo): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info)}\n`);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Removes the stale lock `file` held by `stale`. It is first renamed to a private name: if two
 * processes race for it only one rename succeeds, and the winner checks that it moved the stale
 * lock and not a fresh one taken in between (which it then puts back).
 */
function takeOverStale(file: string, stale: LockInfo): boolean {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // someone else moved it first; try again
  }
  let moved: LockInfo | null = null;
  try {
    moved = JSON.parse(fs.readFileSync(aside, 'utf8')) as LockInfo;
  } catch {
    // unreadable: it was the damaged stale one
  }
  if (moved && (moved.pid !== stale.pid || moved.started !== stale.started)) {
    try {
      fs.linkSync(aside, file); // a live lock taken in between: put it back
    } catch {
      // the name is taken again: that holder is live too; ours is refused on the next attempt
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

function ownLock(key: string, file: string, info: LockInfo, created: string[]): RunLock {
  let depth = 0;
  let released = false;
  const store = () => {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(info)}\n`);
    fs.renameSync(temp, file);
  };
  const onExit = () => lock.release();
  const lock: RunLock = {
    runDir: key,
    file,
    async write(fn) {
      if (depth++ === 0) {
        info.generation++;
        info.writing = true;
        store();
      }
      try {
        return await fn();
      } finally {
        if (--depth === 0 && !released) {
          info.writing = false;
          store();
        }
      }
    },
    release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      held.delete(key);
      const now = readLock(key);
      if (now && now.pid === info.pid && now.started === info.started) fs.rmSync(file, { force: true });
      removeCreated(created);
    },
  };
  process.on('exit', onExit);
  return lock;
}

/** A handle on a lock held by this process: its release drops one reference. */
function sharedHandle(key: string, lock: RunLock): RunLock {
  let done = false;
  return {
    runDir: lock.runDir,
    file: lock.file,
    write: (fn) => lock.write(fn),
    release() {
      if (done) return;
      done = true;
      const entry = held.get(key);
      if (!entry || entry.lock !== lock) return;
      if (--entry.count === 0) lock.release();
    },
  };
}
