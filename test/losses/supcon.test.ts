import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { contrastiveLogitGradients } from '../../src/losses/contrastive-gradients';
import { supConLoss, supConLogits, supConPerAnchor } from '../../src/losses/supcon';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { closeRel, dot, refAnchorLoss, unitRows, type RefCandidate } from './reference';

test.before(async () => {
  await useTestBackend();
});

const rng = new Rng(5);
const d = 5;
const anchors = unitRows(rng, 8, d);
const labels = [0, 1, 1, 2, 0, 1, 1, 3]; // class 3 has no other member: no in-batch positive
const keys = unitRows(rng, 6, d);
const keyLabels = [0, 0, 1, 1, 2, 2];
const keyMask = Array.from({ length: 8 * 6 }, () => (rng.bernoulli(0.6) ? 1 : 0));
const classWeights = [0.5, 1, 2, 4];
const tau = 0.2;

/** Explicit loop: candidates per anchor = other rows (+ masked keys). */
function refSupCon(withKeys: boolean, weights: number[] | null): number {
  let total = 0;
  anchors.forEach((a, i) => {
    const cands: RefCandidate[] = [];
    anchors.forEach((b, j) => j !== i && cands.push({ sim: dot(a, b), positive: labels[j] === labels[i] }));
    if (withKeys)
      keys.forEach(
        (k, m) => keyMask[i * 6 + m] && cands.push({ sim: dot(a, k), positive: keyLabels[m] === labels[i] }),
      );
    total += (weights ? weights[labels[i]] : 1) * refAnchorLoss(cands, tau);
  });
  return total / anchors.length;
}

test('SupCon over the batch, and with masked reference keys and class weights, vs explicit loop', (t) => {
  const a = tf.tensor2d(anchors);
  const k = tf.tensor2d(keys);
  const before = tf.memory().numTensors;
  const batchOnly = supConLoss({ anchors: a, labels, temperature: tau });
  const full = supConLoss({
    anchors: a,
    labels,
    keys: k,
    keyLabels,
    keyMask: new Float32Array(keyMask),
    classWeights,
    temperature: tau,
  });
  t.true(
    closeRel(batchOnly.dataSync()[0], refSupCon(false, null)),
    `${batchOnly.dataSync()[0]} vs ${refSupCon(false, null)}`,
  );
  t.true(closeRel(full.dataSync()[0], refSupCon(true, classWeights)));
  tf.dispose([batchOnly, full]);
  t.is(tf.memory().numTensors, before);
  tf.dispose([a, k]);
});

test('an anchor without positives contributes 0 but still counts in the mean', (t) => {
  const a = tf.tensor2d(anchors);
  const parts = supConLogits({ anchors: a, labels, temperature: tau });
  const perAnchor = supConPerAnchor(parts).arraySync();
  // Classes 2 (row 3) and 3 (row 7) have a single member: no positive.
  t.is(perAnchor[3], 0);
  t.is(perAnchor[7], 0);
  t.true([0, 1, 2, 4, 5, 6].every((i) => perAnchor[i] > 0));
  const loss = supConLoss({ anchors: a, labels, temperature: tau });
  t.true(closeRel(loss.dataSync()[0], perAnchor.reduce((s, v) => s + v, 0) / 8));
  tf.dispose([a, loss, parts.logits, parts.positiveMask, parts.candidateMask]);
});

/** Gradient of sum_i l_i w.r.t. the contrastive logits u, by autodiff. */
function autodiffLogitGrads(parts: {
  logits: tf.Tensor2D;
  positiveMask: tf.Tensor2D;
  candidateMask: tf.Tensor2D;
}): number[][] {
  return tf.tidy(
    () =>
      tf
        .grad((u: tf.Tensor) => tf.sum(supConPerAnchor({ ...parts, logits: u as tf.Tensor2D })))(parts.logits)
        .arraySync() as number[][],
  );
}

