/**
 * One evidence group against another (issue 23, items 3 and 4): does a change of the protocol (the
 * longer budget with stronger views, or lambda 0.25) move each method's level, and does it move
 * ResCom's gap over sbs? The two groups train on the same subset, and one seed gives the same initial
 * network in both, so each comparison is paired by seed (./paired.ts's rule and words: "ahead" means
 * the changed group is higher). The gap is also compared over all seeds of each group with Welch's
 * test (./welch.ts), which uses the baseline's extra seeds but not the pairing.
 */
import type { FinishedRun } from './aggregate';
import type { EvidenceGroup } from './evidence';
import { pairedStats, PAIRED_REFERENCE, powerLine, type PairedStats } from './paired';
import type { ProtocolEvidence } from './protocol';
import { formatWelch, summarize, welchTTest, type WelchResult } from './welch';

/** The method whose gap to ResCom the contrast follows (ResCom's two-view baseline). */
export const GAP_BASELINE = 'sbs';

export interface GroupContrast {
  id: string;
  /** The question, in words. */
  question: string;
  /** Evidence group ids (./evidence.ts): the protocol as it is, and the group with one change. */
  baseline: string;
  changed: string;
}

export const GROUP_CONTRASTS: readonly GroupContrast[] = [
  {
    id: 'budget',
    question: 'Does the gap grow with the budget? 100 epochs with AutoAugment-style views + Cutout (long) against 30 epochs with crop + flip (fixed), same subset',
    baseline: 'fixed',
    changed: 'long',
  },
  {
    id: 'lambda',
    question: "Does the validation lead hold on the test set? lambda 0.25 (lambda-0.25) against the protocol's 0.5 (fixed), same subset and budget",
    baseline: 'fixed',
    changed: 'lambda-0.25',
  },
];

/** One method's accuracy in the changed group minus the baseline group, paired by seed. */
export interface LevelContrast {
  method: string;
  seeds: number[];
  /** Changed minus baseline, top-1, [0, 1] scale. */
  top1: PairedStats;
  /** True when both groups hold the very same runs (a variant group borrows a method its change cannot touch). */
  sameRuns: boolean;
}

export interface GroupContrastResult {
  contrast: GroupContrast;
  levels: LevelContrast[];
  /** (rescom - sbs) in the changed group minus in the baseline group, paired by seed; null without a seed of all four runs. */
  gap: { seeds: number[]; top1: PairedStats } | null;
  /** The changed group's gaps (all its seeds) against the baseline's (all its seeds); null below 2 seeds on a side or when both sds are 0. */
  gapWelch: { changedSeeds: number[]; baselineSeeds: number[]; welch: WelchResult } | null;
}

/** Every contrast whose two groups are among `groups` and both have committed runs. */
export function contrastGroups(
  groups: Array<{ group: EvidenceGroup; evidence: ProtocolEvidence }>,
  contrasts: readonly GroupContrast[] = GROUP_CONTRASTS,
): GroupContrastResult[] {
  const runsOf = (id: string) => groups.find((g) => g.group.id === id)?.evidence.table?.runs ?? null;
  const out: GroupContrastResult[] = [];
  for (const contrast of contrasts) {
    const baseline = runsOf(contrast.baseline);
    const changed = runsOf(contrast.changed);
    if (!baseline || !changed) continue;
    const methods = [...new Set(changed.map((r) => r.method))].filter((m) => baseline.some((r) => r.method === m));
    const levels = methods.map((method) => {
      const a = bySeed(changed, method);
      const b = bySeed(baseline, method);
      const seeds = common(a, b);
      return { method, seeds, top1: pairedStats(seeds.map((s) => a.get(s)!.top1 - b.get(s)!.top1)), sameRuns: seeds.length > 0 && seeds.every((s) => a.get(s)!.runDir === b.get(s)!.runDir) };
    });
    const gapsChanged = gapsBySeed(changed);
    const gapsBaseline = gapsBySeed(baseline);
    const gapSeeds = common(gapsChanged, gapsBaseline);
    const gap = gapSeeds.length === 0 ? null : { seeds: gapSeeds, top1: pairedStats(gapSeeds.map((s) => gapsChanged.get(s)! - gapsBaseline.get(s)!)) };
    out.push({ contrast, levels, gap, gapWelch: welchOfGaps(gapsChanged, gapsBaseline) });
  }
  return out;
}

function bySeed(runs: FinishedRun[], method: string): Map<number, FinishedRun> {
  return new Map(runs.filter((r) => r.method === method).map((r) => [r.seed, r] as const));
}

function sortedSeeds(m: Map<number, unknown>): number[] {
  return [...m.keys()].sort((x, y) => x - y);
}

function common(a: Map<number, unknown>, b: Map<number, unknown>): number[] {
  return sortedSeeds(a).filter((s) => b.has(s));
}

