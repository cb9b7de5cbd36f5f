/**
 * The committed results of the reference protocol (config `fashion-mnist-lt-ref`, the benchmark's
 * defaults), read from the published run folders under bench/results/protocol (see ./publish.ts):
 * the accuracy table, ResCom paired by seed against every method (./paired.ts), and plain words on
 * how complete it is. The main job (`rescom demo`) prints this beside its live short run, so a
 * learner sees what was measured over several seeds and what was not.
 */
import * as path from 'node:path';
import { buildAccuracyTable, collectFinishedRuns, type AccuracyTable } from './aggregate';
import { DEFAULT_ACCURACY_BENCH_OPTIONS } from './options';
import { MIN_PAIRED_SEEDS, PAIRED_RULE, POWER_RULE, powerLine } from './paired';
import { settingsKey, type BenchSettings } from './plan';

/** The repository's committed protocol results (resolved from this file: works from src/ and lib/). */
export const PROTOCOL_RESULTS_DIR = path.resolve(__dirname, '..', '..', '..', 'bench', 'results', 'protocol');

export interface ProtocolEvidence {
  dir: string;
  settings: BenchSettings;
  /** Null when no run of the protocol is committed. */
  table: AccuracyTable | null;
  /** Finished seeds per planned method (every method of the protocol, 0 seeds included). */
  seedsPerMethod: Array<{ method: string; seeds: number[] }>;
  /** Seeds and methods the protocol plans (the benchmark's defaults). */
  plannedSeeds: number[];
  plannedMethods: string[];
  /** True when every planned (method, seed) run is committed. */
  complete: boolean;
}

/** Read the committed protocol runs (no training, no tensors). */
export function loadProtocolEvidence(options: { dir?: string; settings?: BenchSettings; seeds?: number[]; methods?: string[] } = {}): ProtocolEvidence {
  const dir = options.dir ?? PROTOCOL_RESULTS_DIR;
  const settings = options.settings ?? DEFAULT_ACCURACY_BENCH_OPTIONS;
  const plannedSeeds = options.seeds ?? DEFAULT_ACCURACY_BENCH_OPTIONS.seeds;
  const plannedMethods: string[] = options.methods ?? [...DEFAULT_ACCURACY_BENCH_OPTIONS.methods];
  const runs = collectFinishedRuns(dir, settings).filter((r) => r.imbalanceFactor === 100);
  const table = runs.length === 0 ? null : buildAccuracyTable(runs, settings);
  const methods = [...plannedMethods, ...new Set(runs.map((r) => r.method).filter((m) => !plannedMethods.includes(m)))];
  const seedsPerMethod = methods.map((method) => ({ method, seeds: runs.filter((r) => r.method === method).map((r) => r.seed).sort((a, b) => a - b) }));
  const complete = plannedMethods.every((m) => plannedSeeds.every((s) => runs.some((r) => r.method === m && r.seed === s)));
  return { dir, settings, table, seedsPerMethod, plannedSeeds, plannedMethods, complete };
}

const pct = (v: number | null) => (v === null ? 'n/a' : (100 * v).toFixed(1));

/**
 * Plain text for a terminal or a report: what the protocol is, how many seeds each method holds,
 * the table (mean ± sd over the committed seeds), ResCom paired against each method with its
 * verdict, and what the committed results do and do not show. Never more than the files hold.
 */
