import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { crossEntropyLoss } from '../../src/losses/cross-entropy';
import { focalLoss } from '../../src/losses/focal';
import { drwClassWeights, ldamLoss, ldamMargins } from '../../src/losses/ldam';
import { balancedSoftmaxLoss, logitAdjustedLoss, siameseBalancedSoftmaxLoss } from '../../src/losses/logit-adjusted';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { closeRel, logSumExp, nll, refBalancedSoftmax } from './reference';

test.before(async () => {
  await useTestBackend();
});

const rng = new Rng(21);
const B = 7;
const C = 4;
const logitRows = Array.from({ length: B }, () => Array.from({ length: C }, () => Math.fround(2 * rng.normal())));
const labels = [0, 1, 2, 3, 0, 0, 2];
const counts = [400, 60, 9, 1];

/** Runs `fn` on a fresh logits tensor, checks no tensor is left behind, returns the number. */
function scalarOf(t: import('ava').ExecutionContext, fn: (logits: tf.Tensor2D) => tf.Scalar): number {
  const logits = tf.tensor2d(logitRows);
  const before = tf.memory().numTensors;
  const out = fn(logits);
  const value = out.dataSync()[0];
  out.dispose();
  t.is(tf.memory().numTensors, before);
  logits.dispose();
  return value;
}

test('cross-entropy: plain mean and PyTorch-style weighted mean vs explicit loop', (t) => {
  const plain = logitRows.reduce((s, row, i) => s + nll(row, labels[i]), 0) / B;
  t.true(
    closeRel(
      scalarOf(t, (logits) => crossEntropyLoss({ logits, labels })),
      plain,
    ),
  );
  const w = [0.5, 1, 2, 4];
  const weighted =
    logitRows.reduce((s, row, i) => s + w[labels[i]] * nll(row, labels[i]), 0) / labels.reduce((s, y) => s + w[y], 0);
  t.true(
    closeRel(
      scalarOf(t, (logits) => crossEntropyLoss({ logits, labels, classWeights: w })),
      weighted,
    ),
  );
  const labelTensor = tf.tensor1d(labels, 'int32');
  t.true(
    closeRel(
      scalarOf(t, (logits) => crossEntropyLoss({ logits, labels: labelTensor })),
      plain,
    ),
  );
  labelTensor.dispose();
});

test('focal loss vs explicit loop; gamma = 0 is cross-entropy', (t) => {
  const gamma = 2;
  const alpha = [1, 0.5, 0.25, 2];
  const want =
    logitRows.reduce((s, row, i) => {
      const logP = -nll(row, labels[i]);
      return s - alpha[labels[i]] * (1 - Math.exp(logP)) ** gamma * logP;
    }, 0) / B;
  t.true(
    closeRel(
      scalarOf(t, (logits) => focalLoss({ logits, labels, gamma, alpha })),
      want,
    ),
  );
  const ce = scalarOf(t, (logits) => crossEntropyLoss({ logits, labels }));
  t.true(
    closeRel(
      scalarOf(t, (logits) => focalLoss({ logits, labels, gamma: 0 })),
      ce,
    ),
  );
  t.throws(() => focalLoss({ logits: tf.zeros([1, 2]), labels: [0], gamma: -1 }), {
    message: /focalLoss: gamma must be a number >= 0; got -1/,
  });
});

test('LDAM: margins n^-1/4 scaled to maxMargin; loss vs explicit loop', (t) => {
  const m = ldamMargins(counts, 0.5);
  t.true(Math.abs(m[3] - 0.5) < 1e-12);
  t.true(Math.abs(m[0] - 0.5 * 400 ** -0.25) < 1e-12);
  const s = 30;
  const w = drwClassWeights({ classCounts: counts, epoch: 170, startEpoch: 160, beta: 0.9999 });
  const want =
    logitRows.reduce(
      (acc, row, i) =>
        acc +
        w[labels[i]] *
          nll(
            row.map((v, c) => s * (v - (c === labels[i] ? m[c] : 0))),
            labels[i],
          ),
      0,
    ) / labels.reduce((acc, y) => acc + w[y], 0);
  t.true(
    closeRel(
      scalarOf(t, (logits) => ldamLoss({ logits, labels, classCounts: counts, classWeights: w })),
      want,
    ),
  );
});