test('d l_i / d u equals the decoupled form (sigma - 1/|P| for positives, sigma for negatives, 0 outside A_i)', (t) => {
  const a = tf.tensor2d(anchors);
  const k = tf.tensor2d(keys);
  const parts = supConLogits({
    anchors: a,
    labels,
    keys: k,
    keyLabels,
    keyMask: new Float32Array(keyMask),
    temperature: tau,
  });
  const u = parts.logits.arraySync();
  const pos = parts.positiveMask.arraySync();
  const cand = parts.candidateMask.arraySync();
  const grads = autodiffLogitGrads(parts);
  u.forEach((row, i) => {
    const numPos = pos[i].reduce((s, v) => s + v, 0);
    const inSet = row.filter((_, a2) => cand[i][a2] > 0);
    const lse = Math.log(inSet.reduce((s, v) => s + Math.exp(v), 0));
    row.forEach((value, col) => {
      const sigma = Math.exp(value - lse);
      const want = cand[i][col] === 0 || numPos === 0 ? 0 : pos[i][col] > 0 ? sigma - 1 / numPos : sigma;
      t.true(Math.abs(grads[i][col] - want) < 1e-5, `anchor ${i} col ${col}: ${grads[i][col]} vs ${want}`);
    });
  });
  tf.dispose([a, k, parts.logits, parts.positiveMask, parts.candidateMask]);
});

test('the decoupled form matches central finite differences of the explicit-loop loss (float64)', (t) => {
  const i = 2;
  const cands: RefCandidate[] = [];
  anchors.forEach((b, j) => j !== i && cands.push({ sim: dot(anchors[i], b), positive: labels[j] === labels[i] }));
  keys.forEach(
    (k, m) => keyMask[i * 6 + m] && cands.push({ sim: dot(anchors[i], k), positive: keyLabels[m] === labels[i] }),
  );
  const uValues = cands.map((c) => c.sim / tau);
  const lossOf = (u: number[]) =>
    refAnchorLoss(
      cands.map((c, n) => ({ ...c, sim: u[n] * tau })),
      tau,
    );
  const numPos = cands.filter((c) => c.positive).length;
  const lse = Math.log(uValues.reduce((s, v) => s + Math.exp(v), 0));
  const h = 1e-5;
  uValues.forEach((_, n) => {
    const up = uValues.slice();
    const down = uValues.slice();
    up[n] += h;
    down[n] -= h;
    const fd = (lossOf(up) - lossOf(down)) / (2 * h);
    const sigma = Math.exp(uValues[n] - lse);
    const decoupled = cands[n].positive ? sigma - 1 / numPos : sigma;
    t.true(Math.abs(fd - decoupled) < 1e-7, `pair ${n}: fd ${fd} vs ${decoupled}`);
  });
});

test('autodiff through the tfjs loss matches float32 finite differences w.r.t. the anchors', (t) => {
  const k = tf.tensor2d(keys);
  const mask = new Float32Array(keyMask);
  const lossAt = (rows: number[][]) =>
    tf.tidy(
      () =>
        supConLoss({
          anchors: tf.tensor2d(rows),
          labels,
          keys: k,
          keyLabels,
          keyMask: mask,
          classWeights,
          temperature: 1,
        }).dataSync()[0],
    );
  const a = tf.tensor2d(anchors);
  const g = tf.grad((x: tf.Tensor) =>
    supConLoss({ anchors: x as tf.Tensor2D, labels, keys: k, keyLabels, keyMask: mask, classWeights, temperature: 1 }),
  )(a);
  const grad = g.arraySync() as number[][];
  const h = 1e-2;
  for (const [r, c] of [
    [0, 0],
    [3, 2],
    [7, 4],
    [5, 1],
  ]) {
    const up = anchors.map((row) => row.slice());
    const down = anchors.map((row) => row.slice());
    up[r][c] += h;
    down[r][c] -= h;
    const fd = (lossAt(up) - lossAt(down)) / (2 * h);
    t.true(Math.abs(fd - grad[r][c]) < 2e-3, `(${r},${c}): fd ${fd} vs autodiff ${grad[r][c]}`);
  }
  tf.dispose([a, g, k]);
});

