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

test('seedsToResolve: the paired t-test sample sizes at 80% power, alpha 0.05 (G*Power / exact noncentral t: 34, 15, 10, 6)', (t) => {
  // Effect / sd = 0.5, 0.8, 1.0, 1.5: the exact noncentral-t sample sizes (two-sided paired t-test) are 34, 15, 10 and 6.
  t.is(seedsToResolve(1, 0.5), 34);
  t.is(seedsToResolve(1, 0.8), 15);
  t.is(seedsToResolve(0.01, 0.01), 10);
  t.is(seedsToResolve(2, 3), 6);
  // The project's figures: sd 0.6 points of the per-seed-subset protocol's rescom - sbs.
  t.is(seedsToResolve(0.006, 0.005), 14);
  t.is(seedsToResolve(0.006, 0.01), 5);
  t.is(seedsToResolve(0, 0.01), 2, 'no spread: the floor of 2 seeds');
  t.throws(() => seedsToResolve(0.01, 0), { message: /effect must be a finite number > 0/ });
  t.throws(() => seedsToResolve(Number.NaN, 0.01), { message: /sd must be a finite number >= 0/ });
});
