import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { Rng } from '../../src/util/rng';
import {
  NATIVE_TRAINING_KERNELS,
  loadNativeTraining,
  registerNativeTrainingKernels,
  unregisterNativeTrainingKernels,
} from '../../src/backend/wasm/native-training';

// The native kernels exist only where g++ (with OpenMP) was installed before `npm run build`; CI
// installs it and sets RESCOM_REQUIRE_NATIVE_TRAINING=1, so there an absent addon fails instead of
// skipping. Their values against the cpu backend: batchnorm.test.ts (wasm-native) and the whole
// ResNet checks of kernels-resnet.test.ts / onednn.test.ts.
const loaded = loadNativeTraining({});
const absent = typeof loaded === 'string' ? loaded : null;
const required = process.env.RESCOM_REQUIRE_NATIVE_TRAINING === '1';
const nativeTest = absent && !required ? test.skip : test.serial;
const suffix = absent && !required ? ` (skipped: native training ${absent})` : '';

function addon() {
  if (typeof loaded === 'string') throw new Error(`native training addon ${loaded}`);
  return loaded;
}

function random(rng: Rng, n: number, offset = 0): Float32Array {
  return Float32Array.from({ length: n }, () => offset + rng.normal());
}

test('RESCOM_NATIVE_TRAINING=0 keeps the addon out; other values are refused', (t) => {
  t.is(loadNativeTraining({ RESCOM_NATIVE_TRAINING: '0' }), 'off (RESCOM_NATIVE_TRAINING=0)');
  t.throws(() => loadNativeTraining({ RESCOM_NATIVE_TRAINING: 'on' }), {
    message: /RESCOM_NATIVE_TRAINING must be 0 or 1; got 'on'/,
  });
});

nativeTest(`native kernels register over the wasm ones and unregister back${suffix}`, async (t) => {
  const info = await useTestBackend();
  const marked = () =>
    NATIVE_TRAINING_KERNELS.map(
      (n) => (tf.getKernel(n, 'wasm') as object | undefined)?.['__rescomNativeTrainingKernel' as never] !== undefined,
    );
  t.true(registerNativeTrainingKernels(info.threads ?? 1, {}).used);
  t.deepEqual(marked(), [true, true, true, true]);
  unregisterNativeTrainingKernels();
  t.deepEqual(marked(), [false, false, false, false]);
  t.truthy(tf.getKernel('MaxPoolGrad', 'wasm'), "wasm's own MaxPoolGrad is back");
  t.truthy(tf.getKernel('RescomBatchNormForward', 'wasm'), 'the wasm-composed BatchNorm is back');
  t.falsy(tf.getKernel('RescomSgdMomentum', 'wasm'), 'no SGD kernel without the addon');
  registerNativeTrainingKernels(1, {});
  registerNativeTrainingKernels(info.threads ?? 1, {});
  t.deepEqual(marked(), [true, true, true, true]);
  t.deepEqual(registerNativeTrainingKernels(1, { RESCOM_NATIVE_TRAINING: '0' }), {
    used: false,
    detail: 'off (RESCOM_NATIVE_TRAINING=0)',
  });
  t.deepEqual(marked(), [false, false, false, false]);
  registerNativeTrainingKernels(info.threads ?? 1, {});
});

nativeTest(`native BatchNorm gives bit-identical values for 1, 2 and 3 threads${suffix}`, async (t) => {
  await useTestBackend();
  const native = addon();
  const rng = new Rng(4);
  // 20000 rows: several row blocks, and an uneven split between threads.
  const m = 20000;
  const c = 12;
  const x = random(rng, m * c, 5);
  const res = random(rng, m * c);
  const dy = random(rng, m * c);
  const gamma = random(rng, c, 1);
  const beta = random(rng, c);
  const run = (threads: number): Float32Array[] => {
    native.setThreads(threads);
    const y = new Float32Array(m * c);
    const mean = new Float32Array(c);
    const variance = new Float32Array(c);
    native.bnForward(x, gamma, beta, res, y, mean, variance, 1e-5, true);
    const dx = new Float32Array(m * c);
    const dgamma = new Float32Array(c);
    const dbeta = new Float32Array(c);
    const dres = new Float32Array(m * c);
    native.bnBackward(dy, x, y, mean, variance, gamma, dx, dgamma, dbeta, dres, 1e-5, true);
    return [y, mean, variance, dx, dgamma, dbeta, dres];
  };
  const one = run(1);
  for (const threads of [2, 3]) {
    const other = run(threads);
    ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta', 'dresidual'].forEach((name, i) =>
      t.deepEqual(other[i], one[i], `${name} with ${threads} threads`),
    );
  }
  native.setThreads((await useTestBackend()).threads ?? 1);
});

