/**
 * What counts as a run folder's own file: the name is one rescom writes there AND the content is
 * what rescom writes under that name (a valid saved config with its `version` stamp, an epoch log,
 * an evaluation JSON, ...). A folder holding a user's own `config.json` is not a run, and a fresh
 * `rescom train` there is refused without `--force` (it used to overwrite the file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSavedConfig } from '../configs';
import { isHtmlReportFile } from '../viz/html-report';
import { readHead, readJsonObject } from '../util/own-output';
import { LOCK_FILE } from './run-lock';

/** A saved config (`version` stamp, every field valid): what `rescom train` writes as config.json. */
export function isRunConfigFile(file: string): boolean {
  const saved = readJsonObject(file);
  if (!saved || !Number.isInteger(saved.version)) return false;
  try {
    loadSavedConfig(saved);
    return true;
  } catch {
    return false;
  }
}

/** Empty, or JSON objects with a numeric `epoch`, one per line: an epoch log. */
export function isEpochLogFile(file: string): boolean {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .every((line) => typeof (JSON.parse(line) as { epoch?: unknown })?.epoch === 'number');
  } catch {
    return false;
  }
}

/** test-results.json / eval-*.json: an object with `summary` and `result`. */
export function isEvaluationFile(file: string): boolean {
  const saved = readJsonObject(file);
  return Boolean(saved && typeof saved.summary === 'object' && typeof saved.result === 'object');
}

/** per-class-*.csv: the header of `perClassRows` (src/eval/frames.ts). */
export function isPerClassCsvFile(file: string): boolean {
  return readHead(file, 256).startsWith('class,name,');
}

const CHECKPOINT_ENTRY = /^(latest\.json|epoch-\d+(-step-\d+)?|\..*\.part|\.epoch-\d+(-step-\d+)?\.tmp-.*)$/;

/** Each name a run folder may hold, with the check of its content. */
const RUN_ENTRIES: Array<[RegExp, (file: string) => boolean]> = [
  [/^config\.json$/, isRunConfigFile],
  [/^log\.jsonl$/, isEpochLogFile],
  [/^(test-results|eval-(test|val))\.json$/, isEvaluationFile],
  [/^per-class-(test|val)\.csv$/, isPerClassCsvFile],
  [/^report\.html$/, isHtmlReportFile],
  [
    /^checkpoints$/,
    (dir) => fs.statSync(dir).isDirectory() && fs.readdirSync(dir).every((e) => CHECKPOINT_ENTRY.test(e)),
  ],
  // The lock and its temporaries (run-lock.ts); temporaries of an interrupted atomic write.
  [new RegExp(`^${LOCK_FILE.replace('.', '\\.')}(\\..*)?$`), () => true],
  [/^\..*\.part$|^\..*\.tmp-.*$/, () => true],
];

/** The entries of `runDir` that are not a run's own files (by name and content); [] for a run folder. */
export function foreignRunEntries(runDir: string): string[] {
  return fs.readdirSync(runDir).filter((entry) => {
    const rule = RUN_ENTRIES.find(([name]) => name.test(entry));
    return !rule || !rule[1](path.join(runDir, entry));
  });
}
