import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PER_SEED_PROTOCOL, describePairedComparisons, pairedComparisons, readProtocolTable, seedsToResolve } from '../../src/bench/accuracy/index';
import type { FinishedRun } from '../../src/bench/accuracy/aggregate';

const run = (method: string, seed: number, top1: number): FinishedRun =>
  ({ imbalanceFactor: 100, method, seed, top1, many: null, medium: null, few: top1 - 0.1, groupRule: 'r', secondsPerEpoch: 1, cpuSecondsPerEpoch: 1, trainImages: 1, runDir: '' }) as FinishedRun;

test('describePairedComparisons states only the verdicts: none judged below 3 seeds, then which are beyond noise', (t) => {
  t.regex(describePairedComparisons([])[0], /share no finished seed/);
  const two = describePairedComparisons(pairedComparisons([run('rescom', 0, 0.8), run('rescom', 1, 0.81), run('sbs', 0, 0.79), run('sbs', 1, 0.8)]));
  t.deepEqual(two.length, 2);
  t.regex(two[0], /^ResCom vs sbs \(IF 100\): top-1 ahead on 2 of 2 seeds, 95% interval .*: needs more seeds; sd of the paired difference 0\.00 points: resolving 0\.5 points needs 2 seeds, 1\.0 point 2 \(80% power\); Few /);
  t.regex(two[1], /No comparison has 3 paired seeds yet/);
  const runs = [0, 1, 2].flatMap((s) => [run('rescom', s, 0.8 + 0.01 * s), run('sbs', s, 0.79 + 0.01 * s + 0.001 * s), run('ce', s, 0.8 + 0.01 * s + (s === 1 ? 0.01 : -0.01))]);
  const three = describePairedComparisons(pairedComparisons(runs, ['ce', 'sbs']));
  t.regex(three[0], /ResCom vs ce .*: within seed noise/);
  t.regex(three[1], /ResCom vs sbs .*ahead on 3 of 3 seeds.*: ahead beyond seed noise/);
  t.is(three[2], '2 of 2 comparisons have 3+ paired seeds; beyond seed noise on top-1: sbs (ahead beyond seed noise).');
});

