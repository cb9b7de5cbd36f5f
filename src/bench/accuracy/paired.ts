/**
 * ResCom against each other method, paired by seed: for every seed that both methods finished, the
 * difference d_s = acc(ResCom, s) - acc(other, s) (same seed = same long-tailed subset, validation
 * split, initialisation and augmentation draws), then the mean of the d_s, their sample standard
 * deviation (n - 1), min / max, and the 95% Student-t interval of the mean,
 * mean ± t(0.975, n - 1) · sd / sqrt(n). Accuracies in [0, 1].
 *
 * The verdict, in words (`PAIRED_RULE`):
 *   - "needs more seeds": fewer than MIN_PAIRED_SEEDS (3) seeds finished by both methods. With one
 *     seed there is no spread at all, with two the spread is one number; neither is a claim.
 *   - "ahead beyond seed noise": at least 3 paired seeds, ResCom ahead on every one of them, and
 *     the whole 95% t-interval of the mean difference above 0.
 *   - "behind beyond seed noise": the mirror image (behind on every seed, interval below 0).
 *   - "within seed noise": otherwise (the sign changes between seeds, or the interval contains 0).
 * The rule is deliberately strict: with 3 seeds, t(0.975, 2) = 4.303, so the mean difference must
 * exceed about 2.5 sd of the per-seed differences.
 */
import type { FinishedRun } from './aggregate';
import { seedsToResolve } from './power';
import { tQuantile975 } from './t-distribution';

/** The method every other method is compared with. */
export const PAIRED_REFERENCE = 'rescom';
/** Fewer paired seeds than this: "needs more seeds". */
export const MIN_PAIRED_SEEDS = 3;

export const PAIRED_RULE =
  `ResCom minus the other method on each seed both finished (paired by seed); mean, sample sd (n − 1), min / max and the 95% t-interval of the mean. ` +
  `Verdict: "needs more seeds" below ${MIN_PAIRED_SEEDS} paired seeds; "ahead beyond seed noise" when ResCom is ahead on every paired seed and the whole 95% t-interval is above 0 ` +
  `("behind beyond seed noise" the mirror image); otherwise "within seed noise".`;

export type PairedVerdict = 'needs more seeds' | 'ahead beyond seed noise' | 'behind beyond seed noise' | 'within seed noise';

/** Paired differences of one metric. Differences in accuracy units ([0, 1] scale). */
export interface PairedStats {
  n: number;
  differences: number[];
  mean: number | null;
  /** Sample standard deviation (n - 1) of the differences; null below 2 pairs. */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** 95% Student-t interval of the mean difference; null below 2 pairs. */
  interval: [number, number] | null;
  /** Seeds on which ResCom is strictly ahead / strictly behind. */
  ahead: number;
  behind: number;
  verdict: PairedVerdict;
  /** One sentence, e.g. "ahead on 3 of 3 seeds, 95% interval [+0.4, +2.1] points: ahead beyond seed noise". */
  words: string;
  /**
   * The power line: at this sd of the paired difference, how many paired seeds a difference of
   * 0.5 and of 1.0 percentage points needs (`seedsToResolve`); null below 2 pairs (no sd).
   */
  power: { seedsFor05: number; seedsFor10: number } | null;
}

export interface PairedComparison {
  imbalanceFactor: number;
  reference: string;
  method: string;
  /** Seeds finished by both, ascending. */
  seeds: number[];
  /** Seeds finished by ResCom only / by the other method only. */
  referenceOnly: number[];
  methodOnly: number[];
  top1: PairedStats;
  few: PairedStats | null;
  /** What is missing, in words ('' when both have the same seeds). */
  note: string;
}

export { tQuantile975 } from './t-distribution';

const points = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;

/** Statistics and verdict of paired differences (ResCom minus other, [0, 1] scale). */
export function pairedStats(differences: number[]): PairedStats {
  const n = differences.length;
  const ahead = differences.filter((d) => d > 0).length;
  const behind = differences.filter((d) => d < 0).length;
  if (n === 0) {
    return { n, differences, mean: null, sd: null, min: null, max: null, interval: null, ahead, behind, verdict: 'needs more seeds', words: 'no seed finished by both: needs more seeds', power: null };
  }
  const mean = differences.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(differences.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1)) : null;
  const half = sd === null ? null : (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  const interval: [number, number] | null = half === null ? null : [mean - half, mean + half];
  let verdict: PairedVerdict;
  if (n < MIN_PAIRED_SEEDS) verdict = 'needs more seeds';
  else if (ahead === n && interval![0] > 0) verdict = 'ahead beyond seed noise';
  else if (behind === n && interval![1] < 0) verdict = 'behind beyond seed noise';
  else verdict = 'within seed noise';
  const sides = `ahead on ${ahead} of ${n} seed${n === 1 ? '' : 's'}${behind > 0 ? `, behind on ${behind}` : ''}`;
  const range = interval ? `, 95% interval [${points(interval[0])}, ${points(interval[1])}] points` : `, ${points(mean)} points`;
  // Differences are on the [0, 1] scale: 0.5 and 1.0 points are 0.005 and 0.01.
  const power = sd === null ? null : { seedsFor05: seedsToResolve(sd, 0.005), seedsFor10: seedsToResolve(sd, 0.01) };
  return { n, differences, mean, sd, min: Math.min(...differences), max: Math.max(...differences), interval, ahead, behind, verdict, words: `${sides}${range}: ${verdict}`, power };
}

