/**
 * Checks an output path can be written before the work that produces it starts (a run folder
 * before the first epoch, a report before a simulation): name lengths the file system takes, and
 * free space. A name too long or a full disk used to show up only when the first checkpoint was
 * written, after an epoch of training, as a bare `ENAMETOOLONG` / `ENOSPC` naming no file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Longest file name (one path component) Linux file systems take, in bytes (NAME_MAX). */
export const NAME_MAX = 255;
/** Longest path the kernel takes, in bytes, terminating NUL excluded (PATH_MAX - 1). */
export const PATH_MAX = 4095;

/**
 * Throws unless every component of `file` fits in NAME_MAX bytes and the whole path, plus `deeper`
 * bytes of names the command adds below it (a checkpoint's temporary folder and files), fits in
 * PATH_MAX. `who: option 'path' ...` names where the path came from.
 */
export function checkPathLength(file: string, who: string, option: string, deeper = 0): void {
  const resolved = path.resolve(file);
  for (const part of resolved.split(path.sep)) {
    const bytes = Buffer.byteLength(part);
    if (bytes > NAME_MAX)
      throw new Error(
        `${who}: ${option} '${file}' holds a name of ${bytes} bytes ('${part.slice(0, 24)}...'); file systems take at most ${NAME_MAX} (ENAMETOOLONG): choose a shorter name`,
      );
  }
  const total = Buffer.byteLength(resolved) + deeper;
  if (total > PATH_MAX)
    throw new Error(
      `${who}: ${option} '${file}' is ${Buffer.byteLength(resolved)} bytes long${deeper ? ` and ${deeper} more are written below it` : ''}; paths take at most ${PATH_MAX} (ENAMETOOLONG): choose a shorter path`,
    );
}

/** Bytes free for this user on the file system of `dir` (or its nearest existing parent); null when unknown. */
export function freeBytes(dir: string): number | null {
  let probe = path.resolve(dir);
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  try {
    const stats = fs.statfsSync(probe);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Throws when the file system of `dir` has fewer than `needed` bytes free; `what` says what needs them. */
export function checkFreeSpace(dir: string, needed: number, who: string, what: string): void {
  const free = freeBytes(dir);
  if (free === null || free >= needed) return;
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  throw new Error(
    `${who}: '${dir}' has ${mb(free)} free; ${what} need about ${mb(needed)} (ENOSPC before the first epoch): free space there or choose another folder`,
  );
}
