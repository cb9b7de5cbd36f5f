/**
 * Only our files are ours: before a command writes an output path that already exists, it checks
 * that the file there is one the command itself writes (a report it wrote before, its own JSON),
 * and otherwise refuses in one line naming the option and the path. `rescom report --out
 * RUN/log.jsonl` used to replace a training log with HTML.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPathLength } from './path-checks';

export interface OwnOutputCheck {
  /** The function or command that writes (the error's prefix). */
  who: string;
  /** The option the path came from, e.g. `--out`. */
  option: string;
  /** What the command writes there, in words: `an HTML report written by rescom`. */
  what: string;
  /** Whether the existing file at the path is such an output. */
  isOurs(file: string): boolean;
}

/**
 * Throws unless `file` can be written and does not exist or holds what `check` writes: a name too
 * long, a parent that is a file, a folder, a link or another file are refused. Creates nothing.
 */
export function checkOwnOutput(file: string, check: OwnOutputCheck): void {
  checkPathLength(file, check.who, check.option);
  checkOutputFolder(path.dirname(path.resolve(file)), check.who, check.option, file);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return; // nothing there yet (a path that cannot be created fails when written, naming it)
  }
  const where = `${check.who}: ${check.option} '${file}'`;
  if (stat.isDirectory()) throw new Error(`${where} is a folder; expected the path of ${check.what}`);
  if (!stat.isFile() || !check.isOurs(file))
    throw new Error(`${where} exists and is not ${check.what}; choose another path or remove that file first`);
}

/**
 * Throws unless `dir` is a folder or does not exist yet (then the nearest existing parent must be a
 * folder): `option` names where it came from. Creates nothing.
 */
export function checkOutputFolder(dir: string, who: string, option: string, given = dir): void {
  checkPathLength(dir, who, option);
  for (let probe = dir; ; probe = path.dirname(probe)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(probe);
    } catch {
      if (path.dirname(probe) === probe) return;
      continue;
    }
    if (stat.isDirectory()) return;
    throw new Error(
      probe === given
        ? `${who}: ${option} '${given}' is a file; expected a folder`
        : `${who}: ${option} '${given}' cannot be created: '${probe}' is a file, not a folder`,
    );
  }
}

/** The first `bytes` bytes of `file` as text ('' when unreadable). */
export function readHead(file: string, bytes = 4096): string {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** The JSON object in `file`, or null when it is not one. */
export function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
