/**
 * `npm run bench:step`: speed of one ResCom-style training step on the selected backend, and the
 * same step in PyTorch CPU (bench/pytorch/step.py) when /usr/bin/python3 has torch.
 *
 * Step = forward of both views as one batch [2N, H, W, C] (training-mode BatchNorm), cross-entropy
 * on the logits + supervised contrastive loss (Khosla et al. 2020, Eq. 2) on the L2-normalised
 * projections, backward, SGD with momentum. Images/s count every view-image (2N per step).
 * Reports the median over measured steps after warm-up, the tensor count after each step (must be
 * flat) and the wasm heap size (the wasm memory never shrinks, so its size is the peak; limit 4 GB).
 *
 * Options (environment): RESCOM_BENCH_STEPS (measured steps, default 5), RESCOM_BENCH_WARMUP
 * (default 2), RESCOM_BENCH_PYTORCH=0 to skip PyTorch, RESCOM_BENCH_PROFILE=1 to print where the
 * ResNet-32 step's kernel time goes. Last line:
 * `RESULT resnet32_img_s=<x> pytorch_img_s=<y|NA> ratio=<x/y|NA>`.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { selectBackend } from '../backend';
import { createResComModel, type BackboneName } from '../models';
import { Rng } from '../util/rng';

interface StepCase {
  backbone: BackboneName;
  size: number;
  channels: number;
  /** Images per view. */
  batch: number;
  views: number;
}

interface StepResult {
  imagesPerSecond: number;
  medianMs: number;
  /** Median process CPU time per step: on a shared machine, wall time also counts other jobs. */
  medianCpuMs: number;
  tensorCounts: number[];
  heapBytes: number | null;
}

const RESNET32: StepCase = { backbone: 'resnet32', size: 32, channels: 3, batch: 64, views: 2 };
const SMALL: StepCase = { backbone: 'resnet8', size: 28, channels: 1, batch: 128, views: 1 };
const NUM_CLASSES = 10;
const PROJECTION_DIM = 32;
const TEMPERATURE = 0.1;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`bench:step: ${name} must be a non-negative integer; got '${raw}'`);
  return value;
}

/** SupCon over all rows (Khosla et al. 2020, Eq. 2) with masks only (no gather: see ENVIRONMENT). */
function supConLoss(projections: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const n = projections.shape[0];
  const z = tf.div(projections, tf.norm(projections, 2, 1, true));
  const selfMask = tf.eye(n);
  const logits = tf.sub(tf.div(tf.matMul(z, z, false, true), TEMPERATURE), tf.mul(selfMask, 1e9));
  const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true));
  const same = tf.cast(tf.equal(tf.expandDims(labels, 1), tf.expandDims(labels, 0)), 'float32');
  const positives = tf.mul(same, tf.sub(1, selfMask));
  const perAnchor = tf.div(tf.sum(tf.mul(logProb, positives), 1), tf.maximum(tf.sum(positives, 1), 1));
  return tf.neg(tf.mean(perAnchor)) as tf.Scalar;
}

function wasmHeapBytes(): number | null {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runTfjs(c: StepCase, steps: number, warmup: number, profile: boolean): Promise<StepResult> {
  const rng = new Rng(0);
  const net = createResComModel({ backbone: c.backbone, inputShape: [c.size, c.size, c.channels], numClasses: NUM_CLASSES, projectionDim: PROJECTION_DIM, rng });
  const rows = c.batch * c.views;
  const x = tf.randomNormal([rows, c.size, c.size, c.channels], 0, 1, 'float32', rng.tfSeed());
  const baseLabels = Array.from({ length: c.batch }, () => rng.int(NUM_CLASSES));
  const labelList = Array.from({ length: c.views }, () => baseLabels).flat();
  const labels = tf.tensor1d(labelList, 'int32');
  const oneHot = tf.oneHot(labels, NUM_CLASSES);
  const optimizer = tf.train.momentum(0.05, 0.9);
  const variables = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = (): number => {
    const loss = optimizer.minimize(
      () => {
        const [, logits, projections] = net.model.apply(x, { training: true }) as tf.Tensor[];
        const ce = tf.losses.softmaxCrossEntropy(oneHot, logits);
        return tf.add(ce, supConLoss(projections as tf.Tensor2D, labels));
      },
      true,
      variables,
    )!;
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const tensorCounts: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const loss = step();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    tensorCounts.push(tf.memory().numTensors);
    if (i >= warmup) {
      times.push(ms);
      cpuTimes.push(cpuMs);
    }
    console.log(
      `tfjs ${c.backbone} step ${i}${i < warmup ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms (cpu ${cpuMs.toFixed(0)} ms), loss ${loss.toFixed(4)}, tensors ${tf.memory().numTensors}`,
    );
  }
  if (profile) await printProfile(step);
  const heapBytes = wasmHeapBytes();
  tf.dispose([x, labels, oneHot]);
  optimizer.dispose();
  net.dispose();
  const medianMs = median(times);
  return { imagesPerSecond: (rows * 1000) / medianMs, medianMs, medianCpuMs: median(cpuTimes), tensorCounts, heapBytes };
}

/**
 * CPU time per kernel over one step. Wall-clock kernel timings (tf.profile) are inflated unevenly
 * when other jobs share the cores, so each registered kernel function of the backend is wrapped to
 * add up process CPU time (outermost call only: composite kernels call others).
 */
async function printProfile(step: () => number): Promise<void> {
  const backendName = tf.getBackend();
  const totals = new Map<string, { ms: number; calls: number }>();
  let depth = 0;
  const restore: (() => void)[] = [];
  for (const config of tf.getKernelsForBackend(backendName)) {
    const original = config.kernelFunc;
    const name = config.kernelName;
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (depth > 0) return original(args);
      depth++;
      const c0 = process.cpuUsage();
      try {
        return original(args);
      } finally {
        const c = process.cpuUsage(c0);
        depth--;
        const entry = totals.get(name) ?? { ms: 0, calls: 0 };
        entry.ms += (c.user + c.system) / 1000;
        entry.calls++;
        totals.set(name, entry);
      }
    };
    restore.push(() => ((config as { kernelFunc: tf.KernelFunc }).kernelFunc = original));
  }
  const c0 = process.cpuUsage();
  try {
    step();
  } finally {
    restore.forEach((r) => r());
  }
  const c = process.cpuUsage(c0);
  const stepMs = (c.user + c.system) / 1000;
  const inKernels = [...totals.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`profile (process CPU time): step ${stepMs.toFixed(0)} ms, in kernels ${inKernels.toFixed(0)} ms, outside kernels (JS, tape, layers) ${(stepMs - inKernels).toFixed(0)} ms`);
  for (const [name, e] of [...totals].sort((x, y) => y[1].ms - x[1].ms).slice(0, 16)) {
    console.log(`  ${name.padEnd(26)} ${e.ms.toFixed(0).padStart(6)} ms ${((100 * e.ms) / stepMs).toFixed(1).padStart(5)}%  ${e.calls} calls`);
  }
}

