import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { HardPairMiner, mineHardPairsFromSimilarities, selectExtreme } from '../../src/contrast/hard-pair-miner';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { dot, unitRows } from '../losses/reference';

test.before(async () => {
  await useTestBackend();
});

/** Brute force: sort (similarity, index) pairs, take the extremes. */
function bruteForce(sims: number[][], labels: number[], C: number, K: number, qp: number, qn: number) {
  return sims.map((row, i) => {
    const keyed = row.map((s, m) => ({ s, m }));
    const own = keyed.filter(({ m }) => Math.floor(m / K) === labels[i]).sort((a, b) => a.s - b.s || a.m - b.m);
    const other = keyed.filter(({ m }) => Math.floor(m / K) !== labels[i]).sort((a, b) => b.s - a.s || a.m - b.m);
    return {
      pos: own
        .slice(0, qp)
        .map(({ m }) => m)
        .sort((a, b) => a - b),
      neg: other
        .slice(0, qn)
        .map(({ m }) => m)
        .sort((a, b) => a - b),
    };
  });
}

test('mining picks the Q_p least similar own-class keys and the Q_n most similar other keys (vs brute force)', (t) => {
  const rng = new Rng(11);
  for (const [C, K, qp, qn, B] of [
    [5, 4, 1, 6, 7],
    [3, 2, 2, 4, 3],
    [100, 10, 1, 400, 12],
    [4, 3, 0, 0, 2],
  ]) {
    const d = 6;
    const anchors = unitRows(rng, B, d);
    const keys = unitRows(rng, C * K, d);
    const labels = Array.from({ length: B }, () => rng.int(C));
    const miner = new HardPairMiner({ numClasses: C, perClass: K, numPositives: qp, numNegatives: qn });
    const before = tf.memory().numTensors;
    const keyTensor = tf.tensor2d(keys);
    const mined = miner.mine({ anchors: new Float32Array(anchors.flat()), labels, keys: keyTensor });
    keyTensor.dispose();
    t.is(tf.memory().numTensors, before);
    const sims = anchors.map((a) => keys.map((k) => dot(a, k)));
    const want = bruteForce(sims, labels, C, K, qp, qn);
    for (let i = 0; i < B; i++) {
      t.deepEqual(Array.from(mined.positiveIndices.subarray(i * qp, (i + 1) * qp)), want[i].pos);
      t.deepEqual(Array.from(mined.negativeIndices.subarray(i * qn, (i + 1) * qn)), want[i].neg);
      const maskRow = Array.from(mined.keyMask.subarray(i * C * K, (i + 1) * C * K));
      const expectedMask = maskRow.map((_, m) => (want[i].pos.includes(m) || want[i].neg.includes(m) ? 1 : 0));
      t.deepEqual(maskRow, expectedMask);
    }
  }
});

test('ties are broken towards the lower index and exactly Q items are kept', (t) => {
  t.deepEqual(Array.from(selectExtreme(new Float32Array([0.5, 0.9, 0.9, 0.9, 0.1]), 2, 'largest')), [1, 2]);
  t.deepEqual(Array.from(selectExtreme(new Float32Array([0.5, 0.1, 0.1, 0.9]), 3, 'smallest')), [0, 1, 2]);
  t.deepEqual(Array.from(selectExtreme(new Float32Array([3, 3, 3]), 3, 'smallest')), [0, 1, 2]);
  const mined = mineHardPairsFromSimilarities({
    similarities: new Float32Array(2 * 6).fill(0.5),
    labels: [0, 2],
    numClasses: 3,
    perClass: 2,
    numPositives: 1,
    numNegatives: 3,
  });
  t.deepEqual(Array.from(mined.positiveIndices), [0, 4]);
  t.deepEqual(Array.from(mined.negativeIndices), [2, 3, 4, 0, 1, 2]);
});

test('impossible options are errors at construction', (t) => {
  t.throws(() => new HardPairMiner({ numClasses: 10, perClass: 4, numPositives: 5, numNegatives: 1 }), {
    message: /HardPairMiner: numPositives \(Q_p, at most K = 4\) must be an integer in 0..4; got 5/,
  });
  t.throws(() => new HardPairMiner({ numClasses: 10, perClass: 4, numPositives: 1, numNegatives: 37 }), {
    message: /numNegatives \(Q_n, at most K\*\(C-1\) = 36\) must be an integer in 0..36; got 37/,
  });
  t.throws(() => new HardPairMiner({ numClasses: 10, perClass: 0, numPositives: 0, numNegatives: 0 }), {
    message: /perClass \(queue size per class K\) must be an integer >= 1; got 0/,
  });
  t.throws(() => new HardPairMiner({ numClasses: 1, perClass: 3, numPositives: 1, numNegatives: 1 }), {
    message: /at most K\*\(C-1\) = 0/,
  });
  t.notThrows(() => new HardPairMiner({ numClasses: 100, perClass: 10, numPositives: 10, numNegatives: 990 }));
});

test('mining inside a gradient tape adds nothing to the gradient (mask is a constant)', (t) => {
  const keys = tf.tensor2d(unitRows(new Rng(4), 6, 3));
  const miner = new HardPairMiner({ numClasses: 3, perClass: 2, numPositives: 1, numNegatives: 2 });
  const x = tf.variable(tf.tensor2d([[0.6, 0.8, 0]]));
  const { value, grads } = tf.variableGrads(() => {
    const mask = tf.tensor2d(miner.mine({ anchors: x, labels: [1], keys }).keyMask, [1, 6]);
    return tf.sum(tf.mul(mask, tf.matMul(x, keys, false, true))) as tf.Scalar;
  });
  // d/dx sum_m mask_m <x, k_m> = sum of the selected keys.
  const mined = miner.mine({ anchors: x, labels: [1], keys });
  const k = keys.arraySync();
  const expected = [0, 1, 2].map((j) => k.reduce((s, row, m) => s + mined.keyMask[m] * row[j], 0));
  const got = Array.from(grads[x.name].dataSync());
  got.forEach((g, j) => t.true(Math.abs(g - expected[j]) < 1e-6));
  tf.dispose([value, keys, x, ...Object.values(grads)]);
});
