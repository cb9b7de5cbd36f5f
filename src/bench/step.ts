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
 * The two frameworks run in interleaved rounds (a few TF.js steps, then as many PyTorch steps in a
 * persistent `step.py --serve` process, repeated), so that on a shared machine both sides see the
 * same background load; medians are over all measured steps.
 *
 * Cases: ResNet-8 (128 images of 28x28x1), ResNet-32 (2 x 64 of 32x32x3), ResNet-50 (2 x 8 of
 * 224x224x3, ImageNet-LT's network and size). The TF.js side trains with the library's
 * `leanVariableGrads` and `SgdWithWeightDecay` (what `rescom train` runs).
 *
 * Options (environment): RESCOM_BENCH_CASES (default resnet8,resnet32,resnet50), RESCOM_BENCH_ROUNDS
 * (default 3) x RESCOM_BENCH_STEPS (steps per round, default 2), RESCOM_BENCH_WARMUP (default 2),
 * RESCOM_BENCH_PYTORCH=0 to skip PyTorch, RESCOM_BENCH_PROFILE=1 to print where the ResNet-32
 * step's CPU time goes (RESCOM_BENCH_PROFILE_ALL=1: every case). Last line:
 * `RESULT resnet32_img_s=<x> pytorch_img_s=<y|NA> ratio=<x/y|NA>` then `<case>_img_s`,
 * `<case>_pytorch_img_s`, `<case>_ratio` for every case run.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { currentBackend, selectBackend } from '../backend';
import { createResComModel, type BackboneName } from '../models';
import { SgdWithWeightDecay } from '../train/sgd';
import { leanVariableGrads } from '../train/lean-gradients';
import { Rng } from '../util/rng';
import { readEnvironment, readEnvironmentInteger, readEnvironmentSwitch } from '../util/environment';
import { formatResultLine, type ResultFields } from './result-line';
import { peerEnvironment } from './python-server';

interface StepCase {
  backbone: BackboneName;
  size: number;
  channels: number;
  /** Images per view. */
  batch: number;
  views: number;
}

const RESNET32: StepCase = { backbone: 'resnet32', size: 32, channels: 3, batch: 64, views: 2 };
const SMALL: StepCase = { backbone: 'resnet8', size: 28, channels: 1, batch: 128, views: 1 };
/** ImageNet-LT's network at its image size: 2 views x 8 images of 224x224x3. */
const RESNET50: StepCase = { backbone: 'resnet50', size: 224, channels: 3, batch: 8, views: 2 };
const CASES: Record<string, StepCase> = { resnet8: SMALL, resnet32: RESNET32, resnet50: RESNET50 };
const NUM_CLASSES = 10;
const PROJECTION_DIM = 32;
const TEMPERATURE = 0.1;

function envInt(name: string, fallback: number): number {
  // Plain decimals within the bounds listed in src/util/environment.ts (ENV_INTEGERS).
  return readEnvironmentInteger(name, 'bench:step', fallback);
}

/** SupCon over all rows (Khosla et al. 2020, Eq. 2) with masks only (no gather: see docs/wasm-training.md). */
function supConLoss(projections: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const n = projections.shape[0];
  const z = tf.div(projections, tf.norm(projections, 2, 1, true));
  const selfMask = tf.eye(n);
  const logits = tf.sub(tf.div(tf.matMul(z, z, false, true), TEMPERATURE), tf.mul(selfMask, 1e9));
  const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true));
  // Same-label mask as oneHot @ oneHot^T (exact 0/1): wasm's broadcasting int32 Equal costs ~2.5 ms here.
  const same = tf.matMul(oneHot, oneHot, false, true);
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

interface Sample {
  ms: number;
  cpuMs: number;
}

/** A prepared TF.js training step for one case; `dispose` frees the model and data. */
function prepareTfjs(c: StepCase): { step: () => number; dispose: () => void } {
  const rng = new Rng(0);
  const net = createResComModel({ backbone: c.backbone, inputShape: [c.size, c.size, c.channels], numClasses: NUM_CLASSES, projectionDim: PROJECTION_DIM, rng });
  const rows = c.batch * c.views;
  const x = tf.randomNormal([rows, c.size, c.size, c.channels], 0, 1, 'float32', rng.tfSeed());
  const baseLabels = Array.from({ length: c.batch }, () => rng.int(NUM_CLASSES));
  const labels = tf.tensor1d(Array.from({ length: c.views }, () => baseLabels).flat(), 'int32');
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, NUM_CLASSES), 'float32'));
  // The library's optimiser (what training uses: the native update where the addon is built).
  const optimizer = new SgdWithWeightDecay({ lr: 0.05, momentum: 0.9 });
  const variables = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = (): number => {
    const { value, grads } = leanVariableGrads(() => {
      const [, logits, projections] = net.model.apply(x, { training: true }) as tf.Tensor[];
      const ce = tf.losses.softmaxCrossEntropy(oneHot, logits);
      return tf.add(ce, supConLoss(projections as tf.Tensor2D, oneHot as tf.Tensor2D)) as tf.Scalar;
    }, variables);
    optimizer.step(
      variables,
      variables.map((v) => grads[v.name]),
    );
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  const dispose = () => {
    tf.dispose([x, labels, oneHot]);
    optimizer.dispose();
    net.dispose();
  };
  return { step, dispose };
}

