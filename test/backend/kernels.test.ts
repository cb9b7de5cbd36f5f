import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { relativeError } from '../helpers/relative-error';
import { registerWasmTrainingKernels } from '../../src/backend';
import { unregisterOneDnnKernels } from '../../src/backend/wasm/onednn';
import { Rng } from '../../src/util/rng';
import { CASES, assertConvMatchesCpu, convResults, randomArray, type ConvCase } from '../helpers/conv-cases';

/** These tests check the JS/XNNPACK kernels: the optional oneDNN ones (test/backend/onednn.test.ts) are put aside. */
async function useWasmKernels(): Promise<void> {
  await useTestBackend();
  unregisterOneDnnKernels();
}

test.serial('registerWasmTrainingKernels is idempotent and names its kernels', async (t) => {
  await useWasmKernels();
  const first = registerWasmTrainingKernels();
  const second = registerWasmTrainingKernels();
  t.deepEqual(first, second);
  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum']) {
    t.true(first.includes(name));
    t.truthy(tf.getKernel(name, 'wasm'));
  }
});

for (const c of CASES) {
  test.serial(`conv2d forward and gradients match cpu: x [${c.x}] k${c.k} s${c.stride} ${c.pad}`, async (t) => {
    await useWasmKernels();
    await assertConvMatchesCpu(t, c);
  });
}

test.serial(
  'UnsortedSegmentSum matches an explicit loop, drops out-of-range ids, and makes tf.gather differentiable',
  async (t) => {
    await useWasmKernels();
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const ids = [2, 0, 2, -1, 5];
    const before = tf.memory().numTensors;
    const summed = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor2d(values.slice(0, 10), [5, 2]), tf.tensor1d(ids, 'int32'), 3).arraySync(),
    );
    const expected = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    ids.forEach((s, i) => {
      if (s >= 0 && s < 3) for (let k = 0; k < 2; k++) expected[s][k] += values[i * 2 + k];
    });
    t.deepEqual(summed, expected);
    const grad = tf.tidy(() => {
      const params = tf.tensor2d(values, [4, 3]);
      const g = tf.grad((p: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.gather(p, tf.tensor1d([3, 1, 3], 'int32')),
            tf.tensor2d([
              [1, 2, 3],
              [4, 5, 6],
              [7, 8, 9],
            ]),
          ),
        ),
      )(params);
      return g.arraySync();
    });
    t.deepEqual(grad, [
      [0, 0, 0],
      [4, 5, 6],
      [0, 0, 0],
      [8, 10, 12],
    ]);
    t.is(tf.memory().numTensors, before);
  },
);

test.serial('the col2im input gradient (used for strides > 1) also matches cpu at stride 1', async (t) => {
  await useWasmKernels();
  const previous = process.env.RESCOM_WASM_DX;
  process.env.RESCOM_WASM_DX = 'col2im';
  try {
    for (const pad of ['same', 'valid'] as const) {
      const c: ConvCase = { x: [2, 6, 5, 3], k: 3, outChannels: 4, stride: 1, pad };
      const rng = new Rng(pad === 'same' ? 11 : 12);
      const xv = randomArray(rng, 2 * 6 * 5 * 3);
      const wv = randomArray(rng, 3 * 3 * 3 * 4);
      const rv = randomArray(rng, pad === 'same' ? 2 * 6 * 5 * 4 : 2 * 4 * 3 * 4);
      const onWasm = convResults(c, xv, wv, rv);
      await tf.setBackend('cpu');
      const onCpu = convResults(c, xv, wv, rv);
      await tf.setBackend('wasm');
      t.true(
        relativeError(onWasm[1], onCpu[1]) < 1e-4,
        `dx (${pad}): relative error ${relativeError(onWasm[1], onCpu[1])}`,
      );
    }
  } finally {
    if (previous === undefined) delete process.env.RESCOM_WASM_DX;
    else process.env.RESCOM_WASM_DX = previous;
  }
});

test.serial('Identity shares data (no copy) yet a clone outlives its source; strings still clone', async (t) => {
  await useWasmKernels();
  const before = tf.memory().numTensors;
  const source = tf.tensor([1, 2, 3]);
  const bytesBefore = tf.memory().numBytes;
  const copy = tf.clone(source);
  t.is(copy.dataId, source.dataId, 'the clone refers to the same heap data');
  t.is(tf.memory().numBytes, bytesBefore + 12, 'numBytes counts tensors, so it grows');
  source.dispose();
  t.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
  copy.dispose();
  const strings = tf.tensor(['a', 'bc']);
  const stringCopy = tf.clone(strings);
  t.deepEqual(stringCopy.arraySync(), ['a', 'bc']);
  tf.dispose([strings, stringCopy]);
  t.is(tf.memory().numTensors, before);
});
