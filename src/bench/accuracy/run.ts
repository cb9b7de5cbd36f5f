/**
 * The accuracy benchmark's loop: train every planned run that has no test results yet (resuming a
 * run that was interrupted), then build the table from all finished run folders with the same
 * settings and write it atomically as Markdown, CSV and JSON. Training and data preparation are the
 * library's (`train`, `prepareTrainingData`); tests pass stand-ins.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../configs';
import { TEST_RESULTS_FILE, prepareTrainingData, train, type TrainingData } from '../../train';
import { writeFileAtomic } from '../../util/atomic-write';
import { buildAccuracyTable, collectFinishedRuns, formatAccuracyCsv, formatAccuracyMarkdown, type AccuracyTable } from './aggregate';
import { PROTOCOL_METHOD_NAMES, type AccuracyBenchOptions } from './options';
import { formatPairedCsv } from './paired';
import { publishFinishedRuns, type PublishResult } from './publish';
import { planRuns, settingsKey, trainingDataKey, type PlannedRun } from './plan';

export interface RunAccuracyBenchOptions {
  options: AccuracyBenchOptions;
  /** The command line of this invocation (stored in the JSON file; the Markdown shows `reproduceCommand`). */
  command: string;
  /** Trains one run to the end (writing TEST_RESULTS_FILE). Default: the library's `train` with resume. */
  trainRun?: (run: PlannedRun, data: TrainingData) => Promise<void>;
  /** Builds a run's data. Default `prepareTrainingData`. */
  prepareData?: (config: ExperimentConfig) => Promise<TrainingData>;
  /** Progress lines. Default console.log. */
  log?: (line: string) => void;
}

export interface AccuracyBenchResult {
  table: AccuracyTable;
  trained: PlannedRun[];
  skipped: PlannedRun[];
  files: { markdown: string; csv: string; json: string; pairedCsv: string };
  markdown: string;
  /** What --publish copied (null without --publish). */
  published: PublishResult | null;
}

/**
 * The command that trains every run of the table in one process (the table may have been filled by
 * several invocations with disjoint --seeds / --if, or rebuilt with --table-only).
 */
export function reproduceCommand(options: AccuracyBenchOptions, table: AccuracyTable): string {
  // An empty table (nothing finished yet) names the planned runs instead.
  const ifs = table.rows.length ? [...new Set(table.rows.map((r) => r.imbalanceFactor))] : options.imbalanceFactors;
  const seeds = table.runs.length ? [...new Set(table.runs.map((r) => r.seed))].sort((a, b) => a - b) : options.seeds;
  const methods = table.rows.length ? [...new Set(table.rows.map((r) => r.method))] : options.methods;
  const parts = ['npm run bench:accuracy --', `--config ${options.config}`, `--n-max ${options.nMax}`, `--if ${ifs.join(',')}`, `--epochs ${options.epochs}`, `--backbone ${options.backbone}`, `--batch-size ${options.batchSize}`, `--seeds ${seeds.join(',')}`];
  if (methods.length !== PROTOCOL_METHOD_NAMES.length) parts.push(`--methods ${methods.join(',')}`);
  return parts.join(' ');
}

/** Seconds as `1h02m` / `12m05s` / `40s`. */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export async function runAccuracyBench(args: RunAccuracyBenchOptions): Promise<AccuracyBenchResult> {
  const { options } = args;
  const log = args.log ?? ((line: string) => console.log(line));
  const prepareData = args.prepareData ?? ((config: ExperimentConfig) => prepareTrainingData(config));
  const trainRun =
    args.trainRun ??
    (async (run: PlannedRun, data: TrainingData) => {
      await train({ config: run.config, data, runDir: run.runDir, resume: true, log });
    });

  const planned = planRuns(options);
  const isFinished = (run: PlannedRun) => fs.existsSync(path.join(run.runDir, TEST_RESULTS_FILE));
  const skipped = planned.filter(isFinished);
  const todo = options.tableOnly ? [] : planned.filter((run) => !isFinished(run));
  log(`bench:accuracy ${settingsKey(options)}: ${planned.length} runs planned, ${skipped.length} finished already, ${todo.length} to train${options.tableOnly ? ' (--table-only: none)' : ''}`);

  const trained: PlannedRun[] = [];
  const started = Date.now();
  let dataKey = '';
  let data: TrainingData | null = null;
  for (const [i, run] of todo.entries()) {
    // The data depends on the dataset, subset and seed only, not on the method: prepare it once per group.
    const key = trainingDataKey(run.config);
    if (key !== dataKey) {
      data = null;
      data = await prepareData(run.config);
      dataKey = key;
    }
    const elapsed = (Date.now() - started) / 1000;
    const eta = i > 0 ? ` (elapsed ${duration(elapsed)}, about ${duration((elapsed / i) * (todo.length - i))} left)` : '';
    log(`\n=== run ${i + 1}/${todo.length}: IF ${run.imbalanceFactor}, ${run.method}, seed ${run.seed} -> ${run.runDir}${eta}`);
    await trainRun(run, data!);
    if (!isFinished(run)) throw new Error(`runAccuracyBench: run ${run.runDir} ended without ${TEST_RESULTS_FILE}`);
    trained.push(run);
  }

  const table = buildAccuracyTable(collectFinishedRuns(options.runsDir, options), options);
  const markdown = formatAccuracyMarkdown(table, reproduceCommand(options, table));
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `accuracy-${settingsKey(options)}`);
  const files = { markdown: `${base}.md`, csv: `${base}.csv`, json: `${base}.json`, pairedCsv: `${base}-paired.csv` };
  writeFileAtomic(files.markdown, markdown);
  writeFileAtomic(files.csv, formatAccuracyCsv(table));
  writeFileAtomic(files.pairedCsv, formatPairedCsv(table.paired));
  writeFileAtomic(files.json, `${JSON.stringify({ command: args.command, ...table }, relativeToTable(options.outDir), 2)}\n`);
  let published: PublishResult | null = null;
  if (options.publish) {
    published = publishFinishedRuns({ runsDir: options.runsDir, publishDir: options.publish, settings: options });
    log(`published to ${options.publish}: ${published.added.length} added, ${published.replaced.length} replaced, ${published.unchanged.length} unchanged`);
    for (const dir of [...published.added, ...published.replaced]) log(`  ${dir}`);
  }
  return { table, trained, skipped, files, markdown, published };
}

/**
 * JSON replacer: a path in the table (its out and runs folders, each run's folder) is written relative
 * to the table's own folder when it lies below that folder's parent (the repository), so a committed
 * table names no machine's checkout and does not change with the folder it was rebuilt in.
 */
function relativeToTable(outDir: string): (key: string, value: unknown) => unknown {
  const base = path.resolve(outDir, '..', '..');
  return (_key, value) =>
    typeof value === 'string' && path.isAbsolute(value) && value.startsWith(base + path.sep) ? path.relative(base, value) : value;
}

