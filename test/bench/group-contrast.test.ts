import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  EVIDENCE_GROUPS,
  LAMBDA_LEAD_OPTIONS,
  LONG_BUDGET_OPTIONS,
  contrastGroups,
  formatGroupContrastsMarkdown,
  formatGroupContrastsText,
  loadProtocolEvidence,
  runDirOf,
  type BenchSettings,
} from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

function writeRun(dir: string, settings: BenchSettings, method: string, seed: number, top1: number): void {
  const runDir = runDirOf(dir, settings, 100, method, seed);
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
  rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
  writeFileAtomic(
    path.join(runDir, TEST_RESULTS_FILE),
    JSON.stringify({ subset: { trainSha256: 'a'.repeat(64) }, summary: { top1, many: 0.9, medium: 0.8, few: 0.7 }, result: { groups: { rule: 'thirds' }, perClass: [] } }),
  );
}

const evidence = (dir: string) =>
  EVIDENCE_GROUPS.map((group) => ({ group, evidence: loadProtocolEvidence({ dir, settings: group.options, seeds: group.options.seeds, methods: group.options.methods }) }));
const close = (t: { true: (v: boolean, m?: string) => void }, a: number | null, b: number) => t.true(a !== null && Math.abs(a - b) < 1e-9, `${a} vs ${b}`);

