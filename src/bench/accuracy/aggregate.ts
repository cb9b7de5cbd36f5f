/**
 * The results table of the accuracy benchmark, built from whatever run folders exist: every run with
 * test results (`TEST_RESULTS_FILE`, written by the trainer after its last epoch) counts, whichever
 * invocation or process trained it. Rows are (imbalance factor, method); cells are the mean and the
 * sample standard deviation (n - 1) over seeds, accuracies in percent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METHOD_NAMES } from '../../configs';
import { LOG_FILE, TEST_RESULTS_FILE, readJsonl } from '../../train';
import { formatPairedMarkdown, pairedComparisons, type PairedComparison } from './paired';
import { baseSettings, settingsKey, unaffectedByVariant, type BenchSettings } from './plan';

/** One finished run, read back from its folder. Accuracies in [0, 1]. */
export interface FinishedRun {
  imbalanceFactor: number;
  method: string;
  seed: number;
  top1: number;
  many: number | null;
  medium: number | null;
  few: number | null;
  /** The shot-group rule of the evaluation (e.g. "classes ranked by training count: ..."). */
  groupRule: string;
  /** Mean wall-clock / CPU seconds of the training part of an epoch. */
  secondsPerEpoch: number;
  cpuSecondsPerEpoch: number;
  trainImages: number;
  /** Identity of the training subset (test-results.json `subset.trainSha256`); null for runs from before it was recorded. */
  subsetSha256: string | null;
  runDir: string;
}

/** Mean and sample standard deviation (0 for a single value; null for none). */
export interface Spread {
  mean: number | null;
  std: number | null;
  n: number;
}

export interface TableRow {
  imbalanceFactor: number;
  method: string;
  seeds: number[];
  top1: Spread;
  many: Spread;
  medium: Spread;
  few: Spread;
  secondsPerEpoch: Spread;
  cpuSecondsPerEpoch: Spread;
}

export interface AccuracyTable {
  settings: BenchSettings & { dataset: string; profile: string; test: string };
  groupRules: string[];
  rows: TableRow[];
  runs: FinishedRun[];
  /** ResCom against every other method, paired by seed (see ./paired.ts for the rule). */
  paired: PairedComparison[];
}

/** Mean and sample (n - 1) standard deviation of the non-null values. */
export function spread(values: Array<number | null>): Spread {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, std: null, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, n: xs.length };
}

/**
 * Every finished run under RUNS/<settings>/if*\/*: folders without test results are left out. A
 * variant's group (settings with `sets`) also takes the base group's runs of the methods the variant
 * cannot affect (./plan.ts `unaffectedByVariant`), as its plan does: only those of its planned
 * methods and seeds when the settings name them (the base group holds other methods and seeds that
 * are not the variant's).
 */
export function collectFinishedRuns(runsDir: string, settings: BenchSettings & { methods?: readonly string[]; seeds?: readonly number[] }): FinishedRun[] {
  const own = readGroup(path.join(runsDir, settingsKey(settings)), (method) => !unaffectedByVariant(settings, method));
  if ((settings.sets ?? []).length === 0) return own;
  const planned = (method: string, seed: number) =>
    (settings.methods === undefined || settings.methods.includes(method)) && (settings.seeds === undefined || settings.seeds.includes(seed));
  const borrowed = readGroup(path.join(runsDir, settingsKey(baseSettings(settings))), (method, seed) => unaffectedByVariant(settings, method) && planned(method, seed));
  return [...own, ...borrowed];
}

function readGroup(group: string, keepRun: (method: string, seed: number) => boolean): FinishedRun[] {
  if (!fs.existsSync(group)) return [];
  const runs: FinishedRun[] = [];
  for (const ifDir of fs.readdirSync(group).filter((d) => /^if[\d.]+$/.test(d)).sort()) {
    for (const runName of fs.readdirSync(path.join(group, ifDir)).sort()) {
      const runDir = path.join(group, ifDir, runName);
      const resultsFile = path.join(runDir, TEST_RESULTS_FILE);
      if (!fs.existsSync(resultsFile)) continue;
      const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
      if (!keepRun(config.method, config.seed)) continue;
      const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      const epochs = readJsonl(path.join(runDir, LOG_FILE));
      const mean = (key: string) => spread(epochs.map((e) => (typeof e[key] === 'number' ? (e[key] as number) : null))).mean ?? NaN;
      runs.push({
        imbalanceFactor: config.imbalanceFactor,
        method: config.method,
        seed: config.seed,
        top1: results.summary.top1,
        many: results.summary.many ?? null,
        medium: results.summary.medium ?? null,
        few: results.summary.few ?? null,
        groupRule: results.result?.groups?.rule ?? 'none',
        secondsPerEpoch: mean('seconds'),
        cpuSecondsPerEpoch: mean('cpuSeconds'),
        trainImages: results.result?.perClass ? results.result.perClass.reduce((a: number, r: { trainCount: number | null }) => a + (r.trainCount ?? 0), 0) : NaN,
        subsetSha256: results.subset?.trainSha256 ?? null,
        runDir,
      });
    }
  }
  return runs;
}

