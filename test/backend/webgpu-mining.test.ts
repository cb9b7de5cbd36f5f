/**
 * Device-side hard pair mining and the ResCom criterion using it (`mining: 'device'`): the mask
 * equals the value miner's, no gradient flows through it, and the ResCom loss with its queue over
 * several steps matches the library's standard criterion, first on wasm (same backend: the only
 * difference is where mining runs), then on webgpu against wasm.
 *
 * Tolerance on webgpu vs wasm: the loss is a mean over 2N anchors of log-sum-exps over ~2N + Q_p + Q_n
 * logits s/tau with |s| <= 1, tau = 0.2, so every term is O(1/tau) = O(5) and float32 evaluation with
 * a different reduction order moves each by ~(terms) * u * 5 ~ 1e-5; we allow 1e-4 relative on the
 * loss and on the gradient's L2 norm (a wrong mask or queue changes the loss at the 1e-2 level).
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { mineHardPairsFromSimilarities } from '../../src/contrast/hard-pair-miner';
import { ResComCriterion } from '../../src/losses/criterion';
import { mineHardPairsOnDevice } from '../../src/contrast/device-mining';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { discrepancy, normals, skipTitle, startWebGpu, webGpuUnavailable } from './webgpu-support';

test.before(async () => {
  await useTestBackend();
});

const C = 5;
const K = 4;
const D = 8;

function unitRows(rng: Rng, rows: number, dim: number): Float32Array {
  const out = normals(rng, rows * dim);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let j = 0; j < dim; j++) n += out[r * dim + j] ** 2;
    for (let j = 0; j < dim; j++) out[r * dim + j] /= Math.sqrt(n);
  }
  return out;
}

async function onBackend<T>(name: string, body: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
  try {
    return await body();
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

/** Three criterion steps (loss + gradients, then enqueue) on the active backend; plain numbers out. */
async function criterionRun(
  kind: 'values' | 'device',
): Promise<{ losses: number[][]; grads: Float32Array[]; keys: Float32Array; state: unknown }> {
  const rng = new Rng(42);
  const options = {
    numClasses: C,
    classCounts: [40, 20, 10, 5, 2],
    projectionDim: D,
    queuePerClass: K,
    selectNumPos: 1,
    selectNumNeg: 6,
    rng: new Rng(9),
  };
  const criterion =
    kind === 'values' ? new ResComCriterion(options) : new ResComCriterion({ ...options, mining: 'device' });
  const losses: number[][] = [];
  const grads: Float32Array[] = [];
  const n = 6;
  try {
    for (let step = 0; step < 3; step++) {
      const labels = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) labels[i] = labels[i + n] = rng.int(C);
      const logits = tf.tensor2d(normals(rng, 2 * n * C), [2 * n, C]);
      const projections = tf.tensor2d(normals(rng, 2 * n * D), [2 * n, D]);
      const parts: tf.Scalar[] = [];
      const { value, grads: g } = tf.valueAndGrads((l: tf.Tensor, p: tf.Tensor) => {
        const out = criterion.loss({ logits: l as tf.Tensor2D, projections: p as tf.Tensor2D, labels });
        parts.push(tf.keep(out.cls), tf.keep(out.con));
        return out.total;
      })([logits, projections]);
      losses.push([...(await Promise.all(parts.map((t) => t.data()))).map((d) => d[0]), (await value.data())[0]]);
      for (const t of g) grads.push(Float32Array.from(await t.data()));
      tf.dispose([logits, projections, value, ...g, ...parts]);
      criterion.afterStep();
    }
    const keys = Float32Array.from(await criterion.queue!.keys().data());
    // The state a checkpoint stores; the device criterion builds it without synchronous read-back.
    const state = criterion.state();
    return { losses, grads, keys, state };
  } finally {
    criterion.dispose();
  }
}