nativeTest(
  `native BatchNorm: statistics hand-checked, and the residual's gradient is the ReLU-masked dy${suffix}`,
  (t) => {
    const native = addon();
    // Channel 0: 1, 3, 5 (mean 3, biased variance 8/3); channel 1: 10, 10, 16 (mean 12, variance 8).
    const x = Float32Array.from([1, 10, 3, 10, 5, 16]);
    const y = new Float32Array(6);
    const mean = new Float32Array(2);
    const variance = new Float32Array(2);
    const res = Float32Array.from([0, -100, 0, 0, 0, 0]);
    native.bnForward(x, Float32Array.from([1, 1]), Float32Array.from([0, 0]), res, y, mean, variance, 1e-5, true);
    t.deepEqual(Array.from(mean), [3, 12]);
    t.true(Math.abs(variance[0] - 8 / 3) < 1e-6 && Math.abs(variance[1] - 8) < 1e-6);
    t.is(y[1], 0, 'relu(-0.707 - 100) = 0');
    t.true(Math.abs(y[4] - 2 / Math.sqrt(8 / 3 + 1e-5)) < 1e-6);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const dres = new Float32Array(6);
    native.bnBackward(
      dy,
      x,
      y,
      mean,
      variance,
      Float32Array.from([1, 1]),
      new Float32Array(6),
      new Float32Array(2),
      new Float32Array(2),
      dres,
      1e-5,
      true,
    );
    t.deepEqual(
      Array.from(dres),
      Array.from(dy).map((v, i) => (y[i] > 0 ? v : 0)),
    );
  },
);

nativeTest(`native kernels name the bad argument${suffix}`, (t) => {
  const native = addon();
  const f = (n: number) => new Float32Array(n);
  t.throws(() => native.bnForward(f(6), f(3), f(2), null, f(6), f(3), f(3), 1e-5, false), {
    message: 'rescom_training.bnForward: beta holds 2 values; needs 3',
  });
  t.throws(() => native.bnForward(f(7), f(3), f(3), null, f(7), f(3), f(3), 1e-5, false), {
    message: "rescom_training.bnForward: x must hold M x C values (C = gamma's length)",
  });
  t.throws(() => native.bnForward(f(6), f(3), f(3), null, f(6), f(3), f(3), 0, false), {
    message: 'rescom_training.bnForward: epsilon must be > 0',
  });
  t.throws(() => native.bnForward(f(6), [1, 2, 3] as never, f(3), null, f(6), f(3), f(3), 1e-5, false), {
    message: 'rescom_training.bnForward: gamma must be a Float32Array',
  });
  t.throws(() => native.bnBackward(f(6), f(6), f(6), f(3), f(3), f(3), f(6), f(3), f(3), f(5), 1e-5, true), {
    message: 'rescom_training.bnBackward: dresidual holds 5 values; needs 6',
  });
  t.throws(() => native.sgd(f(4), f(4), f(3), f(4), f(4), 0.1, 0.9, 0), {
    message: 'rescom_training.sgd: v holds 3 values; needs 4',
  });
  t.throws(() => native.setThreads(0), { message: 'rescom_training.setThreads: expected a positive integer' });
});

const POOLS: {
  shape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'valid' | 'same' | number;
}[] = [
  { shape: [3, 9, 11, 5], size: 3, stride: 2, pad: 1 }, // ResNet-50's stem pool, odd sizes
  { shape: [2, 8, 8, 4], size: 2, stride: 2, pad: 'valid' },
  { shape: [2, 7, 6, 3], size: 3, stride: 1, pad: 'same' },
  { shape: [1, 10, 10, 17], size: 3, stride: 2, pad: 'valid' },
];
for (const p of POOLS) {
  nativeTest(
    `native MaxPoolGrad equals the cpu backend's (first maximum, ties included): [${p.shape}] ${p.size}/${p.stride} pad ${p.pad}${suffix}`,
    async (t) => {
      const info = await useTestBackend();
      registerNativeTrainingKernels(info.threads ?? 1, {});
      const rng = new Rng(p.shape.reduce((a, b) => a * 7 + b, 1));
      const size = p.shape.reduce((a, b) => a * b, 1);
      // Post-ReLU-like values with many exact ties (zeros and repeated levels).
      const xv = Float32Array.from({ length: size }, () => Math.max(0, Math.round(rng.normal() * 2) / 2));
      const grad = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, p.shape);
          const out = tf.maxPool(x, p.size, p.stride, p.pad);
          const r = tf.randomNormal(out.shape, 0, 1, 'float32', 9);
          return tf
            .grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, p.size, p.stride, p.pad), r)))(x)
            .dataSync() as Float32Array;
        });
      const before = tf.memory().numTensors;
      const onWasm = grad();
      t.is(tf.memory().numTensors, before, 'no tensor leaks');
      await tf.setBackend('cpu');
      const onCpu = grad();
      await tf.setBackend('wasm');
      t.deepEqual(onWasm, onCpu);
    },
  );
}

nativeTest(`native MaxPoolGrad names a bad geometry${suffix}`, (t) => {
  const native = addon();
  const f = (n: number) => new Float32Array(n);
  t.throws(() => native.maxPoolGrad(f(4), f(16), f(16), new Int32Array(11)), {
    message:
      'rescom_training.maxPoolGrad: geometry must be an Int32Array(12) [N,H,W,C,OH,OW,KH,KW,SH,SW,padTop,padLeft]',
  });
  t.throws(() => native.maxPoolGrad(f(4), f(15), f(16), Int32Array.from([1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0])), {
    message: 'rescom_training.maxPoolGrad: x holds 15 values; needs 16',
  });
});
