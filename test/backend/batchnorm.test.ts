import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { relativeError } from '../helpers/relative-error';
import { batchNormTraining } from '../../src/models/batch-norm-op';
import {
  loadNativeTraining,
  registerNativeTrainingKernels,
  unregisterNativeTrainingKernels,
} from '../../src/backend/wasm/native-training';
import { Rng } from '../../src/util/rng';

function randomArray(rng: Rng, n: number, offset = 0, spread = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = offset + spread * rng.normal();
  return a;
}

type Impl = 'fast' | 'reference';

/** What follows BatchNorm: a ReLU (fused in the fast implementation), a residual input added before it. */
interface Tail {
  relu: boolean;
  residual: boolean;
}

/**
 * Output and gradients (x, gamma, beta[, residual]) of sum(tail(BN(x)) * r). 'reference' is the
 * textbook formula through tf.moments and autodiff (Ioffe & Szegedy 2015, Alg. 1) followed by
 * tf.add / tf.relu, 'fast' is batchNormTraining with the tail fused.
 */
function results(
  impl: Impl,
  tail: Tail,
  shape: number[],
  xv: Float32Array,
  gv: Float32Array,
  bv: Float32Array,
  sv: Float32Array,
  rv: Float32Array,
): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(xv, shape);
    const gamma = tf.tensor1d(gv);
    const beta = tf.tensor1d(bv);
    const shortcut = tf.tensor(sv, shape);
    const r = tf.tensor(rv, shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const bn = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s: tf.Tensor): tf.Tensor => {
      if (impl === 'fast') {
        const options = { epsilon: 1e-5, relu: tail.relu, residual: tail.residual ? s : undefined };
        return batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, options).output;
      }
      const { mean, variance } = tf.moments(a, axes);
      const normalised = tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
      const y = tail.residual ? tf.add(normalised, s) : normalised;
      return tail.relu ? tf.relu(y) : y;
    };
    const out = bn(x, gamma, beta, shortcut);
    const inputs = tail.residual ? [x, gamma, beta, shortcut] : [x, gamma, beta];
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s?: tf.Tensor) =>
      tf.sum(tf.mul(bn(a, g, b, s ?? shortcut), r)),
    )(inputs);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const SHAPES = [
  [4, 5, 3, 6],
  [7, 3],
  [2, 9, 7, 4],
  [32, 16, 16, 8], // 8192 rows per channel: large pooling windows in the wasm kernels, several row blocks natively
];
const TAILS: Tail[] = [
  { relu: false, residual: false },
  { relu: true, residual: false },
  { relu: true, residual: true },
  { relu: false, residual: true },
];
const native = loadNativeTraining({});
const nativeAbsent = typeof native === 'string' ? native : null;
const nativeRequired = process.env.RESCOM_REQUIRE_NATIVE_TRAINING === '1';

/**
 * Implementations under test, each against autodiff of the textbook formula on cpu: 'wasm-native'
 * the addon's kernels (src/backend/wasm/native-training.ts; CI requires them), 'wasm-composed' the
 * kernels composed from wasm ones (src/backend/wasm/batch-norm-kernels.ts), 'cpu' the tf-ops fallback
 * with its closed-form gradient.
 */
const IMPLEMENTATIONS = ['wasm-native', 'wasm-composed', 'cpu'] as const;

async function useImplementation(impl: (typeof IMPLEMENTATIONS)[number]): Promise<void> {
  const info = await useTestBackend();
  if (impl === 'wasm-native') {
    const status = registerNativeTrainingKernels(info.threads ?? 1, {});
    if (!status.used) throw new Error(`native training kernels not used: ${status.detail}`);
  } else unregisterNativeTrainingKernels();
  await tf.setBackend(impl === 'cpu' ? 'cpu' : 'wasm');
}

const tailName = (tail: Tail) => `BatchNorm${tail.residual ? '+add' : ''}${tail.relu ? '+ReLU' : ''}`;

for (const impl of IMPLEMENTATIONS) {
  const skip = impl === 'wasm-native' && nativeAbsent && !nativeRequired;
  for (const tail of TAILS) {
    for (const shape of tail.residual ? SHAPES.slice(2) : SHAPES) {
      (skip ? test.skip : test.serial)(
        `fast ${tailName(tail)} on ${impl} matches tf.moments autodiff on cpu: [${shape}]${skip ? ` (skipped: ${nativeAbsent})` : ''}`,
        async (t) => {
          await useImplementation(impl);
          const rng = new Rng(shape.reduce((a, b) => a * 17 + b, 3));
          const size = shape.reduce((a, b) => a * b, 1);
          const c = shape[shape.length - 1];
          // A large common offset checks that the variance is computed stably.
          const xv = randomArray(rng, size, 3, 2);
          const gv = randomArray(rng, c, 1, 0.3);
          const bv = randomArray(rng, c, 0, 0.3);
          const sv = randomArray(rng, size);
          const rv = randomArray(rng, size);
          const before = tf.memory().numTensors;
          const fast = results('fast', tail, shape, xv, gv, bv, sv, rv);
          t.is(tf.memory().numTensors, before, 'no tensor leaks');
          await tf.setBackend('cpu');
          const reference = results('reference', tail, shape, xv, gv, bv, sv, rv);
          await useImplementation('wasm-native').catch(() => useTestBackend());
          t.is(fast.length, tail.residual ? 5 : 4);
          ['output', 'dx', 'dgamma', 'dbeta', 'dresidual'].slice(0, fast.length).forEach((name, i) => {
            const err = relativeError(fast[i], reference[i]);
            t.true(err < 1e-4, `${name}: relative error ${err}`);
          });
        },
      );
    }
  }
}

test.serial('batchNormTraining returns the biased batch statistics (hand-computed)', async (t) => {
  await useTestBackend();
  const inputs = [
    tf.tensor2d([
      [1, 10],
      [3, 10],
      [5, 16],
    ]),
    tf.tensor1d([1, 2]),
    tf.tensor1d([0, 1]),
  ] as const;
  const before = tf.memory().numTensors;
  const { output, mean, variance } = batchNormTraining(inputs[0], inputs[1], inputs[2]);
  t.deepEqual(Array.from(mean.dataSync()), [3, 12]);
  const v = variance.dataSync();
  t.true(Math.abs(v[0] - 8 / 3) < 1e-5 && Math.abs(v[1] - 8) < 1e-5);
  const y = output.arraySync() as number[][];
  const z = 2 / Math.sqrt(8 / 3 + 1e-5);
  t.true(Math.abs(y[0][0] + z) < 1e-4 && Math.abs(y[2][0] - z) < 1e-4 && Math.abs(y[1][0]) < 1e-6);
  t.true(Math.abs(y[2][1] - (1 + (2 * 4) / Math.sqrt(8 + 1e-5))) < 1e-4);
  tf.dispose([output, mean, variance]);
  t.is(tf.memory().numTensors, before);
  tf.dispose([...inputs]);
});

test.serial('batchNormTraining rejects mismatched gamma and too few rows', async (t) => {
  await useTestBackend();
  t.throws(() => batchNormTraining(tf.zeros([4, 3]), tf.ones([2]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D), {
    message: /batchNormTraining: gamma and beta must be \[3\]/,
  });
  t.throws(() => batchNormTraining(tf.zeros([1, 3]), tf.ones([3]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D), {
    message: /at least 2 values per channel/,
  });
});