async function maskMatchesValueMiner(t: import('ava').ExecutionContext): Promise<void> {
  const rng = new Rng(3);
  const b = 10;
  const anchors = unitRows(rng, b, D);
  const keys = unitRows(rng, C * K, D);
  const labels = new Int32Array(b).map(() => rng.int(C));
  const before = tf.memory().numTensors;
  for (const [qp, qn] of [
    [1, 6],
    [2, 16],
    [0, 3],
    [4, 0],
  ]) {
    const sims = new Float32Array(b * C * K);
    for (let i = 0; i < b; i++) {
      for (let m = 0; m < C * K; m++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += anchors[i * D + j] * keys[m * D + j];
        sims[i * C * K + m] = s;
      }
    }
    const expected = mineHardPairsFromSimilarities({
      numClasses: C,
      perClass: K,
      numPositives: qp,
      numNegatives: qn,
      similarities: sims,
      labels,
    }).keyMask;
    const [mask, grad] = tf.tidy(() => {
      const a = tf.tensor2d(anchors, [b, D]);
      const k = tf.tensor2d(keys, [C * K, D]);
      const opts = { numClasses: C, perClass: K, numPositives: qp, numNegatives: qn };
      const m = mineHardPairsOnDevice(a, k, tf.tensor1d(labels, 'int32'), opts);
      // The mask multiplies the similarities: the gradient must be that of a constant mask.
      const g = tf.grad((x: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.matMul(x as tf.Tensor2D, k, false, true),
            mineHardPairsOnDevice(x as tf.Tensor2D, k, tf.tensor1d(labels, 'int32'), opts),
          ),
        ),
      )(a);
      return [m, g];
    });
    const got = await mask.data();
    t.deepEqual(Array.from(got), Array.from(expected), `Q_p=${qp} Q_n=${qn}`);
    // d/dx sum(mask * x k^T) with constant mask = mask @ k.
    const expectedGrad = new Float32Array(b * D);
    for (let i = 0; i < b; i++)
      for (let m = 0; m < C * K; m++)
        for (let j = 0; j < D; j++) expectedGrad[i * D + j] += expected[i * C * K + m] * keys[m * D + j];
    t.true(
      discrepancy(Float32Array.from(await grad.data()), expectedGrad, 1e-5).worstRatio < 1,
      'gradient as for a constant mask',
    );
    tf.dispose([mask, grad]);
  }
  t.is(tf.memory().numTensors, before);
  t.throws(
    () =>
      mineHardPairsOnDevice(tf.zeros([2, D]), tf.zeros([C * K, D]), tf.tensor1d([0, 1], 'int32'), {
        numClasses: C,
        perClass: K,
        numPositives: K + 1,
        numNegatives: 1,
      }),
    {
      message: /mineHardPairsOnDevice: options.numPositives must be an integer in 0..4; got 5/,
    },
  );
}

test.serial('device mining selects the same keys as the value miner and passes no gradient (wasm)', (t) =>
  onBackend('wasm', () => maskMatchesValueMiner(t)),
);

test.serial('ResComCriterion with device mining reproduces host mining (loss, gradients, queue) on wasm', async (t) => {
  const before = tf.memory().numTensors;
  const reference = await onBackend('wasm', () => criterionRun('values'));
  const device = await onBackend('wasm', () => criterionRun('device'));
  t.is(tf.memory().numTensors, before, 'no tensor leaked');
  reference.losses.forEach((parts, step) =>
    parts.forEach((v, i) =>
      t.true(
        Math.abs(device.losses[step][i] - v) <= 1e-6 * Math.max(1, Math.abs(v)),
        `step ${step} part ${i}: ${device.losses[step][i]} vs ${v}`,
      ),
    ),
  );
  reference.grads.forEach((g, i) => t.true(discrepancy(device.grads[i], g, Infinity).relL2 <= 1e-6, `gradient ${i}`));
  t.true(discrepancy(device.keys, reference.keys, 1e-7).worstRatio < 1, 'same queue after three enqueues');
  t.deepEqual(device.state, reference.state, 'same checkpoint state (from the CPU mirror)');
  t.true(reference.losses[0][1] > 0, 'the contrastive part is active');
});

const unavailable = webGpuUnavailable();
if (unavailable) {
  test.skip(skipTitle(unavailable), () => undefined);
} else {
  test.before(startWebGpu);

  test.serial('device mining selects the same keys as the value miner and passes no gradient (webgpu)', (t) =>
    onBackend('webgpu', () => maskMatchesValueMiner(t)),
  );

  test.serial(
    'ResCom loss with queue: webgpu (device mining) matches wasm (the standard criterion) over three steps',
    async (t) => {
      const before = tf.memory().numTensors;
      const onWasm = await onBackend('wasm', () => criterionRun('values'));
      const onGpu = await onBackend('webgpu', () => criterionRun('device'));
      t.is(tf.memory().numTensors, before, 'no tensor leaked');
      onWasm.losses.forEach((parts, step) =>
        parts.forEach((v, i) => {
          const got = onGpu.losses[step][i];
          t.true(
            Math.abs(got - v) <= 1e-4 * Math.max(1, Math.abs(v)),
            `step ${step} ${['cls', 'con', 'total'][i]}: webgpu ${got} vs wasm ${v}`,
          );
        }),
      );
      onWasm.grads.forEach((g, i) => {
        const d = discrepancy(onGpu.grads[i], g, Infinity);
        t.true(d.relL2 <= 1e-4, `gradient ${i}: relative L2 ${d.relL2.toExponential(2)}`);
      });
      t.true(discrepancy(onGpu.keys, onWasm.keys, Infinity).relL2 <= 1e-5, 'same queue keys');
      const flat = (s: unknown) => Float32Array.from((s as { queue: { keys: number[][] } }).queue.keys.flat());
      t.true(
        discrepancy(flat(onGpu.state), flat(onWasm.state), Infinity).relL2 <= 1e-5,
        'state() works on webgpu (no dataSync) and holds the same keys',
      );
      t.log(
        `losses webgpu ${onGpu.losses.map((p) => p[2].toFixed(6)).join(' ')} / wasm ${onWasm.losses.map((p) => p[2].toFixed(6)).join(' ')}`,
      );
    },
  );
}