/** Group finished runs into rows: imbalance factors descending, methods in METHOD_NAMES order. */
export function buildAccuracyTable(runs: FinishedRun[], settings: BenchSettings): AccuracyTable {
  const order = (m: string) => {
    const i = (METHOD_NAMES as readonly string[]).indexOf(m);
    return i < 0 ? METHOD_NAMES.length : i;
  };
  const keys = [...new Set(runs.map((r) => `${r.imbalanceFactor}\u0000${r.method}`))];
  const rows = keys.map((key) => {
    const [imbalanceFactor, method] = key.split('\u0000');
    const mine = runs.filter((r) => String(r.imbalanceFactor) === imbalanceFactor && r.method === method).sort((a, b) => a.seed - b.seed);
    return {
      imbalanceFactor: Number(imbalanceFactor),
      method,
      seeds: mine.map((r) => r.seed),
      top1: spread(mine.map((r) => r.top1)),
      many: spread(mine.map((r) => r.many)),
      medium: spread(mine.map((r) => r.medium)),
      few: spread(mine.map((r) => r.few)),
      secondsPerEpoch: spread(mine.map((r) => r.secondsPerEpoch)),
      cpuSecondsPerEpoch: spread(mine.map((r) => r.cpuSecondsPerEpoch)),
    };
  });
  rows.sort((a, b) => b.imbalanceFactor - a.imbalanceFactor || order(a.method) - order(b.method) || a.method.localeCompare(b.method));
  return {
    settings: { ...settings, dataset: 'Fashion-MNIST-LT (60k train split)', profile: 'exp', test: 'Fashion-MNIST test, 10k balanced' },
    groupRules: [...new Set(runs.map((r) => r.groupRule))],
    rows,
    runs,
    paired: pairedComparisons(runs, METHOD_NAMES),
  };
}

const pct = (s: Spread) => (s.mean === null ? 'n/a' : `${(100 * s.mean).toFixed(1)} ± ${(100 * (s.std ?? 0)).toFixed(1)}`);
const secs = (s: Spread) => (s.mean === null ? 'n/a' : s.mean.toFixed(1));

/** Markdown: a settings line, the table, the grouping rule and how spread is computed. */
export function formatAccuracyMarkdown(table: AccuracyTable, command: string): string {
  const s = table.settings;
  const header = ['IF', 'method', 'seeds', 'top-1 %', 'Many %', 'Medium %', 'Few %', 's/epoch (wall)', 's/epoch (CPU)'];
  const lines = [
    `### Fashion-MNIST-LT accuracy (${s.backbone}, n_max ${s.nMax}, ${s.epochs} epochs, batch ${s.batchSize})`,
    '',
    `Settings: ${s.dataset}, ${s.profile} profile, n_max = ${s.nMax} images in the head class, backbone ${s.backbone}, ` +
      `${s.epochs} epochs, batch ${s.batchSize} per view, the ${s.config} config otherwise (same for every method); test: ${s.test}.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((h, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map(
      (r) =>
        `| ${r.imbalanceFactor} | ${r.method} | ${r.seeds.join(',')} | ${pct(r.top1)} | ${pct(r.many)} | ${pct(r.medium)} | ${pct(r.few)} | ${secs(r.secondsPerEpoch)} | ${secs(r.cpuSecondsPerEpoch)} |`,
    ),
    '',
    `Cells: mean ± sample standard deviation (n − 1) over the seeds listed (a single seed shows ± 0.0: no spread measured). Many / Medium / Few: ${table.groupRules.join('; ') || 'n/a'}.`,
    's/epoch: training steps only (validation excluded); wall time depends on what else the machine ran, CPU time less so.',
    '',
    '#### ResCom against each method, paired by seed',
    '',
    formatPairedMarkdown(table.paired).trimEnd(),
    '',
    `Command: \`${command}\``,
  ];
  return `${lines.join('\n')}\n`;
}

/** CSV: one line per finished run (accuracies in [0, 1]), so any other aggregation can be redone. */
export function formatAccuracyCsv(table: AccuracyTable): string {
  const s = table.settings;
  const header = 'n_max,imbalance_factor,epochs,backbone,batch_size,method,seed,top1,many,medium,few,seconds_per_epoch,cpu_seconds_per_epoch,train_images';
  const cell = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6))));
  const lines = table.runs
    .slice()
    .sort((a, b) => b.imbalanceFactor - a.imbalanceFactor || a.method.localeCompare(b.method) || a.seed - b.seed)
    .map((r) =>
      [s.nMax, r.imbalanceFactor, s.epochs, s.backbone, s.batchSize, r.method, r.seed, cell(r.top1), cell(r.many), cell(r.medium), cell(r.few), cell(r.secondsPerEpoch), cell(r.cpuSecondsPerEpoch), cell(r.trainImages)].join(','),
    );
  return `${[header, ...lines].join('\n')}\n`;
}
