import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { backendOptionsFromArgs } from '../../src/cli/backend-options';
import { loadOneDnn } from '../../src/backend/wasm/onednn';
import {
  MAX_WASM_THREADS,
  defaultThreads,
  threadsFromEnvironment,
  validateThreads,
} from '../../src/backend/wasm/threads';

const ROOT = join(__dirname, '..', '..');

/**
 * Child process: selects wasm with RESCOM_THREADS threads, then prints the backend line and a
 * fingerprint (every float's bits) of a ResNet-8 forward + all gradients on batch 16 at 16x16,
 * large enough that XNNPACK splits its operators across threads.
 */
const PROBE = `
const tf = require('@tensorflow/tfjs');
const { selectBackend } = require('./src/backend');
const { createResComModel } = require('./src/models');
const { Rng } = require('./src/util/rng');
selectBackend({ backend: 'wasm' }).then(() => {
  const net = createResComModel({ backbone: 'resnet8', inputShape: [16, 16, 3], numClasses: 5, projectionDim: 8, rng: new Rng(3) });
  const x = tf.randomNormal([16, 16, 16, 3], 0, 1, 'float32', 4);
  const before = tf.memory().numTensors;
  const values = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const outs = net.model.apply(x, { training: true });
      return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, tf.randomNormal(o.shape, 0, 1, 'float32', 10 + i)))));
    });
    return [value.dataSync(), ...net.model.trainableWeights.map((w) => grads[w.originalName ?? w.name].dataSync())];
  });
  let hash = 0;
  for (const v of values) for (const u of new Uint32Array(v.buffer, v.byteOffset, v.length)) hash = (Math.imul(hash, 31) + u) >>> 0;
  console.log('fingerprint=' + hash.toString(16) + ' loss=' + values[0][0] + ' leaked=' + (tf.memory().numTensors - before));
});
`;

function probe(threads: string, onednn = '0') {
  const run = spawnSync(process.execPath, ['--import=tsx', '-e', PROBE], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    // onednn '0': the XNNPACK/JS convolutions; '1': the oneDNN ones (a fixed batch split for the
    // weight gradient, native/onednn/rescom_onednn.cc).
    env: { ...process.env, RESCOM_THREADS: threads, RESCOM_BACKEND: '', RESCOM_ONEDNN: onednn },
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

test('RESCOM_THREADS and options.threads are validated', (t) => {
  t.is(threadsFromEnvironment({}), null);
  t.is(threadsFromEnvironment({ RESCOM_THREADS: ' 3 ' }), 3);
  t.throws(() => threadsFromEnvironment({ RESCOM_THREADS: '0' }), {
    message: /RESCOM_THREADS must be an integer from 1 to 8; got '0'/,
  });
  t.throws(() => threadsFromEnvironment({ RESCOM_THREADS: 'two' }), {
    message: /RESCOM_THREADS must be an integer from 1 to 8; got 'two'/,
  });
  t.throws(() => validateThreads('options.threads', 1.5), {
    message: /options.threads must be an integer from 1 to 8; got '1.5'/,
  });
  t.throws(() => validateThreads('options.threads', MAX_WASM_THREADS + 1), { message: /got '9'/ });
  t.true(defaultThreads() >= 1 && defaultThreads() <= MAX_WASM_THREADS);
});

test('--threads and --backend become selectBackend options; a bad --threads names the flag', (t) => {
  t.deepEqual(backendOptionsFromArgs('train', {}), {});
  t.deepEqual(backendOptionsFromArgs('train', { backend: 'wasm', threads: '2' }), { backend: 'wasm', threads: 2 });
  t.throws(() => backendOptionsFromArgs('demo', { threads: 'all' }), {
    message: /rescom demo: --threads must be an integer from 1 to 8\b.*; got 'all'/,
  });
  t.throws(() => backendOptionsFromArgs('train', { threads: '0x2' }), {
    message: /rescom train: --threads must be an integer .*; got '0x2'/,
  });
});

test('threaded wasm: the backend line reports the real thread count, and 1, 2 and 3 threads give bit-identical ResNet gradients; Node exits by itself', (t) => {
  const runs = ['1', '2', '3'].map((n) => ({ n, ...probe(n) }));
  const prints: string[] = [];
  for (const run of runs) {
    t.is(run.status, 0, run.out);
    t.regex(run.out, new RegExp(`^backend=wasm simd=yes threads=${run.n} `, 'm'));
    t.regex(run.out, /leaked=0/);
    prints.push(/fingerprint=(\w+)/.exec(run.out)?.[1] ?? `missing in: ${run.out}`);
  }
  t.log(prints.join(' '));
  t.is(prints[1], prints[0], '2 threads == 1 thread');
  t.is(prints[2], prints[0], '3 threads == 1 thread');
});

const oneDnnAbsent = ((loaded) => (typeof loaded === 'string' ? loaded : null))(loadOneDnn({}));
const skipOneDnn = oneDnnAbsent !== null && process.env.RESCOM_REQUIRE_ONEDNN !== '1';

(skipOneDnn ? test.skip : test)(
  `with oneDNN and the native BatchNorm, 1, 2 and 3 threads give bit-identical ResNet gradients${skipOneDnn ? ` (skipped: oneDNN ${oneDnnAbsent})` : ''}`,
  (t) => {
    const runs = ['1', '2', '3'].map((n) => ({ n, ...probe(n, '1') }));
    for (const run of runs) {
      t.is(run.status, 0, run.out);
      t.regex(run.out, new RegExp(`^backend=wasm simd=yes threads=${run.n} .*onednn=\\d`, 'm'));
      t.regex(run.out, /leaked=0/);
    }
    const prints = runs.map((run) => /fingerprint=(\w+)/.exec(run.out)?.[1] ?? `missing in: ${run.out}`);
    t.log(prints.join(' '));
    t.is(prints[1], prints[0], '2 threads == 1 thread');
    t.is(prints[2], prints[0], '3 threads == 1 thread');
  },
);