/** Runs `count` TF.js steps, logging each; returns their timings and the tensor count after each. */
function tfjsSteps(c: StepCase, step: () => number, count: number, label: string, tensorCounts: number[]): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const loss = step();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    tensorCounts.push(tf.memory().numTensors);
    samples.push({ ms, cpuMs });
    console.log(`tfjs ${c.backbone} ${label}: ${ms.toFixed(0)} ms (cpu ${cpuMs.toFixed(0)} ms), loss ${loss.toFixed(4)}, tensors ${tf.memory().numTensors}`);
  }
  return samples;
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

/** A persistent `bench/pytorch/step.py --serve` process for one case. */
class PytorchRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: (() => void) | null = null;
  private exited = false;

  private constructor(args: string[], python: string) {
    this.child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'], env: peerEnvironment() });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiting?.();
    });
    this.child.stderr.on('data', () => undefined);
    this.child.on('exit', () => {
      this.exited = true;
      this.waiting?.();
    });
  }

  /** Starts the reference for case `c`, or returns null when /usr/bin/python3 has no torch. */
  static async start(c: StepCase): Promise<PytorchRunner | null> {
    const python = '/usr/bin/python3';
    const script = join(__dirname, '..', '..', 'bench', 'pytorch', 'step.py');
    if (!existsSync(python) || !existsSync(script)) return null;
    if (spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status !== 0) return null;
    const args = [script, '--serve', '--backbone', c.backbone, '--size', `${c.size}`, '--channels', `${c.channels}`, '--batch', `${c.batch}`];
    args.push('--views', `${c.views}`, '--classes', `${NUM_CLASSES}`, '--projection-dim', `${PROJECTION_DIM}`, '--threads', '2');
    const runner = new PytorchRunner(args, python);
    return (await runner.nextLine()) === 'READY' ? runner : (runner.close(), null);
  }

  private async nextLine(): Promise<string | null> {
    while (this.lines.length === 0) {
      if (this.exited) return null;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
    return this.lines.shift()!;
  }

  /** Runs `count` PyTorch steps; null if the process failed. */
  async steps(count: number, label: string, backbone: string): Promise<Sample[] | null> {
    this.child.stdin.write(`steps ${count}\n`);
    const samples: Sample[] = [];
    for (;;) {
      const line = await this.nextLine();
      if (line === null) return null;
      if (line === 'DONE') return samples;
      const m = /^STEP ms=([0-9.]+) cpu=([0-9.]+) loss=([-0-9.naif]+)/.exec(line);
      if (!m) continue;
      samples.push({ ms: Number(m[1]), cpuMs: Number(m[2]) });
      console.log(`pytorch ${backbone} ${label}: ${Number(m[1]).toFixed(0)} ms (cpu ${Number(m[2]).toFixed(0)} ms, all threads), loss ${m[3]}`);
    }
  }

  close(): void {
    if (!this.exited) this.child.stdin.end('quit\n');
  }
}

function flat(counts: number[]): boolean {
  return counts.every((n) => n === counts[counts.length - 1]);
}

interface CaseResult {
  tfjs: Sample[];
  torch: Sample[] | null;
  tensorCounts: number[];
  heapBytes: number | null;
}

