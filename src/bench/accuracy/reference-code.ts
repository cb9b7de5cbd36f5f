/**
 * The reference code's gap beside this project's: the authors' ResCom code, run outside this project
 * on the reference's subset (bench/results/reference-code/authors-fashion-mnist-lt.json), gave
 * ResCom minus its two-view Balanced Softmax on four seeds; each evidence group gives rescom minus
 * sbs paired by seed (./paired.ts). Welch's t-test (./welch.ts) says whether the two gaps differ
 * beyond seed noise: the question of issue 23's "gap hunt".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvidenceGroup } from './evidence';
import type { ProtocolEvidence } from './protocol';
import { summarize, welchTTest, type SampleSummary, type WelchResult } from './welch';
import { seedPointsFigure, type SeedRun } from '../../viz/protocol-figure';
import type { PlotlyFigure } from '../../viz/figure';

export const REFERENCE_CODE_GAP_FILE = path.resolve(__dirname, '..', '..', '..', 'bench', 'results', 'reference-code', 'authors-fashion-mnist-lt.json');

export interface ReferenceCodeGap {
  file: string;
  seeds: number[];
  /** ResCom minus Balanced Softmax per seed, [0, 1] scale. */
  differences: number[];
  summary: SampleSummary;
  what: string;
  /** Identity of the subset it trained on (`data.rowsIdentity` of its rows); null where the file does not say. */
  subsetSha256: string | null;
  /** The evidence group (./evidence.ts id) that trains this project on the same rows under the same protocol; null where none. */
  counterpart: string | null;
}

