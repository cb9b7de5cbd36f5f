import test from 'ava';
import {
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  buildAccuracyTable,
  formatAccuracyMarkdown,
  formatPairedCsv,
  pairedComparisons,
  pairedStats,
  tQuantile975,
  type FinishedRun,
} from '../../src/bench/accuracy/index';

const close = (a: number | null | undefined, b: number, tol = 1e-9) => typeof a === 'number' && Math.abs(a - b) < tol;

function run(method: string, seed: number, top1: number, few: number | null = top1 - 0.1): FinishedRun {
  return { imbalanceFactor: 100, method, seed, top1, many: null, medium: null, few, groupRule: 'thirds', secondsPerEpoch: 1, cpuSecondsPerEpoch: 1, trainImages: 10, subsetSha256: null, runDir: `r/${method}-s${seed}` };
}

test('tQuantile975: standard table values, and a smooth tail above df 30', (t) => {
  t.is(tQuantile975(1), 12.706);
  t.is(tQuantile975(2), 4.303);
  t.is(tQuantile975(4), 2.776);
  t.is(tQuantile975(30), 2.042);
  // Published values: t(0.975, 60) = 2.000, t(0.975, 120) = 1.980.
  t.true(Math.abs(tQuantile975(60) - 2.0) < 0.002);
  t.true(Math.abs(tQuantile975(120) - 1.98) < 0.002);
  t.true(tQuantile975(31) < tQuantile975(30) && tQuantile975(31) > 2.03);
  t.throws(() => tQuantile975(0), { message: /tQuantile975: df must be an integer >= 1; got 0/ });
});

test('pairedStats: hand-computed cases for each verdict', (t) => {
  // Ahead on every seed, tight: mean 0.02, sd 0.001, half-width 4.303 * 0.001 / sqrt(3) = 0.0024843.
  const tight = pairedStats([0.02, 0.021, 0.019]);
  t.true(close(tight.mean, 0.02));
  t.true(close(tight.sd, 0.001));
  t.true(close(tight.interval![0], 0.02 - 0.0024843, 1e-7) && close(tight.interval![1], 0.02 + 0.0024843, 1e-7));
  t.is(tight.verdict, 'ahead beyond seed noise');
  t.is(tight.ahead, 3);
  t.is(tight.words, 'ahead on 3 of 3 seeds, 95% interval [+1.8, +2.2] points: ahead beyond seed noise');
  // Ahead on every seed but noisy: mean 0.02, sd 0.01, half-width 0.024843: interval contains 0.
  const noisy = pairedStats([0.01, 0.02, 0.03]);
  t.true(close(noisy.sd, 0.01));
  t.true(close(noisy.interval![0], -0.0048432, 1e-6));
  t.is(noisy.verdict, 'within seed noise', 'ahead on every seed is not enough when the interval contains 0');
  t.is(noisy.ahead, 3);
  // Behind on every seed, tight.
  t.is(pairedStats([-0.02, -0.021, -0.019]).verdict, 'behind beyond seed noise');
  // A sign change: within noise whatever the mean.
  const mixed = pairedStats([0.03, 0.02, -0.001, 0.04]);
  t.is(mixed.verdict, 'within seed noise');
  t.is(mixed.behind, 1);
  t.true(close(mixed.min, -0.001) && close(mixed.max, 0.04));
  // Two seeds: mean 0.02, sd sqrt(2 * 0.03^2) = 0.0424264, but never a verdict.
  const two = pairedStats([0.05, -0.01]);
  t.true(close(two.sd, 0.0424264, 1e-7));
  t.true(close(two.interval![1], 0.02 + (12.706 * 0.0424264) / Math.SQRT2, 1e-6));
  t.is(two.verdict, 'needs more seeds');
  // One seed: no spread.
  const one = pairedStats([0.013]);
  t.is(one.sd, null);
  t.is(one.interval, null);
  t.is(one.verdict, 'needs more seeds');
  t.is(one.words, 'ahead on 1 of 1 seed, +1.3 points: needs more seeds');
  t.is(pairedStats([]).verdict, 'needs more seeds');
  t.is(pairedStats([]).mean, null);
});

test('pairedComparisons: paired on common seeds only, says what is missing, never overstates', (t) => {
  const runs = [
    run('rescom', 0, 0.8), run('rescom', 1, 0.81), run('rescom', 2, 0.79),
    run('sbs', 0, 0.78), // one seed only
    run('balsfx', 0, 0.7), run('balsfx', 1, 0.71), run('balsfx', 2, 0.69), run('balsfx', 3, 0.7), // seed 3 without ResCom
    run('ce', 0, 0.6, null), run('ce', 1, 0.61, null), run('ce', 2, 0.6, null),
  ];
  const c = pairedComparisons(runs, ['ce', 'balsfx', 'sbs', 'rescom']);
  t.deepEqual(c.map((x) => x.method), ['ce', 'balsfx', 'sbs'], 'in the given method order, ResCom itself left out');
  const balsfx = c.find((x) => x.method === 'balsfx')!;
  t.deepEqual(balsfx.seeds, [0, 1, 2]);
  t.deepEqual(balsfx.methodOnly, [3]);
  t.true(close(balsfx.top1.mean, 0.1) && close(balsfx.top1.sd, 0, 1e-12));
  t.is(balsfx.top1.verdict, 'ahead beyond seed noise');
  t.is(balsfx.note, 'paired on seeds 0,1,2 only (rescom lacks seed 3)');
  const sbs = c.find((x) => x.method === 'sbs')!;
  t.deepEqual(sbs.seeds, [0]);
  t.deepEqual(sbs.referenceOnly, [1, 2]);
  t.is(sbs.top1.verdict, 'needs more seeds');
  t.is(sbs.note, 'paired on seed 0 only (sbs lacks seeds 1,2)');
  t.is(c.find((x) => x.method === 'ce')!.few, null, 'no Few accuracy: no Few comparison');
  t.deepEqual(pairedComparisons([run('sbs', 0, 0.7)]), [], 'no ResCom run: nothing to compare');

  const table = buildAccuracyTable(runs, DEFAULT_ACCURACY_BENCH_OPTIONS);
  t.is(table.paired.length, 3);
  const md = formatAccuracyMarkdown(table, 'cmd');
  t.true(md.includes('#### ResCom against each method, paired by seed'));
  t.true(md.includes('| 100 | sbs | 0 | +2.0 | n/a | +2.0 / +2.0 | needs more seeds (ahead on 1 of 1) |'), md);
  t.true(md.includes('| 100 | balsfx | 0,1,2 | +10.0 ± 0.0 |'), md);
  t.true(md.includes('needs more seeds" below 3 paired seeds'), 'the rule is printed with the table');
  const csv = formatPairedCsv(table.paired).trim().split('\n');
  t.is(csv.length, 4);
  t.true(csv[3].startsWith('100,rescom,sbs,0,1 2,,0.02,,,,0.02,0.02,1,needs more seeds'), csv[3]);
  t.true(formatAccuracyMarkdown(buildAccuracyTable([run('sbs', 0, 0.7)], DEFAULT_ACCURACY_BENCH_OPTIONS), 'cmd').includes('No paired comparison yet'));
});
