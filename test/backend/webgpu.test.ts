/**
 * Selecting the webgpu backend: adapter description, fallback adapters refused unless forced,
 * `auto` never picking a CPU driver, and Node exiting by itself after training on webgpu.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { prepareWebGpu } from '../../src/backend/webgpu';
import { formatAdapter, summariseAdapter } from '../../src/backend/webgpu/adapter';
import { skipTitle, webGpuUnavailable } from './webgpu-support';

const ROOT = path.resolve(__dirname, '../..');

/** Run a CommonJS snippet in a fresh Node (through tsx, so it can require src/*.ts). */
function runNode(code: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import=tsx', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ...env },
  });
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

test("summariseAdapter reads Dawn's isFallbackAdapter and formats vendor, description, fallback", (t) => {
  const lavapipe = summariseAdapter({
    info: {
      vendor: 'mesa',
      architecture: 'software',
      device: 'llvmpipe',
      description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)',
      isFallbackAdapter: true,
    },
  });
  t.deepEqual(lavapipe, {
    vendor: 'mesa',
    description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)',
    architecture: 'software',
    fallback: true,
  });
  t.is(formatAdapter(lavapipe), 'mesa, llvmpipe: Mesa 25.0.7 (LLVM 15.0.6), fallback yes');
  const nvidia = summariseAdapter({
    info: {
      vendor: 'nvidia',
      architecture: 'hopper',
      device: '',
      description: 'NVIDIA H100 80GB "HBM3"',
      isFallbackAdapter: false,
    },
  });
  t.is(formatAdapter(nvidia), 'nvidia, NVIDIA H100 80GB HBM3, fallback no');
});

test('without isFallbackAdapter, a software architecture or a known CPU driver counts as fallback', (t) => {
  t.true(
    summariseAdapter({ info: { vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' } })
      .fallback,
  );
  t.true(summariseAdapter({ info: { vendor: 'mesa', architecture: 'software', description: 'x' } }).fallback);
  t.true(
    summariseAdapter({ isFallbackAdapter: true, info: { vendor: 'x' } }).fallback,
    'the older adapter.isFallbackAdapter',
  );
  t.false(
    summariseAdapter({ info: { vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900' } }).fallback,
  );
  t.is(formatAdapter(summariseAdapter({})), 'unknown vendor, no description, fallback no');
});

const unavailable = webGpuUnavailable();

if (unavailable) {
  test.skip(skipTitle(unavailable), () => undefined);
} else {
  test.serial('a fallback adapter is refused unless allowed; a GPU adapter is taken either way', async (t) => {
    const strict = await prepareWebGpu({ allowFallbackAdapter: false });
    const forced = await prepareWebGpu({ allowFallbackAdapter: true });
    if (typeof forced === 'string') return t.fail(`forced webgpu refused: ${forced}`);
    t.is(forced.name, 'webgpu');
    t.is(tf.getBackend(), 'webgpu');
    t.regex(forced.adapter ?? '', /^[^,]+, .+, fallback (yes|no)$/);
    t.log(`adapter: ${forced.adapter}`);
    if (forced.adapter!.endsWith('fallback yes')) {
      t.is(typeof strict, 'string');
      t.regex(strict as string, /only a fallback \(CPU\) adapter was found \(.*fallback yes\).*RESCOM_BACKEND=webgpu/);
    } else {
      t.not(typeof strict, 'string', 'a real GPU adapter must be accepted without forcing');
    }
    await t.throwsAsync(prepareWebGpu({ powerPreference: 'fast' as 'low-power' }), {
      message: /prepareWebGpu: options.powerPreference must be 'high-performance' or 'low-power'; got 'fast'/,
    });
  });

  test('RESCOM_BACKEND=webgpu selects webgpu and the backend line names the adapter', (t) => {
    const run = runNode(
      "require('./src/backend').selectBackend().then(() => console.log('ok'), (e) => { console.log('ERR ' + e.message); process.exitCode = 1; })",
      { RESCOM_BACKEND: 'webgpu' },
    );
    t.is(run.status, 0, run.stdout + run.stderr);
    t.regex(run.stdout, /^backend=webgpu threads=n\/a adapter="[^"]+, fallback (yes|no)"$/m);
  });

  test('auto picks webgpu only for a real GPU adapter (lavapipe falls through to wasm)', (t) => {
    const run = runNode(
      "require('./src/backend').selectBackend().then((i) => console.log('chosen=' + i.name), (e) => { console.log('ERR ' + e.message); process.exitCode = 1; })",
      { RESCOM_BACKEND: '' },
    );
    t.is(run.status, 0, run.stdout + run.stderr);
    const probe = runNode(
      "require('webgpu').create([]).requestAdapter().then((a) => console.log('fallback=' + require('./src/backend/webgpu/adapter').summariseAdapter(a).fallback))",
    );
    const fallbackOnly = /fallback=true/.test(probe.stdout);
    t.regex(run.stdout, fallbackOnly ? /^chosen=(tensorflow|wasm)$/m : /^chosen=(tensorflow|webgpu)$/m);
  });

  test('Node exits by itself after training steps on webgpu (no native handle keeps it alive)', (t) => {
    const code = `
      const tf = require('@tensorflow/tfjs');
      require('./src/backend/webgpu').prepareWebGpu({ allowFallbackAdapter: true }).then(async (info) => {
        if (typeof info === 'string') throw new Error(info);
        const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1);
        const w = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2));
        const opt = tf.train.momentum(0.1, 0.9);
        for (let i = 0; i < 3; i++) {
          const loss = opt.minimize(() => tf.conv2d(x, w, 1, 'same').relu().mean(), true);
          console.log('loss=' + (await loss.data())[0]);
          loss.dispose();
        }
        console.log('done');
      });`;
    const run = runNode(code, {}, 90_000);
    t.is(run.signal, null, `killed by ${run.signal} after ${run.seconds}s: the process did not exit`);
    t.is(run.status, 0, run.stderr);
    t.regex(run.stdout, /done/);
    t.log(`exited after ${run.seconds.toFixed(1)} s`);
  });
}
