/**
 * Both codes on both subsets (issue 23's gap hunt): the reference code's gap (ResCom minus its
 * two-view Balanced Softmax, bench/results/reference-code/*.json) on each subset it was run on,
 * beside this project's rescom - sbs on the very same rows under the same protocol (the file's
 * `counterpart` evidence group). Welch's t-test (./welch.ts) across the codes on one subset says
 * whether the code matters; across the subsets within one code, whether the subset does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvidenceGroup } from './evidence';
import type { ProtocolEvidence } from './protocol';
import { readReferenceCodeGap, REFERENCE_CODE_GAP_FILE, type ReferenceCodeGap } from './reference-code';
import { formatWelch, summarize, welchTTest, type SampleSummary, type WelchResult } from './welch';

/** The folder of the reference code's committed gaps, one file per subset it ran on. */
export const REFERENCE_CODE_DIR = path.dirname(REFERENCE_CODE_GAP_FILE);

/** Every reference gap file of `dir` (sorted by name) that names its subset and its counterpart group. */
export function readReferenceCodeGaps(dir = REFERENCE_CODE_DIR): ReferenceCodeGap[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readReferenceCodeGap(path.join(dir, f)))
    .filter((r) => r.subsetSha256 !== null && r.counterpart !== null);
}

/** One subset: the reference code's gap and this project's on the same rows. */
export interface SubsetComparison {
  subsetSha256: string;
  reference: ReferenceCodeGap;
  group: EvidenceGroup;
  /** This project's rescom - sbs per paired seed of the counterpart group; null below 2 paired seeds. */
  ours: { seeds: number[]; differences: number[]; summary: SampleSummary } | null;
  /** Ours minus the reference's (null without `ours`, or when both have sd 0). */
  codes: WelchResult | null;
  /** Why this project's side is left out although it has runs: one of them is not on the reference's rows. */
  mismatch: string | null;
}

/** Across two subsets within one code: the second subset's gap minus the first's. */
export interface AcrossSubsets {
  reference: WelchResult | null;
  ours: WelchResult | null;
}

/**
 * The comparison per reference file whose counterpart group is among `groups` (the README block
 * passes only groups with committed runs), in file order. Where one of the counterpart's runs
 * trained on other rows than the reference's subset (or did not record its rows), this project's
 * side is left out and `mismatch` says which run: the comparison would not be on the same images.
 */
export function codeBySubset(groups: Array<{ group: EvidenceGroup; evidence: ProtocolEvidence }>, references: ReferenceCodeGap[]): SubsetComparison[] {
  const rows: SubsetComparison[] = [];
  for (const reference of references) {
    const found = groups.find((g) => g.group.id === reference.counterpart);
    if (!found) continue;
    const subsetSha256 = reference.subsetSha256!;
    const runs = found.evidence.table?.runs ?? [];
    const other = runs.find((r) => r.subsetSha256 !== subsetSha256);
    if (other) {
      const rows_ = other.subsetSha256 === null ? 'did not record its rows' : `trained on subset ${other.subsetSha256.slice(0, 12)}`;
      const mismatch = `not the same images: run ${other.method} seed ${other.seed} of '${found.group.id}' ${rows_}`;
      rows.push({ subsetSha256, reference, group: found.group, ours: null, codes: null, mismatch });
      continue;
    }
    const paired = found.evidence.table?.paired.find((p) => p.method === 'sbs');
    const ours = paired && paired.top1.n >= 2 ? { seeds: paired.seeds, differences: paired.top1.differences, summary: summarize(paired.top1.differences) } : null;
    rows.push({ subsetSha256, reference, group: found.group, ours, codes: ours ? welch(ours.summary, reference.summary) : null, mismatch: null });
  }
  return rows;
}

/** The second comparison's gaps minus the first's, per code (null where a side lacks 2 seeds). */
export function acrossSubsets(first: SubsetComparison, second: SubsetComparison): AcrossSubsets {
  return {
    reference: welch(second.reference.summary, first.reference.summary),
    ours: first.ours && second.ours ? welch(second.ours.summary, first.ours.summary) : null,
  };
}

function welch(a: SampleSummary, b: SampleSummary): WelchResult | null {
  return a.sd === 0 && b.sd === 0 ? null : welchTTest(a, b);
}

const pts = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}`;
const gap = (s: SampleSummary) => `${pts(s.mean)} ± ${(100 * s.sd).toFixed(2)}`;
const verdict = (w: WelchResult, who: string) => (w.p < 0.05 ? `${who} differ beyond seed noise` : `${who}: within seed noise (not a proof that they are equal)`);

/** The README's table: one row per subset, then the two across-subset comparisons where there are two subsets. */
export function formatCodeBySubsetMarkdown(rows: SubsetComparison[]): string {
  if (rows.length === 0) return 'No subset has results of both codes yet.\n';
  const lines = [
    '| subset (rows sha256) | reference code: ResCom − its two-view Balanced Softmax | seeds | this project: rescom − sbs | group, seeds | this project minus the reference code, 95% interval, p | verdict |',
    '| --- | ---: | --- | ---: | --- | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.subsetSha256.slice(0, 12)} | ${gap(r.reference.summary)} | ${r.reference.seeds.join(',')} | ${r.ours ? gap(r.ours.summary) : (r.mismatch ?? 'fewer than 2 paired seeds')} | ${r.group.id}, ${r.ours ? r.ours.seeds.join(',') : '-'} | ${r.codes ? formatWelch(r.codes) : 'n/a'} | ${r.codes ? verdict(r.codes, 'the codes') : 'n/a'} |`,
    );
  }
  const across = acrossLines(rows, '- ');
  lines.push('', ...(across.length ? [...across, ''] : []), "Points; each code paired by seed within itself, the codes and the subsets compared by Welch's two-sample t-test.");
  return `${lines.join('\n')}\n`;
}

/** Plain text of the same, for `npm start`. */
export function formatCodeBySubsetText(rows: SubsetComparison[]): string {
  const lines = ['Both codes on both subsets (ResCom minus its two-view Balanced Softmax / sbs, points):'];
  for (const r of rows) {
    lines.push(
      `  subset ${r.subsetSha256.slice(0, 12)}: reference code ${gap(r.reference.summary)} (seeds ${r.reference.seeds.join(',')}); this project ${r.ours ? `${gap(r.ours.summary)} (${r.group.id}, seeds ${r.ours.seeds.join(',')})` : `${r.mismatch ?? 'fewer than 2 paired seeds'} (${r.group.id})`}` +
        (r.codes ? `; this project minus the reference ${formatWelch(r.codes)}: ${verdict(r.codes, 'the codes')}` : ''),
    );
  }
  lines.push(...acrossLines(rows, '  '));
  return `${lines.join('\n')}\n`;
}

function acrossLines(rows: SubsetComparison[], prefix: string): string[] {
  if (rows.length !== 2) return [];
  const [a, b] = rows;
  const across = acrossSubsets(a, b);
  const which = `subset ${b.subsetSha256.slice(0, 12)} minus subset ${a.subsetSha256.slice(0, 12)}`;
  const line = (who: string, w: WelchResult | null) => `${prefix}${who}, ${which}: ${w ? `${formatWelch(w)}: ${verdict(w, 'the subsets')}` : 'n/a (fewer than 2 seeds on a side)'}.`;
  return [line('The reference code', across.reference), line('This project', across.ours)];
}
