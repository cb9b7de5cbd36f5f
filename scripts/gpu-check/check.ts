/**
 * The GPU check's Node part (bundled by pack.sh into .device/gpu-check/lib/check.js, run by run.sh):
 *   1. selects the webgpu backend and prints the backend line (adapter: vendor, description, fallback);
 *   2. times the ResNet-32 two-view ResCom training step (CIFAR-100-LT shapes: 2 x N images of
 *      32x32x3, 100 classes, queue K = 10, Q_n = 400) with the library's model, criterion, SGD and
 *      trainStep, and prints images/s (both views counted, as the wasm figures in docs/wasm-training.md);
 *   3. trains ResCom on the embedded Fashion-MNIST-LT sample with the library's trainer for a few
 *      epochs and shows the mean loss of the first and last epoch (it must fall);
 *   4. ends with `RESULT webgpu_img_s=... fmnist_loss_first=... fmnist_loss_last=... loss_falls=yes|no`.
 *
 * Options: --quick (tiny sizes, for a CPU Vulkan driver), --batch N (per view, default 64),
 * --steps N (timed steps, default 10), --epochs N (default 6), --run-dir DIR, --data DIR (the
 * embedded Fashion-MNIST-LT folder; default ../data/fashion-mnist-lt beside the bundle when present,
 * else the library's own data/ folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select';
import { releaseWebGpu } from '../../src/backend/webgpu';
import { formatResultLine } from '../../src/bench/result-line';
import { ResComCriterion } from '../../src/losses/criterion';
import { FASHION_MNIST_LT } from '../../src/configs/fashion-mnist-lt';
import { longTailedClassCounts } from '../../src/data/imbalance';
import { selectImages } from '../../src/data/image-set';
import type { ImageSet, ImageSource, TwoViewBatch } from '../../src/data/types';
import { createResComModel } from '../../src/models/rescom-network';
import { prepareTrainingData } from '../../src/train/data-for-config';
import { SgdWithWeightDecay } from '../../src/train/sgd';
import { trainStep } from '../../src/train/train-step';
import { train } from '../../src/train/trainer';
import { Rng } from '../../src/util/rng';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    batch: { type: 'string' },
    steps: { type: 'string' },
    epochs: { type: 'string' },
    'run-dir': { type: 'string' },
    data: { type: 'string' },
  },
});
const quick = Boolean(args.quick);
const perView = positiveInt('--batch', args.batch ?? (quick ? '4' : '64'));
const timedSteps = positiveInt('--steps', args.steps ?? (quick ? '1' : '10'));
const epochs = positiveInt('--epochs', args.epochs ?? (quick ? '2' : '6'));

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`gpu-check: ${name} must be a positive integer; got '${text}'`);
  return n;
}

async function main(): Promise<void> {
  console.log(
    `gpu-check: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}${quick ? ', --quick' : ''}`,
  );
  // Forced webgpu (a fallback adapter is accepted and reported as such).
  process.env.RESCOM_BACKEND = 'webgpu';
  const backend = await selectBackend({ backend: 'webgpu' });
  if (backend.name !== 'webgpu') throw new Error(`gpu-check: expected the webgpu backend; got ${backend.name}`);

  const imgPerSec = await timeResNet32Step();
  const losses = await shortFashionMnistTraining();
  const falls = losses.last < losses.first;
  console.log(
    `fashion-mnist-lt: mean loss of epoch 1 ${losses.first.toFixed(4)} -> epoch ${epochs} ${losses.last.toFixed(4)}: ${falls ? 'falls' : 'DOES NOT FALL'}`,
  );
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
  console.log(
    formatResultLine({
      webgpu_img_s: imgPerSec,
      fmnist_loss_first: losses.first,
      fmnist_loss_last: losses.last,
      loss_falls: falls ? 'yes' : 'no',
    }),
  );
}

/** The ResNet-32 two-view ResCom step, CIFAR-100-LT IF 100 shapes, random pixels (the data path is not timed). */
async function timeResNet32Step(): Promise<number> {
  const rng = new Rng(2203);
  const numClasses = 100;
  const size = 32;
  const network = createResComModel({
    backbone: 'resnet32',
    inputShape: [size, size, 3],
    numClasses,
    projectionDim: 32,
    rng: rng.fork(),
  });
  // webgpu cannot read tensors back synchronously in Node: mining runs on the device.
  const criterion = new ResComCriterion({
    mining: 'device',
    numClasses,
    classCounts: longTailedClassCounts({ profile: 'exp', numClasses, nMax: 500, imbalanceFactor: 100 }),
    projectionDim: 32,
    queuePerClass: 10,
    selectNumPos: 1,
    selectNumNeg: 400,
    temperature: 0.2,
    conWeight: 0.5,
    rng: rng.fork(),
  });
  const optimizer = new SgdWithWeightDecay({ lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
  const values = size * size * 3 * perView;
  const batch = (): TwoViewBatch => {
    const view1 = new Float32Array(values);
    const view2 = new Float32Array(values);
    for (let i = 0; i < values; i++) {
      view1[i] = rng.normal();
      view2[i] = rng.normal();
    }
    const labels = new Int32Array(perView).map(() => rng.int(numClasses));
    return { view1, view2, labels, shape: [perView, size, size, 3] };
  };
  const step = (b: TwoViewBatch, where: string) =>
    trainStep({ model: network.model, criterion, optimizer, batch: b, twoViews: true, where });
  try {
    const warmup = quick ? 1 : 3;
    const warmStart = Date.now();
    for (let i = 0; i < warmup; i++) await step(batch(), `warm-up step ${i + 1}`);
    console.log(
      `resnet32 two-view step: ${warmup} warm-up steps took ${((Date.now() - warmStart) / 1000).toFixed(1)} s (shader compilation included)`,
    );
    const batches = Array.from({ length: timedSteps }, batch);
    const tensorsBefore = tf.memory().numTensors;
    const started = process.hrtime.bigint();
    let last = 0;
    for (let i = 0; i < timedSteps; i++) last = (await step(batches[i], `timed step ${i + 1}`)).total;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perStep = seconds / timedSteps;
    const imgPerSec = (2 * perView) / perStep;
    console.log(
      `resnet32 two-view step: 2 x ${perView} images of 32x32x3, ${timedSteps} timed steps, ${perStep.toFixed(3)} s/step, ` +
        `${imgPerSec.toFixed(1)} img/s (loss ${last.toFixed(3)}, tensors ${tensorsBefore} -> ${tf.memory().numTensors})`,
    );
    return imgPerSec;
  } finally {
    criterion.dispose();
    optimizer.dispose();
    network.dispose();
  }
}

/** ResCom on the embedded Fashion-MNIST-LT (ResNet-8, 28x28x1) with the library's trainer (on webgpu its default criterion mines on the device). */
async function shortFashionMnistTraining(): Promise<{ first: number; last: number }> {
  const packed = path.resolve(__dirname, '..', 'data', 'fashion-mnist-lt');
  const dataDir = args.data ?? (fs.existsSync(path.join(packed, 'manifest.json')) ? packed : '');
  const config = {
    ...FASHION_MNIST_LT,
    dataDir,
    epochs,
    warmupEpochs: Math.min(1, epochs - 1),
    batchSize: quick ? 16 : FASHION_MNIST_LT.batchSize,
  };
  const data = await prepareTrainingData(config, { log: (line) => console.log(`data: ${line}`) });
  if (quick) {
    // A CPU Vulkan driver takes seconds per step: up to 8 training and 2 evaluation images per class.
    const perClass = (source: ImageSource, most: number) => {
      const set = source as ImageSet; // Fashion-MNIST-LT is held in memory
      const taken = new Array<number>(set.numClasses).fill(0);
      return selectImages(
        set,
        Array.from(set.labels.keys()).filter((i) => taken[set.labels[i]]++ < most),
      );
    };
    data.train = perClass(data.train, 8);
    data.classCounts = data.classCounts.map((_, c) => data.train.labels.filter((l) => l === c).length);
    data.val = data.val && perClass(data.val, 2);
    data.test = data.test && perClass(data.test, 2);
  }
  console.log(
    `fashion-mnist-lt: ${data.train.labels.length} training images, classes ${data.classCounts.join('/')}, ${config.backbone}, batch ${config.batchSize} x 2 views, ${epochs} epochs`,
  );
  const runDir = args['run-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gpu-check-run-'));
  const perEpoch: number[][] = [];
  const started = Date.now();
  await train({
    config,
    data,
    runDir,
    progress: null,
    log: (line) => console.log(`train: ${line}`),
    onStep: ({ epoch, losses }) => {
      (perEpoch[epoch] ??= []).push(losses.total);
    },
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const done = perEpoch.filter((e) => e && e.length > 0);
  console.log(
    `fashion-mnist-lt: ${done.length} epochs in ${((Date.now() - started) / 1000).toFixed(1)} s; mean loss per epoch ${done.map((e) => mean(e).toFixed(3)).join(' ')}`,
  );
  return { first: mean(done[0]), last: mean(done[done.length - 1]) };
}

main()
  .then(() => {
    releaseWebGpu();
    // Dawn exits cleanly on its own (measured), but a GPU driver's threads must not hold the check.
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(`gpu-check: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