/** rescom - sbs top-1 on each seed that has both. */
function gapsBySeed(runs: FinishedRun[]): Map<number, number> {
  const rescom = bySeed(runs, PAIRED_REFERENCE);
  const base = bySeed(runs, GAP_BASELINE);
  return new Map(common(rescom, base).map((s) => [s, rescom.get(s)!.top1 - base.get(s)!.top1] as const));
}

function welchOfGaps(changed: Map<number, number>, baseline: Map<number, number>): GroupContrastResult['gapWelch'] {
  if (changed.size < 2 || baseline.size < 2) return null;
  const a = summarize([...changed.values()]);
  const b = summarize([...baseline.values()]);
  if (a.sd === 0 && b.sd === 0) return null;
  return { changedSeeds: sortedSeeds(changed), baselineSeeds: sortedSeeds(baseline), welch: welchTTest(a, b) };
}

const pts = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}`;
const meanSd = (s: PairedStats) => (s.mean === null ? 'n/a' : `${pts(s.mean)}${s.sd === null ? '' : ` ± ${(100 * s.sd).toFixed(2)}`}`);
const interval = (s: PairedStats) => (s.interval ? `[${pts(s.interval[0])}, ${pts(s.interval[1])}]` : 'n/a');
const welchWords = (w: WelchResult) => `${formatWelch(w)}: ${w.p < 0.05 ? 'differ beyond seed noise' : 'within seed noise (not a proof that they are equal)'}`;

/** One line per compared quantity, in words; shared by the Markdown and the text. */
function contrastLines(r: GroupContrastResult): string[] {
  const { baseline, changed } = r.contrast;
  const lines: string[] = [];
  for (const l of r.levels) {
    lines.push(
      l.sameRuns
        ? `\`${l.method}\`: the same runs in both groups (the change does not touch it)${l.method === GAP_BASELINE ? ", so the gap moves exactly as ResCom's level does" : ''}.`
        : `\`${l.method}\` level, ${changed} minus ${baseline}: ${meanSd(l.top1)} points; ${l.top1.words}${l.top1.sd !== null ? `; ${powerLine(l.top1)}` : ''}.`,
    );
  }
  if (r.gap) {
    lines.push(
      `ResCom's gap over \`${GAP_BASELINE}\`, ${changed} minus ${baseline}, paired by seed (${r.gap.seeds.join(',')}): ${meanSd(r.gap.top1)} points; ${r.gap.top1.words}${r.gap.top1.sd !== null ? `; ${powerLine(r.gap.top1)}` : ''}.`,
    );
  }
  if (r.gapWelch) {
    lines.push(
      `The same gap over all seeds of each group (${changed}: ${r.gapWelch.changedSeeds.join(',')}; ${baseline}: ${r.gapWelch.baselineSeeds.join(',')}): ${welchWords(r.gapWelch.welch)}.`,
    );
  }
  return lines;
}

/** The README's section: per contrast its question, a table of the paired comparisons, and the lines in words. */
export function formatGroupContrastsMarkdown(results: GroupContrastResult[]): string {
  if (results.length === 0) return 'No two groups of a contrast have committed runs yet.\n';
  const out: string[] = [];
  for (const r of results) {
    out.push(`**${r.contrast.question}**`, '');
    out.push(`| ${r.contrast.changed} minus ${r.contrast.baseline} | paired seeds | top-1 diff (mean ± sd) | 95% interval | verdict (paired rule) |`, '| --- | --- | ---: | ---: | --- |');
    for (const l of r.levels) {
      if (l.sameRuns) out.push(`| \`${l.method}\` level | ${l.seeds.join(',')} | 0 (the same runs) | n/a | n/a |`);
      else out.push(`| \`${l.method}\` level | ${l.seeds.join(',')} | ${meanSd(l.top1)} | ${interval(l.top1)} | ${l.top1.verdict} (higher on ${l.top1.ahead} of ${l.top1.n}) |`);
    }
    if (r.gap) out.push(`| rescom − ${GAP_BASELINE} gap | ${r.gap.seeds.join(',')} | ${meanSd(r.gap.top1)} | ${interval(r.gap.top1)} | ${r.gap.top1.verdict} (larger on ${r.gap.top1.ahead} of ${r.gap.top1.n}) |`);
    out.push('', ...contrastLines(r).map((l) => `- ${l}`), '');
  }
  out.push(
    'Points. Changed group minus baseline group on each seed both ran (one seed gives the same initial network in both; the views and schedule differ where the groups do), with the paired rule of the tables above ("ahead": the changed group is higher); the gap line over all seeds uses Welch\'s two-sample t-test instead.',
  );
  return `${out.join('\n')}\n`;
}

/** Plain text of the same, for `npm start`. */
export function formatGroupContrastsText(results: GroupContrastResult[]): string {
  const lines = ['Across groups (changed minus baseline, points):'];
  if (results.length === 0) lines.push('  no two groups of a contrast have committed runs yet.');
  for (const r of results) lines.push(`  ${r.contrast.question}`, ...contrastLines(r).map((l) => `    ${l.replace(/`/g, '')}`));
  return `${lines.join('\n')}\n`;
}
