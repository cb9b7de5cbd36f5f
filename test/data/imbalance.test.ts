import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { longTailedClassCounts } from '../../src/data';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test('CIFAR-100-LT IF 100: 500..5 per class, 10,847 images (the published benchmark)', (t) => {
  const counts = longTailedClassCounts({ profile: 'exp', numClasses: 100, nMax: 500, imbalanceFactor: 100 });
  t.is(counts.length, 100);
  t.is(counts[0], 500);
  t.is(counts[99], 5);
  t.is(sum(counts), 10847);
  for (let c = 1; c < 100; c++) t.true(counts[c] <= counts[c - 1], 'non-increasing');
});

test('CIFAR-10-LT IF 100 totals 12,406; IF 50 and 10 as published (13,996 / 20,431)', (t) => {
  t.is(sum(longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 5000, imbalanceFactor: 100 })), 12406);
  t.is(sum(longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 5000, imbalanceFactor: 50 })), 13996);
  t.is(sum(longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 5000, imbalanceFactor: 10 })), 20431);
});

test('CIFAR-100-LT IF 50 and 10 totals (12,608 / 19,573)', (t) => {
  t.is(sum(longTailedClassCounts({ profile: 'exp', numClasses: 100, nMax: 500, imbalanceFactor: 50 })), 12608);
  t.is(sum(longTailedClassCounts({ profile: 'exp', numClasses: 100, nMax: 500, imbalanceFactor: 10 })), 19573);
});

test('exp profile by hand: C = 3, n_max 100, IF 4 gives 100, floor(100/2) = 50, 25', (t) => {
  t.deepEqual(longTailedClassCounts({ profile: 'exp', numClasses: 3, nMax: 100, imbalanceFactor: 4 }), [100, 50, 25]);
});

test('step profile: first half n_max, second half n_max / IF', (t) => {
  const counts = longTailedClassCounts({ profile: 'step', numClasses: 10, nMax: 5000, imbalanceFactor: 100 });
  t.deepEqual(counts, [5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50]);
  t.is(sum(longTailedClassCounts({ profile: 'step', numClasses: 100, nMax: 500, imbalanceFactor: 10 })), 50 * 500 + 50 * 50);
  // Odd C: the extra class joins the tail.
  t.deepEqual(longTailedClassCounts({ profile: 'step', numClasses: 3, nMax: 10, imbalanceFactor: 10 }), [10, 1, 1]);
});

test('every count equals the reference Python code (fixture from make_imbalance_counts.py)', (t) => {
  const cases = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/data/imbalance-counts.json'), 'utf8')) as {
    profile: 'exp' | 'step'; numClasses: number; nMax: number; imbalanceFactor: number; counts: number[]; total: number;
  }[];
  t.is(cases.length, 24);
  for (const c of cases) {
    const counts = longTailedClassCounts(c);
    t.deepEqual(counts, c.counts, `${c.profile} C=${c.numClasses} n_max=${c.nMax} IF=${c.imbalanceFactor}`);
  }
});

test('bad options throw naming the argument', (t) => {
  t.throws(() => longTailedClassCounts({ profile: 'linear' as 'exp', numClasses: 10, nMax: 5, imbalanceFactor: 10 }), { message: /profile must be 'exp' or 'step'/ });
  t.throws(() => longTailedClassCounts({ profile: 'exp', numClasses: 1, nMax: 5, imbalanceFactor: 10 }), { message: /numClasses must be an integer >= 2; got 1/ });
  t.throws(() => longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 0, imbalanceFactor: 10 }), { message: /nMax/ });
  t.throws(() => longTailedClassCounts({ profile: 'exp', numClasses: 10, nMax: 5, imbalanceFactor: 0.5 }), { message: /imbalanceFactor must be a number >= 1; got 0.5/ });
});