test('group contrasts: levels and the rescom - sbs gap, changed minus baseline, paired by seed; borrowed runs are the same runs (hand case)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-contrast-'));
  // Baseline (fixed), seeds 0-3: sbs 0.86, 0.87, 0.85, 0.86; rescom = sbs + 0.002, 0.004, 0.000, 0.006 (gaps 0.2, 0.4, 0.0, 0.6 points).
  const sbsFixed = [0.86, 0.87, 0.85, 0.86];
  const gapFixed = [0.002, 0.004, 0.0, 0.006];
  sbsFixed.forEach((v, s) => {
    writeRun(dir, DEFAULT_ACCURACY_BENCH_OPTIONS, 'sbs', s, v);
    writeRun(dir, DEFAULT_ACCURACY_BENCH_OPTIONS, 'rescom', s, v + gapFixed[s]);
  });
  // Long, seeds 0-2: sbs 2 points higher on every seed; rescom = long sbs + 0.001, 0.002, 0.009.
  const gapLong = [0.001, 0.002, 0.009];
  gapLong.forEach((g, s) => {
    writeRun(dir, LONG_BUDGET_OPTIONS, 'sbs', s, sbsFixed[s] + 0.02);
    writeRun(dir, LONG_BUDGET_OPTIONS, 'rescom', s, sbsFixed[s] + 0.02 + g);
  });
  // Lambda 0.25 trains rescom only (seeds 0, 1): 0.3 and 0.1 points above the fixed rescom; its sbs is borrowed from fixed.
  writeRun(dir, LAMBDA_LEAD_OPTIONS, 'rescom', 0, sbsFixed[0] + gapFixed[0] + 0.003);
  writeRun(dir, LAMBDA_LEAD_OPTIONS, 'rescom', 1, sbsFixed[1] + gapFixed[1] + 0.001);

  const [budget, lambda] = contrastGroups(evidence(dir));
  t.deepEqual([budget.contrast.id, budget.contrast.changed, budget.contrast.baseline], ['budget', 'long', 'fixed']);
  const level = (r: typeof budget, m: string) => r.levels.find((l) => l.method === m)!;
  // sbs level: +2 points on each of seeds 0-2, sd 0.
  t.deepEqual(level(budget, 'sbs').seeds, [0, 1, 2]);
  close(t, level(budget, 'sbs').top1.mean, 0.02);
  close(t, level(budget, 'sbs').top1.sd, 0);
  t.false(level(budget, 'sbs').sameRuns);
  // rescom level: 2 + (long gap - fixed gap) = 2 - 0.1, 2 - 0.2, 2 + 0.9 points.
  t.deepEqual(level(budget, 'rescom').top1.differences.map((d) => Math.round(1e5 * d) / 1e3), [1.9, 1.8, 2.9]);
  // The gap, paired: -0.1, -0.2, +0.9 points: mean 0.2, sd by hand.
  t.deepEqual(budget.gap!.seeds, [0, 1, 2]);
  close(t, budget.gap!.top1.mean, 0.002);
  const d = [-0.001, -0.002, 0.009];
  close(t, budget.gap!.top1.sd, Math.sqrt(d.reduce((a, x) => a + (x - 0.002) ** 2, 0) / 2));
  t.is(budget.gap!.top1.verdict, 'within seed noise');
  // Over all seeds: long's gaps (0.1, 0.2, 0.9; mean 0.4) against fixed's (0.2, 0.4, 0, 0.6; mean 0.3): +0.1 points.
  t.deepEqual([budget.gapWelch!.changedSeeds, budget.gapWelch!.baselineSeeds], [[0, 1, 2], [0, 1, 2, 3]]);
  close(t, budget.gapWelch!.welch.difference, 0.001);
  const v = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
  };
  close(t, budget.gapWelch!.welch.standardError, Math.sqrt(v(gapLong) / 3 + v(gapFixed) / 4));

  // Lambda: sbs is the very same runs (borrowed), rescom +0.3 and +0.1 points; two seeds need more.
  t.true(level(lambda, 'sbs').sameRuns);
  t.false(level(lambda, 'rescom').sameRuns);
  close(t, level(lambda, 'rescom').top1.mean, 0.002);
  t.is(level(lambda, 'rescom').top1.verdict, 'needs more seeds');
  t.deepEqual(lambda.gap!.seeds, [0, 1]);

  const markdown = formatGroupContrastsMarkdown([budget, lambda]);
  t.regex(markdown, /\| `sbs` level \| 0,1,2 \| \+2\.00 ± 0\.00 \| \[\+2\.00, \+2\.00\] \| ahead beyond seed noise \(higher on 3 of 3\) \|/);
  t.regex(markdown, /\| rescom − sbs gap \| 0,1,2 \| \+0\.20 ± 0\.61 \| .* \| within seed noise \(larger on 1 of 3\) \|/);
  t.regex(markdown, /\| `sbs` level \| 0,1,2,3 \| 0 \(the same runs\) \| n\/a \| n\/a \|/);
  t.regex(markdown, /- `sbs`: the same runs in both groups \(the change does not touch it\), so the gap moves exactly as ResCom's level does\./);
  t.regex(markdown, /The same gap over all seeds of each group \(long: 0,1,2; fixed: 0,1,2,3\): \+0\.10 \[/);
  t.regex(formatGroupContrastsText([budget]), /^Across groups .*\n {2}Does the gap grow with the budget\?.*\n {4}rescom level, long minus fixed: \+2\.20 ± 0\.61 points/);

  // A contrast whose changed group has no runs is left out.
  t.deepEqual(contrastGroups(evidence(dir).filter((g) => g.group.id !== 'long')).map((r) => r.contrast.id), ['lambda']);
  t.is(formatGroupContrastsMarkdown([]), 'No two groups of a contrast have committed runs yet.\n');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the committed groups: the longer budget lifts both levels beyond seed noise, and every contrast pairs at least 5 seeds', (t) => {
  const results = contrastGroups(evidence(path.resolve(__dirname, '..', '..', 'bench', 'results', 'protocol')));
  t.deepEqual(results.map((r) => r.contrast.id), ['budget', 'lambda']);
  for (const r of results) t.true(r.gap !== null && r.gap.seeds.length >= 5, `${r.contrast.id}: ${r.gap?.seeds}`);
  const budget = results[0];
  for (const l of budget.levels) t.is(l.top1.verdict, 'ahead beyond seed noise', `${l.method}: ${l.top1.words}`);
  t.true(results[1].levels.find((l) => l.method === 'sbs')!.sameRuns);
});