test('DRW schedule: ones before the start epoch, class-balanced (sum C) after', (t) => {
  t.deepEqual(drwClassWeights({ classCounts: counts, epoch: 159, startEpoch: 160 }), [1, 1, 1, 1]);
  const w = drwClassWeights({ classCounts: counts, epoch: 160, startEpoch: 160, beta: 0.9999 });
  t.true(Math.abs(w.reduce((a, b) => a + b, 0) - C) < 1e-9);
  const inv = counts.map((n) => (1 - 0.9999) / (1 - 0.9999 ** n));
  const sum = inv.reduce((a, b) => a + b, 0);
  w.forEach((v, c) => t.true(Math.abs(v - (inv[c] / sum) * C) < 1e-9));
});

test('logit adjustment, Balanced Softmax and Siamese Balanced Softmax vs explicit loop', (t) => {
  const total = counts.reduce((a, b) => a + b, 0);
  const tau = 1.5;
  const la =
    logitRows.reduce(
      (s, row, i) =>
        s +
        nll(
          row.map((v, c) => v + tau * Math.log(counts[c] / total + 1e-9)),
          labels[i],
        ),
      0,
    ) / B;
  t.true(
    closeRel(
      scalarOf(t, (logits) => logitAdjustedLoss({ logits, labels, classCounts: counts, tau })),
      la,
    ),
  );
  const bs = refBalancedSoftmax(logitRows, labels, counts);
  t.true(
    closeRel(
      scalarOf(t, (logits) => balancedSoftmaxLoss({ logits, labels, classCounts: counts })),
      bs,
    ),
  );
  // SBS: both views count. Build a two-view batch from rows 0..5 (N = 3).
  const rows2 = logitRows.slice(0, 6);
  const labels2 = [labels[0], labels[1], labels[2], labels[0], labels[1], labels[2]];
  const sbs = refBalancedSoftmax(rows2, labels2, counts);
  const got = tf.tidy(
    () =>
      siameseBalancedSoftmaxLoss({ logits: tf.tensor2d(rows2), labels: labels2, classCounts: counts }).dataSync()[0],
  );
  t.true(closeRel(got, sbs));
  t.throws(() => siameseBalancedSoftmaxLoss({ logits: tf.zeros([3, C]), labels: [0, 0, 0], classCounts: counts }), {
    message: /two views stacked/,
  });
  // An empty class stays finite thanks to the 1e-9.
  t.true(Number.isFinite(scalarOf(t, (logits) => balancedSoftmaxLoss({ logits, labels, classCounts: [5, 5, 5, 0] }))));
  t.true(Number.isFinite(logSumExp([1, 2])));
});

test('gradients of the re-balanced losses reach the logits (no wasm gaps on the path)', (t) => {
  const logits = tf.tensor2d(logitRows);
  const losses: ((x: tf.Tensor2D) => tf.Scalar)[] = [
    (x) => crossEntropyLoss({ logits: x, labels, classWeights: [1, 2, 3, 4] }),
    (x) => focalLoss({ logits: x, labels }),
    (x) => ldamLoss({ logits: x, labels, classCounts: counts }),
    (x) => balancedSoftmaxLoss({ logits: x, labels, classCounts: counts }),
  ];
  for (const f of losses) {
    const g = tf.grad((x: tf.Tensor) => f(x as tf.Tensor2D))(logits);
    const values = Array.from(g.dataSync());
    t.true(values.every(Number.isFinite) && values.some((v) => Math.abs(v) > 1e-6));
    // Softmax-CE-type gradients sum to ~0 across classes in each row for unweighted losses.
    g.dispose();
  }
  logits.dispose();
});

test('bad labels and shapes are named errors', (t) => {
  t.throws(() => crossEntropyLoss({ logits: tf.zeros([2, 3]), labels: [0, 3] }), {
    message: /crossEntropyLoss: labels\[1\] must be an integer in 0..2; got 3/,
  });
  t.throws(() => crossEntropyLoss({ logits: tf.zeros([2, 3]), labels: [0] }), { message: /labels must have length 2/ });
  t.throws(() => crossEntropyLoss({ logits: tf.zeros([2]) as unknown as tf.Tensor2D, labels: [0] }), {
    message: /crossEntropyLoss: logits must have shape \[\*, \*\]; got \[2\]/,
  });
  t.throws(() => balancedSoftmaxLoss({ logits: tf.zeros([1, 3]), labels: [0], classCounts: [1, 2] }), {
    message: /classCounts must have length 3/,
  });
});
