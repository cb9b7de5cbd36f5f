/**
 * `npm run bench:tune`: trains every planned (variant, method, seed) run that is not finished
 * (resuming an interrupted one) with the test set removed from its data, so a tuning run can never
 * look at it, then tabulates the validation scores: per variant and method the per-seed final
 * validation top-1, and within each variant ResCom minus every other method paired by seed
 * (`pairedStats`, the accuracy benchmark's rule). Each finished run's config.json and log.jsonl are
 * copied into OUT/<variant>/<method>-s<seed>/ for committing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../../configs';
import { LOG_FILE, prepareTrainingData, train, type TrainingData } from '../../train';
import { writeFileAtomic } from '../../util/atomic-write';
import { pairedStats, PAIRED_REFERENCE, type PairedStats } from '../accuracy/paired';
import { trainingDataKey } from '../accuracy/plan';
import { planTuning, runFinished, type TuneOptions, type TuningRun } from './plan';
import { validationScore, LAST_EPOCHS, type ValidationScore } from './score';
import { tuningVariant } from './variants';

export interface TuningRow {
  variant: string;
  method: string;
  /** Final validation top-1 per seed (null: not finished). */
  scores: Array<{ seed: number; score: ValidationScore | null }>;
}

export interface TuningComparison {
  variant: string;
  method: string;
  /** ResCom minus `method` on the final validation top-1, paired by seed. */
  top1: PairedStats;
}

export interface TuningTable {
  rows: TuningRow[];
  comparisons: TuningComparison[];
}

export interface RunTuningBenchOptions {
  options: TuneOptions;
  /** Trains one run to its last epoch. Default: the library's `train` with resume. */
  trainRun?: (run: TuningRun, data: TrainingData) => Promise<void>;
  /** Builds a run's data. Default `prepareTrainingData`. */
  prepareData?: (config: ExperimentConfig) => Promise<TrainingData>;
  log?: (line: string) => void;
}

/** Per-seed scores and the paired comparisons of every planned run. */
export function buildTuningTable(runs: TuningRun[]): TuningTable {
  const rows: TuningRow[] = [];
  for (const run of runs) {
    let row = rows.find((r) => r.variant === run.variant && r.method === run.method);
    if (!row) rows.push((row = { variant: run.variant, method: run.method, scores: [] }));
    row.scores.push({ seed: run.seed, score: validationScore(run.runDir, run.config.epochs) });
  }
  const comparisons: TuningComparison[] = [];
  for (const reference of rows.filter((r) => r.method === PAIRED_REFERENCE)) {
    for (const other of rows.filter((r) => r.variant === reference.variant && r.method !== PAIRED_REFERENCE)) {
      const differences: number[] = [];
      for (const { seed, score } of reference.scores) {
        const theirs = other.scores.find((s) => s.seed === seed)?.score;
        if (score && theirs) differences.push(score.top1 - theirs.top1);
      }
      comparisons.push({ variant: reference.variant, method: other.method, top1: pairedStats(differences) });
    }
  }
  return { rows, comparisons };
}

const pct = (v: number) => (100 * v).toFixed(1);

export function formatTuningMarkdown(table: TuningTable, command: string): string {
  const seeds = [...new Set(table.rows.flatMap((r) => r.scores.map((s) => s.seed)))].sort((a, b) => a - b);
  const lines = [
    '# Tuning on the validation split (the test set is never evaluated)',
    '',
    `Final-epoch validation top-1 (%, 1,000 balanced held-out training images, standard error about 1 point per run; in brackets the mean of the last ${LAST_EPOCHS} epochs). Reproduce: \`${command}\`.`,
    '',
    `| variant | method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean |`,
    `|---|---|${seeds.map(() => '---:|').join('')}---:|`,
  ];
  for (const row of table.rows) {
    const cells = seeds.map((seed) => {
      const score = row.scores.find((s) => s.seed === seed)?.score;
      return score ? `${pct(score.top1)} (${pct(score.lastMeanTop1)})` : '—';
    });
    const done = row.scores.flatMap((s) => (s.score ? [s.score.top1] : []));
    const mean = done.length ? pct(done.reduce((a, b) => a + b, 0) / done.length) : '—';
    lines.push(`| ${row.variant} | ${row.method} | ${cells.join(' | ')} | ${mean} |`);
  }
  lines.push('', '| variant | ResCom minus | per-seed differences (points) | in words |', '|---|---|---|---|');
  for (const c of table.comparisons) {
    const diffs = c.top1.differences.map((d) => `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)}`).join(', ') || '—';
    lines.push(`| ${c.variant} | ${c.method} | ${diffs} | ${c.top1.words} |`);
  }
  lines.push('', 'Variants:', '');
  for (const name of [...new Set(table.rows.map((r) => r.variant))]) lines.push(`- \`${name}\`: ${tuningVariant(name).description}`);
  return `${lines.join('\n')}\n`;
}

export async function runTuningBench(args: RunTuningBenchOptions): Promise<{ table: TuningTable; trained: TuningRun[]; markdown: string; file: string }> {
  const { options } = args;
  const log = args.log ?? ((line: string) => console.log(line));
  const prepareData = args.prepareData ?? ((config: ExperimentConfig) => prepareTrainingData(config));
  const trainRun =
    args.trainRun ?? (async (run: TuningRun, data: TrainingData) => void (await train({ config: run.config, data, runDir: run.runDir, resume: true, log })));
  const planned = planTuning(options);
  const todo = planned.filter((run) => !run.reused && !runFinished(run.runDir, run.config.epochs));
  log(`bench:tune: ${planned.length} runs planned (${planned.filter((r) => r.reused).length} read from the committed protocol runs), ${todo.length} to train`);
  const trained: TuningRun[] = [];
  let dataKey = '';
  let data: TrainingData | null = null;
  for (const [i, run] of todo.entries()) {
    const key = trainingDataKey(run.config);
    if (key !== dataKey) {
      data = await prepareData(run.config);
      dataKey = key;
    }
    log(`\n=== tuning run ${i + 1}/${todo.length}: ${run.variant}, ${run.method}, seed ${run.seed} -> ${run.runDir}`);
    // The test split is removed: the trainer then evaluates no test set (validation only).
    await trainRun(run, { ...data!, test: null });
    if (!runFinished(run.runDir, run.config.epochs)) throw new Error(`runTuningBench: run ${run.runDir} ended before epoch ${run.config.epochs}`);
    trained.push(run);
  }
  const table = buildTuningTable(planned);
  const command = `npm run bench:tune -- --variants ${options.variants.join(',')} --methods ${options.methods.join(',')} --seeds ${options.seeds.join(',')}`;
  const markdown = formatTuningMarkdown(table, command);
  fs.mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, 'tuning.md');
  writeFileAtomic(file, markdown);
  writeFileAtomic(path.join(options.outDir, 'tuning.json'), `${JSON.stringify({ command, ...table }, null, 2)}\n`);
  for (const run of planned) {
    if (run.reused || !runFinished(run.runDir, run.config.epochs)) continue;
    for (const name of ['config.json', LOG_FILE]) {
      writeFileAtomic(path.join(options.outDir, run.variant, `${run.method}-s${run.seed}`, name), fs.readFileSync(path.join(run.runDir, name)));
    }
  }
  return { table, trained, markdown, file };
}
