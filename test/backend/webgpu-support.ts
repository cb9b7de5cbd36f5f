/**
 * Shared by the webgpu*.test.ts files: start webgpu (on any adapter, lavapipe included) or explain
 * why not, and run the same computation on two backends to compare.
 *
 * Without a Vulkan adapter the webgpu tests skip with a visible reason, so a machine without the
 * driver still passes; CI installs the driver (.ci/install-vulkan.sh) and sets
 * RESCOM_REQUIRE_WEBGPU=1, which turns a skip into a failure.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { prepareWebGpu } from '../../src/backend/webgpu';
import { Rng } from '../../src/util/rng';

/**
 * Why webgpu cannot run here, or null when it can. Decided synchronously (ava declares tests
 * synchronously in CommonJS test files) by asking Dawn for an adapter in a child process.
 * With RESCOM_REQUIRE_WEBGPU=1 (CI) an unavailable webgpu throws instead.
 */
export function webGpuUnavailable(): string | null {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `let w; try { w = require('webgpu'); } catch (e) { console.log('npm package webgpu is not installed'); process.exit(0); }
      w.create([]).requestAdapter().then((a) => console.log(a ? 'ok' : 'Dawn found no Vulkan adapter (run .ci/install-vulkan.sh)'),
        (e) => console.log('requestAdapter failed: ' + e.message));`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const said = (probe.stdout ?? '').trim().split('\n').pop() ?? '';
  const reason =
    said === 'ok' ? null : said || `the adapter probe exited with ${probe.status} ${probe.signal ?? ''}`.trim();
  if (reason && process.env.RESCOM_REQUIRE_WEBGPU === '1') {
    throw new Error(`RESCOM_REQUIRE_WEBGPU=1 but webgpu is unavailable: ${reason}`);
  }
  return reason;
}

/** Start webgpu on whatever adapter there is (lavapipe included) for a test's `before` hook. */
export async function startWebGpu(): Promise<void> {
  const outcome = await prepareWebGpu({ allowFallbackAdapter: true });
  if (typeof outcome === 'string') throw new Error(`startWebGpu: ${outcome}`);
}

/** Title of the one placeholder test a skipped file shows. */
export function skipTitle(reason: string): string {
  return `webgpu checks SKIPPED (no usable adapter: ${reason})`;
}

/** Standard normal float32 values from a seeded generator. */
export function normals(rng: Rng, count: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal() * scale;
  return out;
}

/**
 * Run `compute` on `backend` and return its outputs as plain arrays; tensors do not leak. The
 * previous backend is restored afterwards.
 */
export async function runOn(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`runOn: backend '${backend}' failed to start`);
  try {
    const outputs = tf.tidy(compute);
    const arrays = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(outputs);
    return arrays.map((a) => Float32Array.from(a));
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

export interface Discrepancy {
  /** max |a - b| */
  maxAbs: number;
  /** max |a - b| / bound, the bound per element; < 1 passes. */
  worstRatio: number;
  /** ||a - b|| / ||b|| */
  relL2: number;
}

/** Compare `actual` with `reference` element by element against `bound` (a number or per element). */
export function discrepancy(actual: Float32Array, reference: Float32Array, bound: number | Float32Array): Discrepancy {
  if (actual.length !== reference.length)
    throw new Error(`discrepancy: lengths differ (${actual.length} vs ${reference.length})`);
  let maxAbs = 0;
  let worstRatio = 0;
  let diff2 = 0;
  let ref2 = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - reference[i]);
    const b = typeof bound === 'number' ? bound : bound[i];
    maxAbs = Math.max(maxAbs, d);
    worstRatio = Math.max(worstRatio, Number.isNaN(d) ? Infinity : d / b);
    diff2 += d * d;
    ref2 += reference[i] * reference[i];
  }
  return { maxAbs, worstRatio, relL2: Math.sqrt(diff2 / Math.max(ref2, 1e-30)) };
}

/** Unit roundoff of float32. */
export const FLOAT32_EPS = 2 ** -24;
