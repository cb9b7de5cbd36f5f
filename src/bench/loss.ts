/**
 * `npm run bench:loss`: what ResCom's loss costs on top of a plain cross-entropy step.
 *
 * Both steps are the trainer's own `trainStep` (src/train/train-step.ts) on the SAME model
 * (ResNet-32, 32x32x3, C = 100, projection dim 32) and the SAME two-view batch (2 x 64 images,
 * one forward of the 128-row Siamese batch, SGD momentum 0.9, weight decay 5e-4):
 *   - CE baseline: loss = mean cross-entropy over the 128 rows; nothing else (the projection head
 *     still runs forward but gets no gradient, and there is no queue);
 *   - ResCom: `ResComCriterion` method `rescom` (SBS + class-balanced SupCon + queue K = 10 +
 *     mining Q_p = 1, Q_n = 400, CIFAR-100-LT IF 100 class counts), then the queue update.
 * So the ratio isolates the ResCom overhead: projection-head backward, contrastive logits over
 * 127 batch rows + 1000 queue keys, mining (read-back + selection), queue update.
 * Steps alternate CE / ResCom after one warm-up each; each step is timed in process CPU time
 * (user + system; the wasm backend computes on one thread, so on an idle machine this equals wall
 * time, and on a shared one it does not count other processes' load) and the medians are compared.
 * Wall times are printed too. Also reported: the loss alone (forward + backward on fixed
 * tensors, no network), which is what the ratio's excess should be made of.
 *
 * Options (environment): RESCOM_BENCH_STEPS (measured steps per method, default 4),
 * RESCOM_BENCH_WARMUP (default 1). Last line: `RESULT rescom_over_ce=<ratio> ...`.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend';
import type { TwoViewBatch } from '../data/types';
import { crossEntropyLoss } from '../losses/cross-entropy';
import { ResComCriterion, siameseLabels } from '../losses/criterion';
import { createResComModel } from '../models';
import { SgdWithWeightDecay, trainStep, type TrainingCriterion } from '../train';
import { Rng } from '../util/rng';
import { formatResultLine } from './result-line';
import { readEnvironmentInteger } from '../util/environment';

const NUM_CLASSES = 100;
const PER_VIEW = 64;
const PROJECTION_DIM = 32;
const SIZE = 32;

function envInt(name: string, fallback: number, _min?: number): number {
  // Plain decimals within the bounds listed in src/util/environment.ts (ENV_INTEGERS).
  return readEnvironmentInteger(name, 'bench:loss', fallback);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CIFAR-100-LT, imbalance factor 100: n_c = floor(500 * 100^(-c/99)). */
function cifar100LtCounts(): number[] {
  return Array.from({ length: NUM_CLASSES }, (_, c) => Math.floor(500 * Math.pow(100, -c / (NUM_CLASSES - 1))));
}

/** A two-view batch of random normalised images with labels drawn from the long-tailed prior. */
function randomBatch(rng: Rng, counts: number[]): TwoViewBatch {
  const pixels = PER_VIEW * SIZE * SIZE * 3;
  const view1 = new Float32Array(pixels).map(() => rng.normal());
  const view2 = new Float32Array(pixels).map(() => rng.normal());
  const total = counts.reduce((a, b) => a + b, 0);
  const labels = new Int32Array(PER_VIEW).map(() => {
    let u = rng.next() * total;
    let c = 0;
    while (u >= counts[c] && c < counts.length - 1) u -= counts[c++];
    return c;
  });
  return { view1, view2, labels, shape: [PER_VIEW, SIZE, SIZE, 3] };
}

/** The baseline criterion: cross-entropy over every row of the two-view batch, nothing else. */
function crossEntropyCriterion(): TrainingCriterion {
  return {
    usesSecondView: true,
    loss: ({ logits, labels }) =>
      tf.tidy(() => {
        const cls = crossEntropyLoss({ logits, labels });
        return { cls, con: tf.scalar(0), total: cls.clone() };
      }),
    afterStep: () => undefined,
    state: () => null,
    restore: () => undefined,
    dispose: () => undefined,
  };
}

/** Process CPU time in ms (user + system): our single-threaded work, whatever else loads the machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Loss alone (forward + backward w.r.t. the inputs it uses), CPU ms, median of `reps`. */
function lossOnlyMs(criterion: TrainingCriterion, usesProjections: boolean, labels: Int32Array, rng: Rng, reps: number): number {
  const logits = tf.randomNormal([2 * PER_VIEW, NUM_CLASSES], 0, 1, 'float32', rng.tfSeed()) as tf.Tensor2D;
  const projections = tf.randomNormal([2 * PER_VIEW, PROJECTION_DIM], 0, 1, 'float32', rng.tfSeed()) as tf.Tensor2D;
  const grad = usesProjections
    ? tf.grads((l: tf.Tensor, p: tf.Tensor) => criterion.loss({ logits: l as tf.Tensor2D, projections: p as tf.Tensor2D, labels }).total)
    : tf.grads((l: tf.Tensor) => criterion.loss({ logits: l as tf.Tensor2D, projections, labels }).total);
  const times: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const t0 = cpuMs();
    const g = grad(usesProjections ? [logits, projections] : [logits]);
    g.forEach((x) => x.dataSync());
    tf.dispose(g);
    criterion.afterStep();
    if (r > 0) times.push(cpuMs() - t0);
  }
  tf.dispose([logits, projections]);
  return median(times);
}