async function runCase(c: StepCase, o: { rounds: number; perRound: number; warmup: number; withPytorch: boolean; profile: boolean }): Promise<CaseResult> {
  console.log(`\n== ${c.backbone} on ${c.size}x${c.size}x${c.channels}, ${c.views} view(s) x ${c.batch} images, SGD momentum ==`);
  const { step, dispose } = prepareTfjs(c);
  const torchRunner = o.withPytorch ? await PytorchRunner.start(c) : null;
  if (o.withPytorch && !torchRunner) console.log('pytorch: /usr/bin/python3 with torch and torchvision not found; ratio NA');
  const tensorCounts: number[] = [];
  const tfjs: Sample[] = [];
  let torch: Sample[] | null = torchRunner ? [] : null;
  try {
    tfjsSteps(c, step, o.warmup, 'warm-up', tensorCounts);
    tensorCounts.length = 0;
    if (torchRunner && !(await torchRunner.steps(o.warmup, 'warm-up', c.backbone))) torch = null;
    for (let r = 0; r < o.rounds; r++) {
      tfjs.push(...tfjsSteps(c, step, o.perRound, `round ${r + 1}`, tensorCounts));
      if (torchRunner && torch) {
        const samples = await torchRunner.steps(o.perRound, `round ${r + 1}`, c.backbone);
        if (samples) torch.push(...samples);
        else {
          console.log('pytorch: the reference process stopped; ratio NA');
          torch = null;
        }
      }
    }
    if (o.profile) await printProfile(step);
  } finally {
    torchRunner?.close();
  }
  const heapBytes = wasmHeapBytes();
  dispose();
  return { tfjs, torch, tensorCounts, heapBytes };
}

async function main(): Promise<void> {
  const rounds = Math.max(1, envInt('RESCOM_BENCH_ROUNDS', 3));
  const perRound = Math.max(1, envInt('RESCOM_BENCH_STEPS', 2));
  const warmup = envInt('RESCOM_BENCH_WARMUP', 2);
  const withPytorch = readEnvironmentSwitch('RESCOM_BENCH_PYTORCH', 'bench:step', true);
  const profile = readEnvironmentSwitch('RESCOM_BENCH_PROFILE', 'bench:step', false);
  await selectBackend();

  const names = (readEnvironment('RESCOM_BENCH_CASES', 'bench:step') ?? 'resnet8,resnet32,resnet50').split(',');
  const results = new Map<StepCase, CaseResult>();
  for (const name of names) {
    const c = CASES[name];
    const profileThis = profile && (c === RESNET32 || readEnvironmentSwitch('RESCOM_BENCH_PROFILE_ALL', 'bench:step', false));
    results.set(c, await runCase(c, { rounds, perRound, warmup, withPytorch, profile: profileThis }));
  }

  console.log(`\nload average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; medians over ${rounds} interleaved rounds x ${perRound} steps`);
  console.log('model     tfjs img/s  step ms  cpu ms  pytorch img/s  step ms  ratio  tensors after each step (flat?)  wasm heap');
  const summary = new Map<StepCase, { x: number; y: number | null }>();
  for (const [c, r] of results) {
    const rows = c.batch * c.views;
    const ms = median(r.tfjs.map((s) => s.ms));
    const x = (rows * 1000) / ms;
    const torchMs = r.torch && r.torch.length ? median(r.torch.map((s) => s.ms)) : null;
    const y = torchMs === null ? null : (rows * 1000) / torchMs;
    summary.set(c, { x, y });
    const heap = r.heapBytes === null ? 'n/a' : `${(r.heapBytes / 2 ** 20).toFixed(0)} MiB`;
    const cells = [
      c.backbone.padEnd(9),
      x.toFixed(1).padStart(10),
      ms.toFixed(0).padStart(8),
      median(r.tfjs.map((s) => s.cpuMs)).toFixed(0).padStart(7),
      (y === null ? 'NA' : y.toFixed(1)).padStart(14),
      (torchMs === null ? 'NA' : torchMs.toFixed(0)).padStart(8),
      (y === null ? 'NA' : (x / y).toFixed(3)).padStart(6),
      ` ${r.tensorCounts.join(',')} (${flat(r.tensorCounts) ? 'flat' : 'NOT flat'})`,
      heap,
    ];
    console.log(cells.join(' '));
    if (r.heapBytes !== null && r.heapBytes >= 4 * 2 ** 30) console.log(`WARNING: ${c.backbone}: the wasm heap reached its 4 GB limit`);
  }
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'}; backend: ${currentBackend()?.line ?? 'unknown'}`);
  // ResNet-32's figures keep their historical keys (img_s, ratio); every case adds <name>_ratio.
  const fields: ResultFields = {};
  const r32 = summary.get(RESNET32);
  if (r32) Object.assign(fields, { resnet32_img_s: r32.x, pytorch_img_s: r32.y, ratio: r32.y === null ? null : r32.x / r32.y });
  for (const [c, { x, y }] of summary) {
    fields[`${c.backbone}_img_s`] = x;
    fields[`${c.backbone}_pytorch_img_s`] = y;
    fields[`${c.backbone}_ratio`] = y === null ? null : x / y;
  }
  console.log(formatResultLine(fields));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
