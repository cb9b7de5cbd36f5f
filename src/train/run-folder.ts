/**
 * Run-folder safety, checked before any data is read or any epoch runs:
 * - `--resume` needs a checkpoint in the folder, whatever else is given;
 * - a fresh run refuses a folder that already holds a checkpoint, and an existing non-empty folder
 *   that is not a rescom run (its files would be overwritten) unless `force`: a run's files are
 *   recognised by name and content (run-files.ts);
 * - the folder (or the nearest existing parent) must be a writable folder;
 * - temporary files of a write that was interrupted (a kill during a checkpoint) are removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkpointsDir, findCheckpoint } from './checkpoint';
import { foreignRunEntries } from './run-files';
import { checkPathLength } from '../util/path-checks';

export interface PrepareRunFolderOptions {
  runDir: string;
  /**
   * true (the CLI's --resume): continue from the newest intact checkpoint, which must exist.
   * 'if-present': continue when there is one, else start fresh (notebooks, bench:accuracy).
   */
  resume?: boolean | 'if-present';
  /** Accept an existing non-empty folder that is not a run (its config.json / log.jsonl are replaced). */
  force?: boolean;
  /** Where notes go (removed temporaries, checkpoint fallback); default stderr. */
  log?: ((line: string) => void) | null;
  /** Only check, change nothing (no temporaries removed): for the CLI's early check. */
  dryRun?: boolean;
}

/** Returns the checkpoint to resume from (null for a fresh run); throws naming the folder and the option. */
export function prepareRunFolder(options: PrepareRunFolderOptions): { checkpoint: string | null } {
  const { runDir, resume = false, force = false, dryRun = false } = options;
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  const fn = 'prepareRunFolder';
  // Names the file system cannot take, checked now rather than at the first checkpoint (a
  // checkpoint's temporary folder and files add ~100 bytes below the run folder).
  checkPathLength(runDir, fn, '--run-dir', 100);
  const exists = fs.existsSync(runDir);
  if (exists && !fs.statSync(runDir).isDirectory())
    throw new Error(`${fn}: --run-dir '${runDir}' is a file; expected a run folder`);
  checkWritable(runDir);
  if (!dryRun && exists) removeTemporaries(runDir, log);
  const checkpoint = exists ? findCheckpoint(runDir, { log }) : null;
  if (resume === 'if-present' && checkpoint) return { checkpoint };
  if (resume === true) {
    if (!checkpoint)
      throw new Error(
        `${fn}: --resume: no checkpoint in '${runDir}'${exists ? '' : ' (the folder does not exist)'}; start the run without --resume`,
      );
    return { checkpoint };
  }
  if (checkpoint)
    throw new Error(
      `${fn}: '${runDir}' already holds a checkpoint (${checkpoint}); pass --resume to continue it or choose another --run-dir`,
    );
  if (exists && !force) {
    // By name and content: a user's own config.json is not a run's (run-files.ts).
    const foreign = foreignRunEntries(runDir);
    if (foreign.length > 0) {
      throw new Error(
        `${fn}: --run-dir '${runDir}' is a non-empty folder that is not a rescom run (it holds ${foreign
          .slice(0, 3)
          .map((e) => `'${e}'`)
          .join(', ')}${foreign.length > 3 ? ', ...' : ''}); choose a new folder or pass --force`,
      );
    }
  }
  return { checkpoint: null };
}

/** Throws unless `dir` (or, when it does not exist yet, its nearest existing parent) is a writable folder. */
function checkWritable(dir: string): void {
  let probe = path.resolve(dir);
  while (!fs.existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  if (!fs.statSync(probe).isDirectory())
    throw new Error(`prepareRunFolder: --run-dir '${dir}' cannot be created: '${probe}' is a file, not a folder`);
  try {
    fs.accessSync(probe, fs.constants.W_OK);
    // access() says yes to root on read-only mounts; a real file settles it.
    const test = fs.mkdtempSync(path.join(probe, '.rescom-write-test-'));
    fs.rmdirSync(test);
  } catch (error) {
    throw new Error(
      `prepareRunFolder: --run-dir '${dir}' is not writable ('${probe}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** Remove `.NAME.<pid>.<n>.part` files and `.epoch-NNNN.tmp-*` folders left by an interrupted write. */
function removeTemporaries(runDir: string, log: ((line: string) => void) | null): void {
  const removed: string[] = [];
  for (const dir of [runDir, checkpointsDir(runDir)]) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const entry of fs.readdirSync(dir)) {
      if (/^\..+\.part$/.test(entry) || /^\.epoch-\d+(-step-\d+)?\.tmp-/.test(entry)) {
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
        removed.push(path.join(dir, entry));
      }
    }
  }
  if (removed.length > 0)
    log?.(`removed ${removed.length} temporary file(s) of an interrupted write: ${removed.join(', ')}`);
}