test('contrastiveLogitGradients gives each anchor its positives and negatives sorted by logit, equal to autodiff', (t) => {
  const a = tf.tensor2d(anchors);
  const k = tf.tensor2d(keys);
  const options = { anchors: a, labels, keys: k, keyLabels, keyMask: new Float32Array(keyMask), temperature: tau };
  const before = tf.memory().numTensors;
  const result = contrastiveLogitGradients(options);
  t.is(tf.memory().numTensors, before);
  const parts = supConLogits(options);
  const grads = autodiffLogitGrads(parts);
  const u = parts.logits.arraySync();
  const pos = parts.positiveMask.arraySync();
  const cand = parts.candidateMask.arraySync();
  t.is(result.length, anchors.length);
  result.forEach((r, i) => {
    t.is(r.label, labels[i]);
    const wantPos = u[i]
      .map((v, c) => [v, grads[i][c]])
      .filter((_, c) => pos[i][c] > 0)
      .sort((x, y) => y[0] - x[0]);
    const wantNeg = u[i]
      .map((v, c) => [v, grads[i][c]])
      .filter((_, c) => cand[i][c] > 0 && !(pos[i][c] > 0))
      .sort((x, y) => y[0] - x[0]);
    t.is(r.positiveLogits.length, wantPos.length);
    t.is(r.negativeLogits.length, wantNeg.length);
    r.positiveGradients.forEach((g, n) => t.true(Math.abs(g - wantPos[n][1]) < 1e-5));
    r.negativeGradients.forEach((g, n) => t.true(Math.abs(g - wantNeg[n][1]) < 1e-5));
    for (let n = 1; n < r.negativeLogits.length; n++) t.true(r.negativeLogits[n - 1] >= r.negativeLogits[n]);
    // Decoupling: positives push (gradient <= 0 unless sigma > 1/|P|), negatives never push back.
    t.true(r.negativeGradients.every((g) => g >= 0));
  });
  tf.dispose([a, k, parts.logits, parts.positiveMask, parts.candidateMask]);
});

test("contrastiveLogitGradients report 'keys' lists only key columns, with sigma over the whole candidate set (autodiff)", (t) => {
  const a = tf.tensor2d(anchors);
  const k = tf.tensor2d(keys);
  const options = { anchors: a, labels, keys: k, keyLabels, keyMask: new Float32Array(keyMask), temperature: tau };
  const result = contrastiveLogitGradients({ ...options, report: 'keys' });
  const queueOnly = contrastiveLogitGradients({ ...options, report: 'keys', includeBatchPairs: false });
  const parts = supConLogits(options);
  const grads = autodiffLogitGrads(parts);
  const u = parts.logits.arraySync();
  const pos = parts.positiveMask.arraySync();
  const cand = parts.candidateMask.arraySync();
  const B = anchors.length;
  let differs = false;
  result.forEach((r, i) => {
    const cols = u[i].map((v, c) => ({ v, g: grads[i][c], c })).filter((x) => x.c >= B && cand[i][x.c] > 0);
    const wantNeg = cols.filter((x) => !(pos[i][x.c] > 0)).sort((x, y) => y.v - x.v);
    const wantPos = cols.filter((x) => pos[i][x.c] > 0).sort((x, y) => y.v - x.v);
    t.is(r.negativeGradients.length, wantNeg.length);
    t.is(r.positiveGradients.length, wantPos.length);
    r.negativeGradients.forEach((g, n) =>
      t.true(Math.abs(g - wantNeg[n].g) < 1e-5, `anchor ${i} negative ${n}: ${g} vs ${wantNeg[n].g}`),
    );
    r.positiveGradients.forEach((g, n) =>
      t.true(Math.abs(g - wantPos[n].g) < 1e-5, `anchor ${i} positive ${n}: ${g} vs ${wantPos[n].g}`),
    );
    // Dropping the batch rows from the denominator gives other (larger) gradients.
    if (r.negativeGradients.some((g, n) => Math.abs(g - queueOnly[i].negativeGradients[n]) > 1e-4)) differs = true;
  });
  t.true(differs);
  t.throws(() => contrastiveLogitGradients({ anchors: a, labels, temperature: tau, report: 'keys' }), {
    message: /report 'keys' needs keys/,
  });
  t.throws(() => contrastiveLogitGradients({ ...options, report: 'batch' as 'keys' }), {
    message: /report must be 'all' or 'keys'/,
  });
  tf.dispose([a, k, parts.logits, parts.positiveMask, parts.candidateMask]);
});

test('supConLoss argument errors name the argument', (t) => {
  const a = tf.tensor2d(anchors);
  t.throws(() => supConLoss({ anchors: a, labels, temperature: 0 }), {
    message: /supConLoss: temperature must be a number > 0; got 0/,
  });
  t.throws(() => supConLoss({ anchors: a, labels, keys: tf.zeros([2, d]) as tf.Tensor2D }), {
    message: /keyLabels \[2\] must be given with keys/,
  });
  t.throws(() => supConLoss({ anchors: a, labels, keys: tf.zeros([2, 3]) as tf.Tensor2D, keyLabels: [0, 1] }), {
    message: /supConLoss: keys must have shape \[\*, 5\]; got \[2, 3\]/,
  });
  t.throws(() => supConLoss({ anchors: a, labels: labels.slice(1) }), { message: /labels must have length 8/ });
  a.dispose();
});
