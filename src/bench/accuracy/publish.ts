/**
 * Publishing finished runs for the repository: the small files of each finished run (config.json,
 * log.jsonl, test-results.json; never the checkpoints) are copied from the run folders (git-ignored,
 * bench/results/tmp/accuracy) into a committed folder in the same layout,
 * DIR/<settings>/if<IF>/<method>-s<seed>/, so that
 * `npm run bench:accuracy -- --table-only --runs-dir DIR` rebuilds the table from the committed files.
 * Files are copied byte for byte; test-results.json is written last (it is what marks a run finished).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOG_FILE, TEST_RESULTS_FILE } from '../../train';
import { writeFileAtomic } from '../../util/atomic-write';
import { collectFinishedRuns } from './aggregate';
import { type BenchSettings } from './plan';

/** The files of a run that are published, in the order they are written. */
export const PUBLISHED_RUN_FILES = ['config.json', LOG_FILE, TEST_RESULTS_FILE] as const;

export interface PublishResult {
  /** Run folders written for the first time. */
  added: string[];
  /** Run folders whose files differed and were replaced (a run retrained, or a different copy). */
  replaced: string[];
  /** Run folders already published with the same bytes. */
  unchanged: string[];
}

/**
 * Copy every finished run with `settings` under `runsDir` into `publishDir` (same relative layout).
 * Unfinished runs (no test-results.json) are not published.
 */
export function publishFinishedRuns(options: { runsDir: string; publishDir: string; settings: BenchSettings }): PublishResult {
  const { runsDir, publishDir, settings } = options;
  if (path.resolve(runsDir) === path.resolve(publishDir)) {
    throw new Error(`publishFinishedRuns: publishDir must differ from runsDir; both are '${runsDir}'`);
  }
  const result: PublishResult = { added: [], replaced: [], unchanged: [] };
  for (const run of collectFinishedRuns(runsDir, settings)) {
    const target = path.join(publishDir, path.relative(runsDir, run.runDir));
    const existed = fs.existsSync(path.join(target, TEST_RESULTS_FILE));
    let changed = false;
    for (const name of PUBLISHED_RUN_FILES) {
      const source = path.join(run.runDir, name);
      if (!fs.existsSync(source)) throw new Error(`publishFinishedRuns: finished run '${run.runDir}' has no ${name}`);
      const bytes = fs.readFileSync(source);
      const destination = path.join(target, name);
      if (fs.existsSync(destination) && fs.readFileSync(destination).equals(bytes)) continue;
      writeFileAtomic(destination, bytes);
      changed = true;
    }
    (!existed ? result.added : changed ? result.replaced : result.unchanged).push(target);
  }
  return result;
}