async function main(): Promise<number> {
  const backend = await selectBackend({ log: null });
  console.log(backend.line);
  const steps = envInt('RESCOM_BENCH_STEPS', 4, 1);
  const warmup = envInt('RESCOM_BENCH_WARMUP', 1, 0);
  const rng = new Rng(2024);
  const counts = cifar100LtCounts();
  const net = createResComModel({ backbone: 'resnet32', inputShape: [SIZE, SIZE, 3], numClasses: NUM_CLASSES, projectionDim: PROJECTION_DIM, rng: rng.fork() });
  const rescom = new ResComCriterion({
    method: 'rescom',
    numClasses: NUM_CLASSES,
    classCounts: counts,
    projectionDim: PROJECTION_DIM,
    queuePerClass: 10,
    selectNumPos: 1,
    selectNumNeg: 400,
    temperature: 0.2,
    conWeight: 0.5,
    effectiveNumBeta: 0.999999,
    rng: rng.fork(),
  });
  const ce = crossEntropyCriterion();
  const batch = randomBatch(rng.fork(), counts);
  const runs = [
    { name: 'ce', criterion: ce, optimizer: new SgdWithWeightDecay({ lr: 0.01, momentum: 0.9, weightDecay: 5e-4 }), cpu: [] as number[], wall: [] as number[] },
    { name: 'rescom', criterion: rescom as unknown as TrainingCriterion, optimizer: new SgdWithWeightDecay({ lr: 0.01, momentum: 0.9, weightDecay: 5e-4 }), cpu: [] as number[], wall: [] as number[] },
  ];
  console.log(`ResNet-32, 2 views x ${PER_VIEW} images 32x32x3, C = ${NUM_CLASSES}, K = 10, Q_p = 1, Q_n = 400; ${warmup} warm-up + ${steps} measured steps per method, alternating`);
  const tensorCounts: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    for (const run of runs) {
      const wall0 = performance.now();
      const cpu0 = cpuMs();
      const losses = await trainStep({ model: net.model, criterion: run.criterion, optimizer: run.optimizer, batch, twoViews: true, where: `bench step ${i}` });
      const cpu = cpuMs() - cpu0;
      const wall = performance.now() - wall0;
      const measured = i >= warmup;
      if (measured) {
        run.cpu.push(cpu);
        run.wall.push(wall);
      }
      console.log(
        `  ${measured ? 'step' : 'warm-up'} ${i} ${run.name.padEnd(6)} cpu ${(cpu / 1000).toFixed(2)} s, wall ${(wall / 1000).toFixed(2)} s  (cls ${losses.cls.toFixed(3)}, con ${losses.con.toFixed(3)})`,
      );
    }
    tensorCounts.push(tf.memory().numTensors);
  }
  const ceMs = median(runs[0].cpu);
  const rescomMs = median(runs[1].cpu);
  const ceWall = median(runs[0].wall);
  const rescomWall = median(runs[1].wall);
  const labels = siameseLabels(batch.labels);
  const rescomLossMs = lossOnlyMs(runs[1].criterion, true, labels, rng.fork(), 5);
  const ceLossMs = lossOnlyMs(ce, false, labels, rng.fork(), 5);
  const ratio = rescomMs / ceMs;
  console.log(`median step CPU time: CE ${(ceMs / 1000).toFixed(3)} s, ResCom ${(rescomMs / 1000).toFixed(3)} s, ratio ${ratio.toFixed(3)} (target <= 1.10)`);
  console.log(`median step wall time: CE ${(ceWall / 1000).toFixed(3)} s, ResCom ${(rescomWall / 1000).toFixed(3)} s, ratio ${(rescomWall / ceWall).toFixed(3)} (load from other processes shows here)`);
  // A low-noise cross-check: the CE step plus the loss-only difference (misses only the small
  // projection-head backward and the queue bookkeeping inside trainStep).
  const lossOverheadRatio = (ceMs + rescomLossMs - ceLossMs) / ceMs;
  console.log(`loss alone (forward + backward, no network, CPU): CE ${ceLossMs.toFixed(1)} ms, ResCom ${rescomLossMs.toFixed(1)} ms -> CE step + difference = ratio ${lossOverheadRatio.toFixed(3)}`);
  console.log(`tensors after each round: ${tensorCounts.join(' ')}${new Set(tensorCounts).size === 1 ? ' (flat)' : ' (NOT flat)'}`);
  rescom.dispose();
  runs.forEach((r) => r.optimizer.dispose?.());
  net.dispose();
  console.log(
    formatResultLine({
      rescom_over_ce: ratio,
      ce_step_s: ceMs / 1000,
      rescom_step_s: rescomMs / 1000,
      wall_ratio: rescomWall / ceWall,
      loss_overhead_ratio: lossOverheadRatio,
      rescom_loss_ms: rescomLossMs,
      ce_loss_ms: ceLossMs,
    }),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:loss: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
