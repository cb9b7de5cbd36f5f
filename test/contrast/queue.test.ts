import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { ClassBalancedQueue } from '../../src/contrast/class-balanced-queue';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';

test.before(async () => {
  await useTestBackend();
});

/** The authors' semantics: one row at a time into its class's ring. */
function sequentialEnqueue(
  keys: number[][],
  ptr: number[],
  rows: number[][],
  labels: number[],
  perClass: number,
): void {
  rows.forEach((row, i) => {
    const c = labels[i];
    keys[c * perClass + ptr[c]] = row.slice();
    ptr[c] = (ptr[c] + 1) % perClass;
  });
}

test('keys start as distinct random unit vectors, the same for the same seed', (t) => {
  const before = tf.memory().numTensors;
  const a = new ClassBalancedQueue({ numClasses: 3, perClass: 4, dim: 5, rng: new Rng(7) });
  const b = new ClassBalancedQueue({ numClasses: 3, perClass: 4, dim: 5, rng: new Rng(7) });
  const c = new ClassBalancedQueue({ numClasses: 3, perClass: 4, dim: 5, rng: new Rng(8) });
  const keys = a.state().keys;
  t.is(keys.length, 12);
  for (const row of keys) t.true(Math.abs(Math.hypot(...row) - 1) < 1e-6);
  t.deepEqual(b.state().keys, keys);
  t.notDeepEqual(c.state().keys, keys);
  t.is(new Set(keys.map((r) => r.join())).size, 12);
  t.deepEqual(Array.from(a.keyLabels()), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  t.deepEqual(Array.from(a.pointers()), [0, 0, 0]);
  [a, b, c].forEach((q) => q.dispose());
  t.is(tf.memory().numTensors, before);
});

test('enqueue matches a sequential per-sample ring, including a class seen more than K times and batches not a multiple of K', (t) => {
  const rng = new Rng(3);
  const C = 4;
  const K = 3;
  const d = 2;
  const queue = new ClassBalancedQueue({ numClasses: C, perClass: K, dim: d, rng: rng.fork() });
  const expectedKeys = queue.state().keys;
  const expectedPtr = [0, 0, 0, 0];
  const before = tf.memory().numTensors;
  const batches = [
    [1, 1, 1, 1, 1, 0, 2], // class 1 five times: wraps and overwrites its own rows
    [3],
    [0, 0, 2, 1, 1, 1, 1, 3, 3],
    [],
  ];
  let counter = 0;
  for (const labels of batches) {
    const rows = labels.map(() => [++counter, -counter]);
    const input = tf.tensor2d(rows.flat(), [rows.length, d]);
    queue.enqueue({ keys: input, labels });
    input.dispose();
    t.is(tf.memory().numTensors, before, 'the queue replaces its one tensor, never accumulates');
    sequentialEnqueue(expectedKeys, expectedPtr, rows, labels, K);
    const state = queue.state();
    t.deepEqual(state.keys, expectedKeys);
    t.deepEqual(state.pointers, expectedPtr);
  }
  // Enqueue with plain values too.
  queue.enqueue({ keys: new Float32Array([0.5, 0.25]), labels: [2] });
  sequentialEnqueue(expectedKeys, expectedPtr, [[0.5, 0.25]], [2], K);
  t.deepEqual(queue.state().keys, expectedKeys);
  t.is(tf.memory().numTensors, before);
  queue.dispose();
});

test('class 1 seen five times with K = 3 keeps its last three rows in ring order', (t) => {
  const queue = new ClassBalancedQueue({ numClasses: 2, perClass: 3, dim: 1, rng: new Rng(1) });
  queue.enqueue({ keys: new Float32Array([10, 11, 12, 13, 14]), labels: [1, 1, 1, 1, 1] });
  const keys = queue.state().keys.map((r) => r[0]);
  // Rows 3..5 belong to class 1: slots 0,1 were written twice (13, 14 win), slot 2 once (12).
  t.deepEqual(keys.slice(3), [13, 14, 12]);
  t.deepEqual(Array.from(queue.pointers()), [0, 2]);
  queue.dispose();
});

test('state() is JSON-serialisable and restore() reproduces keys, pointers and later behaviour', (t) => {
  const a = new ClassBalancedQueue({ numClasses: 3, perClass: 2, dim: 3, rng: new Rng(5) });
  a.enqueue({ keys: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), labels: [0, 2, 2] });
  const saved = JSON.parse(JSON.stringify(a.state()));
  const b = new ClassBalancedQueue({ numClasses: 3, perClass: 2, dim: 3, rng: new Rng(99) });
  t.notDeepEqual(b.state(), saved);
  b.restore(saved);
  t.deepEqual(b.state(), saved);
  const next = { keys: new Float32Array([0.6, 0.8, 0]), labels: [2] };
  a.enqueue(next);
  b.enqueue(next);
  t.deepEqual(b.state(), a.state());
  t.throws(() => b.restore({ ...saved, perClass: 3 }), {
    message: /ClassBalancedQueue.restore: state must be for C=3, K=2, d=3; got C=3, K=3, d=3/,
  });
  t.throws(() => b.restore({ ...saved, pointers: [0, 2, 0] }), {
    message: /state.pointers\[1\] must be an integer in 0..1; got 2/,
  });
  t.throws(() => b.restore({ ...saved, keys: saved.keys.slice(1) }), {
    message: /state.keys must be an array of 6 rows/,
  });
  a.dispose();
  b.dispose();
});