/**
 * ResCom against every other method of each imbalance factor, paired by seed. Methods without any
 * run and imbalance factors without a ResCom run give no comparison. `methodOrder` orders the rows.
 */
export function pairedComparisons(runs: FinishedRun[], methodOrder: readonly string[] = []): PairedComparison[] {
  const order = (m: string) => {
    const i = methodOrder.indexOf(m);
    return i < 0 ? methodOrder.length : i;
  };
  const out: PairedComparison[] = [];
  const factors = [...new Set(runs.map((r) => r.imbalanceFactor))].sort((a, b) => b - a);
  for (const imbalanceFactor of factors) {
    const here = runs.filter((r) => r.imbalanceFactor === imbalanceFactor);
    const bySeed = (method: string) => new Map(here.filter((r) => r.method === method).map((r) => [r.seed, r] as const));
    const reference = bySeed(PAIRED_REFERENCE);
    if (reference.size === 0) continue;
    const methods = [...new Set(here.map((r) => r.method))].filter((m) => m !== PAIRED_REFERENCE).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    for (const method of methods) {
      const other = bySeed(method);
      const seeds = [...reference.keys()].filter((s) => other.has(s)).sort((a, b) => a - b);
      const referenceOnly = [...reference.keys()].filter((s) => !other.has(s)).sort((a, b) => a - b);
      const methodOnly = [...other.keys()].filter((s) => !reference.has(s)).sort((a, b) => a - b);
      const top1 = pairedStats(seeds.map((s) => reference.get(s)!.top1 - other.get(s)!.top1));
      const fewSeeds = seeds.filter((s) => reference.get(s)!.few !== null && other.get(s)!.few !== null);
      const few = fewSeeds.length === 0 ? null : pairedStats(fewSeeds.map((s) => reference.get(s)!.few! - other.get(s)!.few!));
      const missing: string[] = [];
      if (referenceOnly.length) missing.push(`${method} lacks seed${referenceOnly.length > 1 ? 's' : ''} ${referenceOnly.join(',')}`);
      if (methodOnly.length) missing.push(`${PAIRED_REFERENCE} lacks seed${methodOnly.length > 1 ? 's' : ''} ${methodOnly.join(',')}`);
      const note = missing.length ? `paired on seed${seeds.length === 1 ? '' : 's'} ${seeds.join(',') || 'none'} only (${missing.join('; ')})` : '';
      out.push({ imbalanceFactor, reference: PAIRED_REFERENCE, method, seeds, referenceOnly, methodOnly, top1, few, note });
    }
  }
  return out;
}

const cellPoints = (s: PairedStats | null, pick: (s: PairedStats) => string) => (s === null || s.mean === null ? 'n/a' : pick(s));

/** Markdown table of the paired comparisons (differences in percentage points), with the rule below it. */
export function formatPairedMarkdown(comparisons: PairedComparison[]): string {
  if (comparisons.length === 0) return `No paired comparison yet: ${PAIRED_REFERENCE} and at least one other method need a finished run with the same seed.\n`;
  const header = ['IF', 'ResCom vs', 'paired seeds', 'top-1 diff (mean ± sd)', 'top-1 95% interval', 'top-1 min / max', 'top-1 verdict', 'seeds to resolve 0.5 / 1.0 pt', 'Few diff (mean ± sd)', 'Few min / max', 'Few verdict', 'missing'];
  const meanSd = (s: PairedStats) => `${points(s.mean!)}${s.sd === null ? '' : ` ± ${(100 * s.sd).toFixed(1)}`}`;
  const interval = (s: PairedStats) => (s.interval ? `[${points(s.interval[0])}, ${points(s.interval[1])}]` : 'n/a');
  const minMax = (s: PairedStats) => `${points(s.min!)} / ${points(s.max!)}`;
  const verdict = (s: PairedStats) => `${s.verdict} (ahead on ${s.ahead} of ${s.n})`;
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 3 || i === 6 || i >= 10 ? '---' : '---:')).join(' | ')} |`,
    ...comparisons.map((c) =>
      [
        c.imbalanceFactor,
        c.method,
        c.seeds.join(',') || 'none',
        cellPoints(c.top1, meanSd),
        cellPoints(c.top1, interval),
        cellPoints(c.top1, minMax),
        c.top1.mean === null ? 'needs more seeds' : verdict(c.top1),
        powerCell(c.top1),
        cellPoints(c.few, meanSd),
        cellPoints(c.few, minMax),
        c.few === null ? 'n/a' : verdict(c.few),
        c.note || '',
      ].join(' | '),
    ).map((row) => `| ${row} |`),
    '',
    `Differences in percentage points. ${PAIRED_RULE} ${POWER_RULE}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** How the power column is computed, in words. */
