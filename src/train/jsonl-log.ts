/**
 * The run's epoch log, `RUN/log.jsonl`: one JSON object per completed epoch (losses, learning rate,
 * validation metrics, timing), easy to read from Python, danfojs or `jq`. On resume the log is
 * rewritten to hold exactly the epochs of the checkpoint, so epochs run after that checkpoint by an
 * interrupted run are not listed twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';

export const LOG_FILE = 'log.jsonl';

export function appendJsonl(file: string, record: object): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Replace the whole log with these records (atomically). */
export function rewriteJsonl(file: string, records: object[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Read a JSONL file; a line that is not JSON throws naming the file and line. */
export function readJsonl(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`readJsonl: ${file} line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
      }
    });
}