export function formatProtocolEvidence(e: ProtocolEvidence, options: { displayDir?: string; title?: string } = {}): string {
  const s = e.settings;
  const where = options.displayDir ?? 'bench/results/protocol';
  const sets = (s.sets ?? []).map(([f, v]) => `${f} ${v}`).join(', ');
  const lines = [
    `${options.title ?? 'Reference protocol'} (${s.config}${sets ? ` with ${sets}` : ''}: Fashion-MNIST-LT from the full 60k split, exp profile, IF 100, n_max ${s.nMax}; ${s.backbone}, ${s.epochs} epochs, 2 views x ${s.batchSize}; ` +
      `final model evaluated once on the balanced 10k test set), committed results in ${where}/${settingsKey(s)}:`,
  ];
  if (!e.table) {
    lines.push(
      `  none committed yet (0 of ${e.plannedMethods.length * e.plannedSeeds.length} planned runs). Nothing here shows whether ResCom beats the other methods beyond seed noise.`,
      `  Produce them with \`${benchCommand(e)} --publish bench/results/protocol\` (a 30-epoch ResCom run: about 17 s an epoch on one oneDNN thread of a 2-core machine, some 9 minutes).`,
    );
    return `${lines.join('\n')}\n`;
  }
  const count = e.seedsPerMethod.reduce((a, m) => a + m.seeds.length, 0);
  const planned = e.plannedMethods.length * e.plannedSeeds.length;
  lines.push(
    `  ${e.complete ? 'complete' : 'PARTIAL'}: ${count} of ${planned} planned runs (${e.plannedMethods.length} methods x seeds ${e.plannedSeeds.join(',')}). Seeds per method: ` +
      e.seedsPerMethod.map((m) => `${m.method} ${m.seeds.length}${m.seeds.length ? ` (${m.seeds.join(',')})` : ''}`).join(', ') +
      '.',
    '',
    '  method                seeds  top-1 % (mean ± sd)   Few % (mean ± sd)',
  );
  for (const row of e.table.rows) {
    const cell = (x: { mean: number | null; std: number | null; n: number }) => (x.mean === null ? 'n/a' : x.n === 1 ? `${pct(x.mean)} (1 seed)` : `${pct(x.mean)} ± ${pct(x.std)}`);
    lines.push(`  ${row.method.padEnd(20)}  ${String(row.seeds.length).padStart(5)}  ${cell(row.top1).padEnd(20)}  ${cell(row.few)}`);
  }
  lines.push('', '  ResCom minus each method, paired by seed (percentage points):');
  if (e.table.paired.length === 0) lines.push('    no method shares a seed with a committed ResCom run yet: no comparison.');
  for (const c of e.table.paired) {
    lines.push(`    vs ${c.method.padEnd(20)} top-1: ${c.top1.words}; Few: ${c.few ? c.few.words : 'n/a'}${c.note ? ` [${c.note}]` : ''}`);
    lines.push(`    ${''.padEnd(23)} power: ${powerLine(c.top1)}`);
  }
  const scope = protocolScope(e);
  lines.push('', `  Rule: ${PAIRED_RULE}`, `  Power: ${POWER_RULE}`);
  lines.push(`  What this shows: ${scope.shows}`);
  lines.push(`  What it does not show: ${scope.doesNotShow}`);
  return `${lines.join('\n')}\n`;
}

/** The command that trains (and, with --publish, commits) the planned runs of `e`. */
export function benchCommand(e: Pick<ProtocolEvidence, 'settings' | 'plannedSeeds' | 'plannedMethods'>): string {
  const s = e.settings;
  const parts = ['npm run bench:accuracy --', `--config ${s.config}`, `--seeds ${e.plannedSeeds.join(',')}`, `--methods ${e.plannedMethods.join(',')}`];
  for (const [field, value] of s.sets ?? []) parts.push(`--set ${field}=${value}`);
  return parts.join(' ');
}

/** In words, what the committed protocol results can and cannot show (never more than the files hold). */
export function protocolScope(e: ProtocolEvidence): { shows: string; doesNotShow: string } {
  const paired = e.table?.paired ?? [];
  const judged = paired.filter((c) => c.top1.n >= MIN_PAIRED_SEEDS).map((c) => c.method);
  const unjudged = paired.filter((c) => c.top1.n < MIN_PAIRED_SEEDS).map((c) => c.method);
  const absent = e.seedsPerMethod.filter((m) => m.seeds.length === 0).map((m) => m.method);
  const shows =
    `${judged.length ? `whether ResCom's gain over ${judged.join(', ')} exceeds seed noise (${MIN_PAIRED_SEEDS}+ paired seeds)` : `no comparison has ${MIN_PAIRED_SEEDS} paired seeds yet, so none is judged against seed noise`}` +
    (unjudged.length ? `; for ${unjudged.join(', ')} only the per-seed differences listed, too few seeds to judge` : '') +
    '.';
  const doesNotShow = `${absent.length ? `any result for ${absent.join(', ')} (no committed run); ` : ''}anything about other datasets, budgets or the paper's CIFAR / ImageNet numbers.`;
  return { shows, doesNotShow };
}