export const POWER_RULE =
  'Seeds to resolve: at the sd of the paired top-1 differences measured here, the paired seeds a true difference of 0.5 / 1.0 points needs for its 95% interval to exclude 0 with 80% power (two-sided paired t-test, exact noncentral-t power).';

/** "34 / 10" (seeds for 0.5 / 1.0 points), or 'n/a' without an sd. */
export function powerCell(s: PairedStats | null): string {
  return s?.power ? `${s.power.seedsFor05} / ${s.power.seedsFor10}` : 'n/a';
}

/** The power line of one comparison, e.g. "sd of the paired difference 0.60 points: 0.5 points need 14 seeds, 1.0 point 5". */
export function powerLine(s: PairedStats): string {
  if (!s.power || s.sd === null) return 'sd of the paired difference not measured (fewer than 2 paired seeds)';
  return `sd of the paired difference ${(100 * s.sd).toFixed(2)} points: resolving 0.5 points needs ${s.power.seedsFor05} seeds, 1.0 point ${s.power.seedsFor10} (80% power)`;
}

/** One record per comparison for a notebook table: per-seed differences, mean ± sd, interval, verdict (points). */
export function pairedTableRows(comparisons: PairedComparison[]): Record<string, string | number>[] {
  const stats = (x: PairedStats | null) => ({
    differences: x === null ? 'n/a' : x.differences.map(points).join(', '),
    meanSd: x === null || x.mean === null ? 'n/a' : `${points(x.mean)}${x.sd === null ? '' : ` ± ${(100 * x.sd).toFixed(1)}`}`,
    interval: x?.interval ? `[${points(x.interval[0])}, ${points(x.interval[1])}]` : 'n/a',
    verdict: x === null ? 'n/a' : x.verdict,
  });
  return comparisons.map((c) => {
    const top1 = stats(c.top1);
    const few = stats(c.few);
    return {
      'ResCom vs': c.method,
      'paired seeds': c.seeds.join(', ') || 'none',
      'top-1 diff per seed': top1.differences,
      'top-1 mean ± sd': top1.meanSd,
      'top-1 95% interval': top1.interval,
      'top-1 verdict': top1.verdict,
      'seeds to resolve 0.5 / 1.0 pt': powerCell(c.top1),
      'Few diff per seed': few.differences,
      'Few verdict': few.verdict,
    };
  });
}

/**
 * What the paired comparisons support, in sentences built only from their verdicts (`words`):
 * one per comparison, then one saying how many are judged at all (3+ paired seeds) and which, if
 * any, are beyond seed noise. Nothing is claimed that a verdict does not state.
 */
export function describePairedComparisons(comparisons: PairedComparison[]): string[] {
  if (comparisons.length === 0) return [`No paired comparison: ${PAIRED_REFERENCE} and another method share no finished seed, so nothing is compared.`];
  const lines = comparisons.map(
    (c) => `ResCom vs ${c.method} (IF ${c.imbalanceFactor}): top-1 ${c.top1.words}; ${powerLine(c.top1)}; Few ${c.few ? c.few.words : 'n/a'}${c.note ? ` [${c.note}]` : ''}.`,
  );
  const judged = comparisons.filter((c) => c.top1.n >= MIN_PAIRED_SEEDS);
  const beyond = judged.filter((c) => c.top1.verdict === 'ahead beyond seed noise' || c.top1.verdict === 'behind beyond seed noise');
  lines.push(
    judged.length === 0
      ? `No comparison has ${MIN_PAIRED_SEEDS} paired seeds yet: the table does not say whether ResCom is ahead of or behind any method beyond seed noise.`
      : `${judged.length} of ${comparisons.length} comparisons have ${MIN_PAIRED_SEEDS}+ paired seeds; beyond seed noise on top-1: ${beyond.length ? beyond.map((c) => `${c.method} (${c.top1.verdict})`).join(', ') : 'none'}.`,
  );
  return lines;
}

/** CSV, one line per comparison (differences in [0, 1] units; empty cells where undefined). */
export function formatPairedCsv(comparisons: PairedComparison[]): string {
  const header =
    'imbalance_factor,reference,method,paired_seeds,reference_only_seeds,method_only_seeds,top1_mean_diff,top1_sd_diff,top1_ci95_low,top1_ci95_high,top1_min_diff,top1_max_diff,top1_ahead,top1_verdict,top1_seeds_for_0_5pt,top1_seeds_for_1pt,few_mean_diff,few_sd_diff,few_ci95_low,few_ci95_high,few_min_diff,few_max_diff,few_ahead,few_verdict';
  const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6))));
  const stats = (s: PairedStats | null) =>
    s === null ? ['', '', '', '', '', '', '', ''] : [num(s.mean), num(s.sd), num(s.interval?.[0]), num(s.interval?.[1]), num(s.min), num(s.max), String(s.ahead), s.verdict];
  const lines = comparisons.map((c) =>
    [c.imbalanceFactor, c.reference, c.method, c.seeds.join(' '), c.referenceOnly.join(' '), c.methodOnly.join(' '), ...stats(c.top1), c.top1.power?.seedsFor05 ?? '', c.top1.power?.seedsFor10 ?? '', ...stats(c.few)].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
