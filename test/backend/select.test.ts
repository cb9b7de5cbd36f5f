import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { backendFromEnvironment, selectBackend } from '../../src/backend';

test('auto selects wasm with training kernels on a machine without tfjs-node-gpu', async (t) => {
  const lines: string[] = [];
  const info = await selectBackend({ log: (l) => lines.push(l) });
  t.is(info.name, 'wasm');
  t.is(tf.getBackend(), 'wasm');
  t.true(info.simd === true);
  t.is(lines.length, 1);
  t.regex(lines[0], /^backend=wasm simd=yes threads=\d/);
});

test('RESCOM_BACKEND is validated', (t) => {
  t.is(backendFromEnvironment({}), 'auto');
  t.is(backendFromEnvironment({ RESCOM_BACKEND: 'cpu' }), 'cpu');
  t.throws(() => backendFromEnvironment({ RESCOM_BACKEND: 'cuda' }), {
    message: /RESCOM_BACKEND must be one of .*got 'cuda'/,
  });
});

test('forcing an unavailable backend is a clear error', async (t) => {
  await t.throwsAsync(selectBackend({ backend: 'tensorflow', log: null }), {
    message: /backend 'tensorflow' was requested .* unavailable: .*tfjs-node-gpu did not load/,
  });
});
