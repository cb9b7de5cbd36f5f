import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AUTHORS_CONSTANT_LR_OPTIONS,
  EVIDENCE_GROUPS,
  REFERENCE_CODE_GAP_FILE,
  formatReferenceGapMarkdown,
  formatReferenceGapText,
  referenceGapFigure,
  loadProtocolEvidence,
  readReferenceCodeGap,
  referenceGapRows,
  runDirOf,
  summarize,
  welchTTest,
} from '../../src/bench/accuracy/index';
import { logGamma, normalCdf, studentTCdf, studentTQuantile, tQuantile975 } from '../../src/bench/accuracy/t-distribution';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

/** P(T <= t) by Simpson's rule over Student's t density (an independent route: no incomplete beta). */
function tCdfByIntegration(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (x: number) => Math.exp(logC - ((df + 1) / 2) * Math.log(1 + (x * x) / df));
  const steps = 20000;
  const h = Math.abs(t) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) sum += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * density(i * h);
  const half = (sum * h) / 3;
  return t >= 0 ? 0.5 + half : 0.5 - half;
}

test("Student's t CDF: closed forms for df 1 and 2, the density integrated for real df, the normal limit", (t) => {
  for (const x of [-30, -4, -1, -0.3, 0, 0.5, 2, 12]) {
    t.true(Math.abs(studentTCdf(x, 1) - (0.5 + Math.atan(x) / Math.PI)) < 1e-12, `df 1 (Cauchy) at ${x}`);
    t.true(Math.abs(studentTCdf(x, 2) - (0.5 + x / (2 * Math.sqrt(2 + x * x)))) < 1e-12, `df 2 at ${x}`);
  }
  for (const df of [0.7, 2.8, 5.5, 9.04, 24.99, 80]) {
    for (const x of [-3.66, -2.46, -1, 0.2, 1.7, 4]) {
      t.true(Math.abs(studentTCdf(x, df) - tCdfByIntegration(x, df)) < 1e-9, `df ${df} at ${x}: ${studentTCdf(x, df)} vs ${tCdfByIntegration(x, df)}`);
    }
  }
  t.true(Math.abs(studentTCdf(1.3, 1e7) - normalCdf(1.3)) < 1e-6);
  t.is(studentTCdf(Infinity, 3), 1);
  t.is(studentTCdf(-Infinity, 3), 0);
  t.throws(() => studentTCdf(1, 0), { message: /df must be finite and > 0; got 0/ });
  t.throws(() => studentTCdf(NaN, 3), { message: /t is NaN/ });
});

test("Student's t quantile inverts the CDF and reproduces the table's 97.5% points", (t) => {
  for (let df = 1; df <= 30; df++) t.true(Math.abs(studentTQuantile(0.975, df) - tQuantile975(df)) < 6e-4, `df ${df}`);
  for (const [p, df] of [[0.01, 3.3], [0.5, 7], [0.9, 12.5]] as const) t.true(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) < 1e-9);
  t.true(Math.abs(studentTQuantile(0.5, 4)) < 1e-9);
  t.throws(() => studentTQuantile(1, 3), { message: /p must lie in \(0, 1\); got 1/ });
});

test("Welch's test: the textbook example (t -2.46, df 25.0, p 0.021) and issue 23's gaps (t about 3.1)", (t) => {
  // Two samples of 15 whose Welch test gives t = -2.46, df = 25.0, p = 0.021 in the literature (Wikipedia, "Welch's t-test", example 1).
  const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
  const w = welchTTest(summarize(a), summarize(b));
  t.is(w.t.toFixed(2), '-2.46');
  t.is(w.df.toFixed(1), '25.0');
  t.is(w.p.toFixed(3), '0.021');
  t.true(w.interval[0] < w.difference && w.difference < w.interval[1]);
  // Issue 23: this project on the reference subset, ResCom - sbs -0.03, +0.76, +0.49, +0.02 points, against the reference code's +1.38, +1.14, +0.62, +1.26: "Welch t about 3.1".
  const ours = summarize([-0.03, 0.76, 0.49, 0.02]);
  const reference = summarize([1.38, 1.14, 0.62, 1.26]);
  const issue = welchTTest(reference, ours);
  t.is(issue.t.toFixed(1), '3.1');
  t.true(issue.p < 0.05);
  // Swapping the samples mirrors t and the interval and keeps p.
  const mirrored = welchTTest(ours, reference);
  t.true(Math.abs(mirrored.t + issue.t) < 1e-12 && Math.abs(mirrored.p - issue.p) < 1e-12);
  t.throws(() => welchTTest({ mean: 0, sd: 0, n: 3 }, { mean: 1, sd: 0, n: 3 }), { message: /both samples have sd 0/ });
  t.throws(() => welchTTest({ mean: 0, sd: 1, n: 1 }, reference), { message: /a must have n >= 2/ });
  t.throws(() => summarize([1]), { message: /at least 2 values; got 1/ });
});

