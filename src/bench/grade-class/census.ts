/**
 * What bench:grade measures around the grading command: the processes left behind, whether the
 * grader's files changed, and whether each grade is what its submission should get.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SANDBOX_UID } from '../../notebook/sandbox';
import type { ClassSubmission } from './submissions';

/** Processes whose command line holds `marker`, and processes of the sandbox user (uid 65534). */
export function processCensus(marker: string): { marked: number; sandboxUser: number; total: number } {
  let marked = 0;
  let sandboxUser = 0;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue;
      total++;
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === SANDBOX_UID) sandboxUser++;
      if (Number(entry) !== process.pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) marked++;
    } catch {
      // gone meanwhile
    }
  }
  return { marked, sandboxUser, total };
}

/** sha256 over every file under `dir` (names and bytes, sorted). */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) hash.update(entry.name).update(fs.readFileSync(file));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Whether a total meets what the submission should get. */
export function meetsExpectation(expect: ClassSubmission['expect'], total: number, possible: number): boolean {
  if (expect === 'full') return total === possible;
  if (expect === 'zero') return total === 0;
  if (expect === 'partial') return total > 0 && total < possible;
  return total < possible;
}