/** Runs bench/pytorch/step.py; returns images/s, or null when torch is unavailable or it fails. */
function runPytorch(c: StepCase, steps: number, warmup: number): number | null {
  const python = '/usr/bin/python3';
  const script = join(__dirname, '..', '..', 'bench', 'pytorch', 'step.py');
  if (!existsSync(python) || !existsSync(script)) return null;
  if (spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) return null;
  const args = [script, '--backbone', c.backbone, '--size', `${c.size}`, '--channels', `${c.channels}`, '--batch', `${c.batch}`];
  args.push('--views', `${c.views}`, '--classes', `${NUM_CLASSES}`, '--projection-dim', `${PROJECTION_DIM}`);
  args.push('--steps', `${steps}`, '--warmup', `${warmup}`, '--threads', '2');
  const run = spawnSync(python, args, { encoding: 'utf8' });
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) {
    console.log(`pytorch run failed (exit ${run.status}): ${(run.stderr ?? '').trim().split('\n').pop()}`);
    return null;
  }
  const match = /RESULT img_s=([0-9.]+)/.exec(run.stdout);
  return match ? Number(match[1]) : null;
}

function flat(counts: number[]): boolean {
  return counts.every((n) => n === counts[counts.length - 1]);
}

async function main(): Promise<void> {
  const steps = Math.max(1, envInt('RESCOM_BENCH_STEPS', 5));
  const warmup = envInt('RESCOM_BENCH_WARMUP', 2);
  const withPytorch = process.env.RESCOM_BENCH_PYTORCH !== '0';
  const profile = process.env.RESCOM_BENCH_PROFILE === '1';
  await selectBackend();

  const results: Record<string, StepResult> = {};
  for (const c of [SMALL, RESNET32]) {
    console.log(`\n== ${c.backbone} on ${c.size}x${c.size}x${c.channels}, ${c.views} view(s) x ${c.batch} images, SGD momentum ==`);
    results[c.backbone] = await runTfjs(c, steps, warmup, profile && c === RESNET32);
  }
  const torch: Record<string, number | null> = {};
  for (const c of [SMALL, RESNET32]) torch[c.backbone] = withPytorch ? runPytorch(c, steps, warmup) : null;

  console.log(`\nload average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (wall-clock figures are only comparable on an idle machine)`);
  console.log('model     tfjs img/s  step ms  cpu ms  pytorch img/s  ratio  tensors after each step (flat?)  wasm heap');
  for (const c of [SMALL, RESNET32]) {
    const r = results[c.backbone];
    const y = torch[c.backbone];
    const heap = r.heapBytes === null ? 'n/a' : `${(r.heapBytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `${c.backbone.padEnd(9)} ${r.imagesPerSecond.toFixed(1).padStart(10)} ${r.medianMs.toFixed(0).padStart(8)} ${r.medianCpuMs.toFixed(0).padStart(7)} ${(y === null ? 'NA' : y.toFixed(1)).padStart(14)} ${(y === null ? 'NA' : (r.imagesPerSecond / y).toFixed(3)).padStart(6)}  ${r.tensorCounts.join(',')} (${flat(r.tensorCounts) ? 'flat' : 'NOT flat'})  ${heap}`,
    );
  }
  const r32 = results.resnet32;
  if (r32.heapBytes !== null && r32.heapBytes >= 4 * 2 ** 30) console.log('WARNING: the wasm heap reached its 4 GB limit');
  const y = torch.resnet32;
  console.log(
    `RESULT resnet32_img_s=${r32.imagesPerSecond.toFixed(2)} pytorch_img_s=${y === null ? 'NA' : y.toFixed(2)} ratio=${y === null ? 'NA' : (r32.imagesPerSecond / y).toFixed(3)}`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
