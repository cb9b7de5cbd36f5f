import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runParityCase, type ParityCase, type ParityResult } from '../../src/losses/parity';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { closeRel, refResCom, unitRows, type RefResult } from './reference';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'parity');
const fixtureNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

test.before(async () => {
  await useTestBackend();
});

function load(name: string): ParityCase & { description: string; expected: RefResult } {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
}

/** Every number of `got` within 1e-5 relative of `want`; the queue within float32 rounding. */
function assertMatches(t: import('ava').ExecutionContext, got: ParityResult, want: RefResult, label: string): void {
  for (const key of ['cls_loss', 'con_loss', 'loss'] as const) {
    t.true(closeRel(got[key], want[key]), `${label} ${key}: got ${got[key]}, want ${want[key]}`);
  }
  t.deepEqual(got.queue_ptr_after, want.queue_ptr_after, `${label} queue_ptr_after`);
  t.is(got.queue_after.length, want.queue_after.length);
  let worst = 0;
  got.queue_after.forEach((row, r) =>
    row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want.queue_after[r][j])))),
  );
  t.true(worst <= 1e-6, `${label} queue_after differs by ${worst}`);
}

test('the PyTorch fixtures cover the edge cases: absent class, class over K, beta 0, Q_p = K, one class, CIFAR-100 size', (t) => {
  for (const name of ['absent-class', 'class-over-k', 'beta-zero', 'qp-equals-k', 'single-class', 'c100-k10-qn400']) {
    t.true(fixtureNames.includes(`${name}.json`), name);
  }
  const big = load('c100-k10-qn400.json');
  t.is(big.class_counts.length, 100);
  t.is(big.queue.length, 1000);
  t.is(big.select_num_neg, 400);
  const absent = load('absent-class.json');
  t.false(absent.labels.includes(3));
  const overK = load('class-over-k.json');
  const k = overK.queue.length / overK.class_counts.length;
  t.true(overK.labels.slice(0, overK.labels.length / 2).filter((y) => y === 1).length > k);
});

for (const name of fixtureNames) {
  test(`parity ${name}: matches PyTorch and the explicit loop to 1e-5`, (t) => {
    const c = load(name);
    const before = tf.memory().numTensors;
    const got = runParityCase(c);
    t.is(tf.memory().numTensors, before);
    assertMatches(t, got, c.expected, `${name} vs PyTorch`);
    assertMatches(t, got, refResCom(c), `${name} vs explicit loop`);
    // The two references agree with each other too (so neither is the code under test).
    const loop = refResCom(c);
    t.true(closeRel(loop.loss, c.expected.loss, 1e-9), `${name}: explicit loop vs PyTorch`);
  });
}

test('parity on random cases (various C, K, Q_p, Q_n, pointers) matches the explicit loop', (t) => {
  const rng = new Rng(42);
  for (let trial = 0; trial < 6; trial++) {
    const C = 2 + rng.int(6);
    const K = 1 + rng.int(4);
    const d = 2 + rng.int(6);
    const N = 1 + rng.int(7);
    const labels1 = Array.from({ length: N }, () => rng.int(C));
    const features = unitRows(rng, 2 * N, d);
    const c: ParityCase = {
      features,
      logits: Array.from({ length: 2 * N }, () => Array.from({ length: C }, () => Math.fround(3 * rng.normal()))),
      labels: [...labels1, ...labels1],
      queue: unitRows(rng, C * K, d),
      queue_ptr: Array.from({ length: C }, () => rng.int(K)),
      class_counts: Array.from({ length: C }, () => 1 + rng.int(500)),
      temperature: [0.07, 0.2, 1][rng.int(3)],
      con_weight: rng.uniform(0, 2),
      effective_num_beta: [0, 0.99, 0.999999][rng.int(3)],
      select_num_pos: rng.int(K + 1),
      select_num_neg: rng.int(K * (C - 1) + 1),
    };
    assertMatches(t, runParityCase(c), refResCom(c), `trial ${trial}`);
  }
});

test('runParityCase rejects impossible options and malformed input with named errors', (t) => {
  const c = load('absent-class.json');
  const k = c.queue.length / c.class_counts.length;
  t.throws(() => runParityCase({ ...c, select_num_pos: k + 1 }), { message: /numPositives.*at most K = 3/ });
  t.throws(() => runParityCase({ ...c, select_num_neg: k * (c.class_counts.length - 1) + 1 }), {
    message: /numNegatives.*at most K\*\(C-1\) = 12/,
  });
  t.throws(() => runParityCase({ ...c, queue: c.queue.slice(0, 7) }), {
    message: /runParityCase: queue must be \[C\*K\]\[d\]/,
  });
  t.throws(() => runParityCase({ ...c, labels: c.labels.slice(1) }), {
    message: /runParityCase: labels must have length 12/,
  });
  t.throws(() => runParityCase({ ...c, temperature: 0 }), { message: /temperature must be a number > 0; got 0/ });
});