export function readReferenceCodeGap(file = REFERENCE_CODE_GAP_FILE): ReferenceCodeGap {
  const fn = 'readReferenceCodeGap';
  let data: { seeds?: unknown; rescomMinusBalancedSoftmax?: unknown; what?: unknown; subsetSha256?: unknown; counterpart?: unknown };
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${fn}: cannot read ${file}: ${(e as Error).message}`);
  }
  const { seeds, rescomMinusBalancedSoftmax: differences, what } = data;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!numbers(seeds) || !numbers(differences) || seeds.length !== differences.length || seeds.length < 2 || typeof what !== 'string') {
    throw new Error(`${fn}: ${file} must hold 'seeds' and 'rescomMinusBalancedSoftmax' (two or more finite numbers each, as many of one as of the other) and 'what'`);
  }
  if (differences.some((d) => Math.abs(d) > 1)) throw new Error(`${fn}: ${file}: differences are on the [0, 1] scale; got ${differences.join(', ')}`);
  for (const key of ['subsetSha256', 'counterpart'] as const) {
    if (data[key] !== undefined && typeof data[key] !== 'string') throw new Error(`${fn}: ${file}: '${key}' must be a string where present; got ${JSON.stringify(data[key])}`);
  }
  const subsetSha256 = (data.subsetSha256 as string | undefined) ?? null;
  if (subsetSha256 !== null && !/^[0-9a-f]{64}$/.test(subsetSha256)) throw new Error(`${fn}: ${file}: 'subsetSha256' must be 64 hex digits (data.rowsIdentity); got ${subsetSha256}`);
  return { file, seeds, differences, summary: summarize(differences), what, subsetSha256, counterpart: (data.counterpart as string | undefined) ?? null };
}

export interface ReferenceGapRow {
  group: EvidenceGroup;
  /** This group's rescom - sbs per paired seed. */
  seeds: number[];
  differences: number[];
  summary: SampleSummary;
  /** This group's gap minus the reference code's. */
  welch: WelchResult;
}

/** Every group with at least 2 paired seeds of rescom and sbs, against the reference code's gap. */
export function referenceGapRows(groups: Array<{ group: EvidenceGroup; evidence: ProtocolEvidence }>, reference: ReferenceCodeGap): ReferenceGapRow[] {
  const rows: ReferenceGapRow[] = [];
  for (const { group, evidence } of groups) {
    const c = evidence.table?.paired.find((p) => p.method === 'sbs');
    if (!c || c.top1.n < 2 || c.top1.sd === null) continue;
    const summary = summarize(c.top1.differences);
    if (summary.sd === 0 && reference.summary.sd === 0) continue;
    rows.push({ group, seeds: c.seeds, differences: c.top1.differences, summary, welch: welchTTest(summary, reference.summary) });
  }
  return rows;
}

const pts = (v: number, digits = 2) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(digits)}`;

/** In words: whether a group's gap differs from the reference code's (two-sided Welch test at 5%). */
export function referenceGapVerdict(w: WelchResult): string {
  return w.p < 0.05
    ? `differs from the reference code's gap beyond seed noise (p = ${w.p.toFixed(3)})`
    : `within seed noise of the reference code's gap (p = ${w.p.toFixed(2)}; not a proof that they are equal)`;
}

/** The README's comparison: the reference code's per-seed gap, then each group's row. */
export function formatReferenceGapMarkdown(rows: ReferenceGapRow[], reference: ReferenceCodeGap): string {
  const lines = [
    `The reference code's gap (bench/results/reference-code/${path.basename(reference.file)}: the authors' code on the reference subset, seeds ${reference.seeds.join(', ')}, ResCom minus its two-view Balanced Softmax): ${reference.differences.map((d) => pts(d)).join(', ')} points, mean ${pts(reference.summary.mean)} ± ${(100 * reference.summary.sd).toFixed(2)}.`,
    '',
  ];
  if (rows.length === 0) {
    lines.push('No evidence group has two paired seeds of rescom and sbs yet: nothing to compare with it.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '| group | paired seeds | rescom − sbs (mean ± sd) | minus the reference code\'s gap | 95% interval | Welch t (df) | two-sided p | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of rows) {
    const w = r.welch;
    lines.push(
      `| ${r.group.id} | ${r.seeds.join(',')} | ${pts(r.summary.mean)} ± ${(100 * r.summary.sd).toFixed(2)} | ${pts(w.difference)} | [${pts(w.interval[0])}, ${pts(w.interval[1])}] | ${w.t.toFixed(2)} (${w.df.toFixed(1)}) | ${w.p.toFixed(3)} | ${referenceGapVerdict(w)} |`,
    );
  }
  lines.push(
    '',
    "Points. Welch's two-sample t-test of this project's paired gaps against the reference code's (unequal variances, Welch-Satterthwaite degrees of freedom); the groups differ from the reference run in the ways their titles say.",
  );
  return `${lines.join('\n')}\n`;
}

/** Plain text of the same comparison, for `npm start`. */
export function formatReferenceGapText(rows: ReferenceGapRow[], reference: ReferenceCodeGap): string {
  const lines = [
    `ResCom's gap over sbs beside the reference code's (the authors' code on the reference subset: ${pts(reference.summary.mean)} ± ${(100 * reference.summary.sd).toFixed(2)} points on seeds ${reference.seeds.join(', ')}):`,
  ];
  if (rows.length === 0) lines.push('  no evidence group has two paired seeds of rescom and sbs yet.');
  for (const r of rows) {
    const w = r.welch;
    lines.push(
      `  ${r.group.id}: ${pts(r.summary.mean)} ± ${(100 * r.summary.sd).toFixed(2)} on ${r.seeds.length} seeds; minus the reference's ${pts(w.difference)} points, 95% interval [${pts(w.interval[0])}, ${pts(w.interval[1])}], Welch t ${w.t.toFixed(2)} (df ${w.df.toFixed(1)}): ${referenceGapVerdict(w)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The comparison as a picture: per group (and the reference code) one dot per seed's rescom - sbs gap
 * and a dash at the mean, in points, with a dashed line at 0 (./../../viz/protocol-figure.ts).
 */
export function referenceGapFigure(rows: ReferenceGapRow[], reference: ReferenceCodeGap): PlotlyFigure {
  const label = 'reference code';
  const points: SeedRun[] = [
    ...reference.seeds.map((seed, i) => ({ method: label, seed, top1: reference.differences[i], few: null })),
    ...rows.flatMap((r) => r.seeds.map((seed, i) => ({ method: r.group.id, seed, top1: r.differences[i], few: null }))),
  ];
  return seedPointsFigure(points, {
    methods: [label, ...rows.map((r) => r.group.id)],
    title: "ResCom minus sbs per seed (dots) and mean (dash): each evidence group beside the reference code",
    yTitle: 'rescom − sbs, test top-1 (points)',
    unit: ' points',
    zeroLine: true,
  });
}