test('no gradient reaches the queue: keys are constants in a loss that uses them', (t) => {
  const queue = new ClassBalancedQueue({ numClasses: 2, perClass: 2, dim: 3, rng: new Rng(2) });
  const x = tf.variable(tf.tensor2d([[0.3, -0.2, 0.9]]));
  const { grads } = tf.variableGrads(() => tf.sum(tf.matMul(x, queue.keys(), false, true)) as tf.Scalar);
  t.deepEqual(Object.keys(grads), [x.name]);
  tf.dispose(grads);
  x.dispose();
  queue.dispose();
});

test('bad options and inputs throw errors naming the argument', (t) => {
  t.throws(() => new ClassBalancedQueue({ numClasses: 2, perClass: 0, dim: 3, rng: new Rng(1) }), {
    message: /ClassBalancedQueue: perClass \(queue size per class K\) must be an integer >= 1; got 0/,
  });
  const q = new ClassBalancedQueue({ numClasses: 2, perClass: 2, dim: 3, rng: new Rng(1) });
  t.throws(() => q.enqueue({ keys: new Float32Array(3), labels: [2] }), {
    message: /labels\[0\] must be an integer in 0..1; got 2/,
  });
  t.throws(() => q.enqueue({ keys: new Float32Array(4), labels: [0] }), { message: /keys must hold 1x3 = 3 values/ });
  q.dispose();
  t.throws(() => q.keys(), { message: /has been disposed/ });
});

test('slotsFor names the slots the next enqueue writes, as the sequential ring would, without changing the queue', (t) => {
  const C = 3;
  const K = 2;
  const queue = new ClassBalancedQueue({ numClasses: C, perClass: K, dim: 2, rng: new Rng(3) });
  queue.enqueue({ keys: new Float32Array([1, 0]), labels: [2] });
  const labels = [2, 0, 2, 2, 1, 0, 0];
  // Independent reference: pointers [0, 0, 1] after the first enqueue, advanced one row at a time.
  const ptr = [0, 0, 1];
  const expected = labels.map((c) => {
    const slot = c * K + ptr[c];
    ptr[c] = (ptr[c] + 1) % K;
    return slot;
  });
  t.deepEqual(Array.from(queue.slotsFor(labels)), expected);
  t.deepEqual(Array.from(queue.slotsFor(labels)), expected, 'asking twice gives the same answer');
  t.deepEqual(Array.from(queue.pointers()), [0, 0, 1]);
  // The enqueue writes exactly there (the last write wins) and leaves the pointers the reference ends with.
  const rows = labels.map((_, i) => [i + 1, -(i + 1)]);
  queue.enqueue({ keys: new Float32Array(rows.flat()), labels });
  const keys = queue.state().keys;
  const lastRowAt = new Map<number, number>();
  expected.forEach((slot, i) => lastRowAt.set(slot, i));
  for (const [slot, i] of lastRowAt) t.deepEqual(keys[slot], rows[i], `slot ${slot}`);
  t.deepEqual(Array.from(queue.pointers()), ptr);
  t.throws(() => queue.slotsFor([3]), { message: /ClassBalancedQueue\.slotsFor: labels/ });
  queue.dispose();
});