test("the reference code's gap: read from its committed file, compared with each group's paired rescom - sbs", (t) => {
  const reference = readReferenceCodeGap();
  t.is(reference.file, REFERENCE_CODE_GAP_FILE);
  t.deepEqual(reference.seeds, [0, 1, 2, 3]);
  t.is((100 * reference.summary.mean).toFixed(2), '1.10');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-gap-'));
  // The hunt group: rescom 0.5 points ahead of sbs on seed 0, 1.5 on seed 1.
  const write = (method: string, seed: number, top1: number) => {
    const runDir = runDirOf(dir, AUTHORS_CONSTANT_LR_OPTIONS, 100, method, seed);
    writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
    rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
    writeFileAtomic(path.join(runDir, TEST_RESULTS_FILE), JSON.stringify({ summary: { top1, many: 0.9, medium: 0.8, few: 0.7 }, result: { groups: { rule: 'thirds' }, perClass: [] } }));
  };
  write('rescom', 0, 0.865);
  write('sbs', 0, 0.86);
  write('rescom', 1, 0.875);
  write('sbs', 1, 0.86);
  write('rescom', 2, 0.87); // no sbs on seed 2: not paired
  const groups = EVIDENCE_GROUPS.map((group) => ({
    group,
    evidence: loadProtocolEvidence({ dir, settings: group.options, seeds: group.options.seeds, methods: group.options.methods }),
  }));
  const rows = referenceGapRows(groups, reference);
  t.deepEqual(rows.map((r) => r.group.id), ['authors-constant-lr'], 'only groups with two paired seeds');
  const [row] = rows;
  t.deepEqual(row.seeds, [0, 1]);
  t.true(Math.abs(row.summary.mean - 0.01) < 1e-12);
  // By hand: ours 0.5 and 1.5 points (mean 1.0, sd 0.7071), the reference's mean 1.10 (sd 0.3347 over 4):
  // difference -0.10 points, se sqrt(0.5/2 + 0.112/4) = 0.5273 points.
  t.true(Math.abs(100 * row.welch.difference + 0.1) < 1e-9);
  t.true(Math.abs(100 * row.welch.standardError - Math.sqrt(0.5 / 2 + 0.112 / 4)) < 1e-9);
  const markdown = formatReferenceGapMarkdown(rows, reference);
  t.regex(markdown, /\+1\.38, \+1\.14, \+0\.62, \+1\.26 points, mean \+1\.10 ± 0\.33/);
  t.regex(markdown, /\| authors-constant-lr \| 0,1 \| \+1\.00 ± 0\.71 \| -0\.10 \| .* \| within seed noise of the reference code's gap/);
  t.regex(formatReferenceGapText(rows, reference), /authors-constant-lr: \+1\.00 ± 0\.71 on 2 seeds; minus the reference's -0\.10 points/);
  t.regex(formatReferenceGapMarkdown([], reference), /No evidence group has two paired seeds/);
  // The picture: the reference code's four gaps and this group's two, in points, a mean dash each, a dashed line at 0.
  const figure = referenceGapFigure(rows, reference);
  const dots = figure.data.filter((d) => d.showlegend !== false);
  t.deepEqual(dots.map((d) => d.name), ['reference code', 'authors-constant-lr']);
  t.deepEqual((dots[1].y as number[]).map((v) => Number(v.toFixed(6))), [0.5, 1.5]);
  t.deepEqual((dots[0].y as number[]).map((v) => Number(v.toFixed(6))), [1.38, 1.14, 0.62, 1.26]);
  const means = figure.data.filter((d) => d.showlegend === false).map((d) => Number((d.y as number[])[0].toFixed(6)));
  t.deepEqual(means, [1.1, 1]);
  const layout = figure.layout as { shapes?: Array<{ y0: number; y1: number }>; yaxis: { range: [number, number] } };
  t.deepEqual(layout.shapes?.map((sh) => [sh.y0, sh.y1]), [[0, 0]]);
  t.true(layout.yaxis.range[0] < 0, 'zero is in the y range');

  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ seeds: [0, 1], rescomMinusBalancedSoftmax: [0.01], what: 'x' }));
  t.throws(() => readReferenceCodeGap(bad), { message: /bad\.json must hold 'seeds' and 'rescomMinusBalancedSoftmax'/ });
  fs.writeFileSync(bad, JSON.stringify({ seeds: [0, 1], rescomMinusBalancedSoftmax: [1.38, 1.14], what: 'x' }));
  t.throws(() => readReferenceCodeGap(bad), { message: /on the \[0, 1\] scale/ });
  t.throws(() => readReferenceCodeGap(path.join(dir, 'missing.json')), { message: /cannot read .*missing\.json/ });
  fs.rmSync(dir, { recursive: true, force: true });
});