test('readProtocolTable finds the committed table of the fixed-subset protocol (default) or of another group, or null', (t) => {
  const results = path.resolve(__dirname, '..', '..', 'bench', 'results');
  // The fixed protocol's table exists once its first run is committed (npm run protocol:table).
  const fixed = readProtocolTable(results);
  if (fixed !== null) {
    t.is(fixed.settings.config, 'fashion-mnist-lt-fixed');
    t.deepEqual(fixed.settings.seeds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
  const committed = readProtocolTable(results, PER_SEED_PROTOCOL);
  t.truthy(committed);
  t.is(committed!.settings.config, 'fashion-mnist-lt-ref');
  t.true(Array.isArray(committed!.paired));
  t.true(committed!.runs.length >= 1);
  t.is(readProtocolTable(fs.mkdtempSync(path.join(os.tmpdir(), 'no-protocol-'))), null);
});

test('pairedTableRows: per-seed differences, mean ± sd, interval and verdict in points', async (t) => {
  const { pairedTableRows } = await import('../../src/bench/accuracy/index');
  const [row] = pairedTableRows(pairedComparisons([run('rescom', 0, 0.8), run('rescom', 1, 0.82), run('sbs', 0, 0.79), run('sbs', 1, 0.8)]));
  t.is(row['ResCom vs'], 'sbs');
  t.is(row['paired seeds'], '0, 1');
  t.is(row['top-1 diff per seed'], '+1.0, +2.0');
  t.is(row['top-1 mean ± sd'], '+1.5 ± 0.7');
  t.is(row['top-1 verdict'], 'needs more seeds');
});

test('readProtocolTable: the committed table lists the planned seeds and methods', (t) => {
  const committed = readProtocolTable(path.resolve(__dirname, '..', '..', 'bench', 'results'), PER_SEED_PROTOCOL)!;
  t.deepEqual(committed.settings.seeds, [0, 1, 2]);
  t.true(committed.settings.methods.includes('rescom'));
});

test('seedsToResolve: the paired t-test sample sizes at 80% power, alpha 0.05 (textbook / G*Power: 34, 15, 10, 6)', (t) => {
  // Effect / sd = 0.5, 0.8, 1.0, 1.5: the exact noncentral-t sample sizes (two-sided paired t-test) are 34, 15, 10 and 6.
  t.is(seedsToResolve(1, 0.5), 34);
  t.is(seedsToResolve(1, 0.8), 15);
  t.is(seedsToResolve(0.01, 0.01), 10);
  t.is(seedsToResolve(2, 3), 6);
  // The project's figures: sd 0.6 points of the per-seed-subset protocol's rescom - sbs.
  t.is(seedsToResolve(0.006, 0.005), 14);
  t.is(seedsToResolve(0.006, 0.01), 6);
  // Small counts, where Guenther's closed form (4 here) falls short of 80%: the exact count.
  t.is(seedsToResolve(0.45, 1), 4);
  t.is(seedsToResolve(0.3, 1), 3);
  t.is(seedsToResolve(0, 0.01), 2, 'no spread: the floor of 2 seeds');
  t.throws(() => seedsToResolve(0.01, 0), { message: /effect must be a finite number > 0/ });
  t.throws(() => seedsToResolve(Number.NaN, 0.01), { message: /sd must be a finite number >= 0/ });
});

test('pairedTTestPower: the size is 5% with no difference, and the power agrees with a Monte Carlo of the test (independent)', async (t) => {
  const { pairedTTestPower } = await import('../../src/bench/accuracy/t-distribution');
  const { simulatedPower } = await import('../../src/bench/accuracy/index');
  const { Rng } = await import('../../src/util/rng');
  for (const n of [2, 3, 10, 40]) t.true(Math.abs(pairedTTestPower(n, 0) - 0.05) < 1e-4, `size at n = ${n}`);
  for (const [n, d] of [
    [3, 1.5],
    [6, 1],
    [10, 1],
    [34, 0.5],
  ]) {
    const exact = pairedTTestPower(n, d);
    const simulated = simulatedPower({ sd: 1, effect: d, seeds: n, experiments: 60000, rng: new Rng(n) });
    // Monte Carlo standard error at 60,000 experiments is below 0.002.
    t.true(Math.abs(exact - simulated) < 0.008, `n ${n}, d ${d}: exact ${exact} vs simulated ${simulated}`);
  }
  t.throws(() => pairedTTestPower(1, 1), { message: /n must be an integer >= 2/ });
});

test('simulatedPower: the seed counts of seedsToResolve reach 80% power and one seed fewer does not (independent Monte Carlo)', async (t) => {
  const { simulatedPower } = await import('../../src/bench/accuracy/index');
  const { Rng } = await import('../../src/util/rng');
  for (const [sd, effect] of [
    [1, 1],
    [0.6, 0.5],
    [0.45, 1],
  ]) {
    const n = seedsToResolve(sd, effect);
    const at = simulatedPower({ sd, effect, seeds: n, experiments: 40000, rng: new Rng(1) });
    const below = simulatedPower({ sd, effect, seeds: n - 1, experiments: 40000, rng: new Rng(2) });
    t.true(at >= 0.79, `sd ${sd}, effect ${effect}: ${n} seeds give ${at}`);
    if (n > 2) t.true(below < 0.8, `sd ${sd}, effect ${effect}: ${n - 1} seeds give ${below}`);
  }
  // No true difference: the interval excludes 0 in about 5% of experiments (the test's size).
  const size = simulatedPower({ sd: 1, effect: 0, seeds: 10, experiments: 40000 });
  t.true(Math.abs(size - 0.05) < 0.006, `size ${size}`);
  t.throws(() => simulatedPower({ sd: 1, effect: 1, seeds: 1 }), { message: /seeds must be an integer >= 2/ });
});
