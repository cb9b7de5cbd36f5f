/**
 * One whole ResCom training step of the library (src/train/train-step.ts: forward of both views,
 * Siamese Balanced Softmax, class-balanced SupCon over the batch and the mined queue, backward, SGD
 * with momentum and weight decay, BatchNorm running statistics, queue update) against the project's
 * PyTorch port (bench/pytorch/models.py, bench/pytorch/protocol.py ResComLoss, torch.optim.SGD),
 * from identical weights, momentum buffers, BatchNorm statistics, batch and queue; then 12 steps.
 * The fixture is written by test/fixtures/whole-step/make.py (see its docstring; PyTorch is not
 * needed here). Measured maxima are printed with `npx ava test/train/whole-step.test.ts --verbose`.
 */
import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import type { TwoViewBatch } from '../../src/data/types';
import { ResComCriterion } from '../../src/losses';
import { createResComModel, type ResComNetwork } from '../../src/models';
import { SgdWithWeightDecay } from '../../src/train/sgd';
import { trainStep } from '../../src/train/train-step';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { relativeError } from '../helpers/relative-error';
import { batchView, decode, loadWholeStepFixture, specValues, type Losses } from '../helpers/whole-step-fixture';

const fx = loadWholeStepFixture();
const c = fx.config;

test.before(async () => {
  await useTestBackend();
});

interface Setup {
  net: ResComNetwork;
  criterion: ResComCriterion;
  optimizer: SgdWithWeightDecay;
  dispose(): void;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The fixture's mid-training state: every weight and running statistic, the momentum buffers and the queue. */
async function setUp(lr: number): Promise<Setup> {
  const net = createResComModel({
    backbone: c.backbone,
    inputShape: [c.height, c.width, c.channels],
    numClasses: c.num_classes,
    projectionDim: c.projection_dim,
    rng: new Rng(0),
  });
  const specs = new Map(fx.parameters.map((p) => [p.tfjs, p]));
  const specOf = (name: string) => {
    const spec = specs.get(name);
    if (!spec) throw new Error(`whole-step fixture: no parameter for the model's weight ${name}`);
    return spec;
  };
  const values = net.model.weights.map((w) => {
    const spec = specOf(w.originalName);
    if (spec.shape.join('x') !== w.shape.join('x'))
      throw new Error(`whole-step fixture: ${w.originalName} is [${spec.shape}] there, [${w.shape}] here`);
    return tf.tensor(specValues(spec.value, size(spec.shape)), spec.shape);
  });
  net.model.setWeights(values);
  tf.dispose(values);
  const criterion = new ResComCriterion({
    method: 'rescom',
    numClasses: c.num_classes,
    classCounts: c.class_counts,
    projectionDim: c.projection_dim,
    queuePerClass: c.queue_per_class,
    selectNumPos: c.select_num_pos,
    selectNumNeg: c.select_num_neg,
    temperature: c.temperature,
    conWeight: c.con_weight,
    effectiveNumBeta: c.effective_num_beta,
    rng: new Rng(0),
  });
  const keys = rows(decode(fx.queue), c.projection_dim);
  const queue = {
    numClasses: c.num_classes,
    perClass: c.queue_per_class,
    dim: c.projection_dim,
    keys,
    pointers: fx.queue_ptr,
  };
  criterion.restore({ method: 'rescom', queue });
  const optimizer = new SgdWithWeightDecay({ lr, momentum: c.momentum, weightDecay: c.weight_decay });
  const buffers = net.model.trainableWeights.map((w) => {
    const spec = specOf(w.originalName);
    return tf.tensor(specValues(spec.buffer!, size(spec.shape)), spec.shape);
  });
  await optimizer.restore({ iterations: 0, buffers });
  tf.dispose(buffers);
  return {
    net,
    criterion,
    optimizer,
    dispose: () => {
      net.dispose();
      criterion.dispose();
      optimizer.dispose();
    },
  };
}

function rows(flat: Float32Array, dim: number): number[][] {
  return Array.from({ length: flat.length / dim }, (_, r) => Array.from(flat.subarray(r * dim, (r + 1) * dim)));
}

function batch(step: number): TwoViewBatch {
  const labels = fx.labels[step];
  return {
    view1: batchView(fx, step, 0),
    view2: batchView(fx, step, 1),
    labels: Int32Array.from(labels),
    shape: [labels.length, c.height, c.width, c.channels],
  };
}

const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

function weightValues(net: ResComNetwork): Map<string, Float32Array> {
  return new Map(net.model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

const isHead = (name: string) => name.startsWith('head_') || name.startsWith('classifier/');

test('the hashed inputs are the ones make.py used (weights, buffers, images)', (t) => {
  for (const p of fx.parameters) {
    const sum = specValues(p.value, size(p.shape)).reduce((a, v) => a + v, 0);
    t.true(Math.abs(sum - fx.expected.input_sums[p.tfjs]) <= 1e-9 * size(p.shape), `${p.tfjs}: sum ${sum}`);
  }
  ([0, 1] as const).forEach((view) => {
    const sum = batchView(fx, 0, view).reduce((a, v) => a + v, 0);
    t.true(Math.abs(sum - fx.expected.image_sums[view]) < 1e-6, `view ${view + 1}: sum ${sum}`);
  });
});

test.serial(
  'one whole ResCom step matches the PyTorch port: losses, gradients, SGD update, BN statistics, queue',
  async (t) => {
    const before = tf.memory().numTensors;
    const setup = await setUp(c.lr);
    const { net, criterion, optimizer } = setup;
    const weightsBefore = weightValues(net);
    const names = new Map(net.model.trainableWeights.map((w) => [w.read() as tf.Variable, w.originalName]));
    const gradients = new Map<string, Float32Array>();
    const losses = await trainStep({
      model: net.model,
      criterion,
      optimizer,
      batch: batch(0),
      twoViews: true,
      inspectGradients: (variables, grads) =>
        variables.forEach((v, i) => gradients.set(names.get(v)!, grads[i].dataSync() as Float32Array)),
    });
    const e = fx.expected;
    checkLosses(t, losses, e.losses32, e.losses64);
    t.is(gradients.size, net.model.trainableWeights.length, 'every trainable weight got a gradient and an update');
    checkGradients(t, gradients);

    const after = weightValues(net);
    let worstUpdate = { head: 0, backbone: 0 };
    for (const [name, stored] of Object.entries(e.updates32)) {
      const update = after.get(name)!.map((v, i) => v - weightsBefore.get(name)![i]);
      const err = relativeError(update, decode(stored));
      const part = isHead(name) ? 'head' : 'backbone';
      worstUpdate = { ...worstUpdate, [part]: Math.max(worstUpdate[part], err) };
      t.true(err <= gradientBound(name), `${name}: update (w_after - w_before) relative error ${err.toExponential(2)}`);
    }
    // Running statistics: their values, and their change in this step (0.1 x (batch statistic - running)),
    // which a wrong momentum or a biased variance moves by percents while the values move by 1e-5.
    let worstRunning = 0;
    for (const [name, stored] of Object.entries(e.running32)) {
      const want = decode(stored);
      const err = relativeError(after.get(name)!, want);
      const old = weightsBefore.get(name)!;
      const change = relativeError(
        after.get(name)!.map((v, i) => v - old[i]),
        want.map((v, i) => v - old[i]),
      );
      worstRunning = Math.max(worstRunning, err, change);
      t.true(
        err <= 1e-4 && change <= 1e-4,
        `${name}: relative error ${err.toExponential(2)}, of the change ${change.toExponential(2)}`,
      );
    }
    const queue = criterion.state().queue!;
    const wantQueue = decode(e.queue32);
    const queueDiff = queue.keys.flat().reduce((m, v, i) => Math.max(m, Math.abs(v - wantQueue[i])), 0);
    t.true(queueDiff <= 1e-4, `queue after the step differs by ${queueDiff}`);
    t.deepEqual(queue.pointers, e.queue_ptr, 'queue pointers after the step');
    t.log(
      `updates (w_after - w_before): heads ${worstUpdate.head.toExponential(2)}, backbone ${worstUpdate.backbone.toExponential(2)}; BN running statistics ${worstRunning.toExponential(2)}, queue ${queueDiff.toExponential(2)} (max abs)`,
    );
    setup.dispose();
    t.is(tf.memory().numTensors, before, 'no tensor leaks');
  },
);

function checkLosses(t: ExecutionContext, got: Losses, want32: Losses, want64: Losses): void {
  const worst = { f32: 0, f64: 0 };
  for (const part of ['cls', 'con', 'total'] as const) {
    const e32 = relative(got[part], want32[part]);
    const e64 = relative(got[part], want64[part]);
    worst.f32 = Math.max(worst.f32, e32);
    worst.f64 = Math.max(worst.f64, e64);
    t.true(e32 <= 1e-5 && e64 <= 1e-5, `${part}: ${got[part]} vs PyTorch ${want32[part]} (float64 ${want64[part]})`);
  }
  t.log(`losses: relative ${worst.f32.toExponential(2)} vs float32 PyTorch, ${worst.f64.toExponential(2)} vs float64`);
}

/**
 * Bound on a weight's gradient error, max |g - g64| / max |g64| against PyTorch's float64 step.
 * Classifier and projection head: 1e-4 (issue #23). Backbone: float32 arithmetic alone moves these
 * gradients, by an amount measured on both sides (make.py prints PyTorch's; the fixture stores it
 * as `conditioning`): PyTorch float32 vs float64 is 5e-6 to 3e-5 from stage 1's second conv up, but
 * 1e-4 to 2.1e-3 at the stem and stage 1's first conv and BatchNorm (the same with its oneDNN off); this
 * library's float32 step is 5.6e-6 to 1.24e-5 from float64 on every weight, wasm kernels with or
 * without the oneDNN addon (measured once against a float32 copy of the reference; 2.5e-5 against
 * the stored int16 one, whose rounding is up to 1.5e-5). The bound is 10x PyTorch's own float32
 * error for that weight, and never below 1e-4 (4x this library's worst): any float32 step as good as
 * PyTorch's passes, a wrong formula (errors of percents) does not.
 */
function gradientBound(name: string): number {
  if (isHead(name)) return 1e-4;
  return Math.max(10 * fx.expected.conditioning[name], 1e-4);
}

function checkGradients(t: ExecutionContext, gradients: Map<string, Float32Array>): void {
  const e = fx.expected;
  const largestHead = Math.max(
    ...Object.keys(e.grads32).map((n) => decode(e.grads64[n]).reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
  );
  const lines: string[] = [];
  for (const [name, got] of gradients) {
    const want64 = decode(e.grads64[name]);
    if (name === 'head_fc1/bias') {
      // A bias feeding BatchNorm has a true gradient of exactly 0 (BatchNorm subtracts the mean):
      // every side returns rounding noise, so it is checked to be ~0.
      const largest = got.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      t.true(largest <= 1e-5 * largestHead, `${name}: ${largest} should be ~0`);
      continue;
    }
    const err64 = relativeError(got, want64);
    const err32 = isHead(name) ? relativeError(got, decode(e.grads32[name])) : NaN;
    const bound = gradientBound(name);
    t.true(err64 <= bound, `${name}: gradient error ${err64.toExponential(2)} vs float64 PyTorch (bound ${bound})`);
    if (isHead(name)) t.true(err32 <= 1e-4, `${name}: gradient error ${err32.toExponential(2)} vs float32 PyTorch`);
    lines.push(
      `${name.padEnd(30)} vs float64 ${err64.toExponential(2)}  (PyTorch float32 ${e.conditioning[name].toExponential(2)}${isHead(name) ? `; vs float32 PyTorch ${err32.toExponential(2)}` : ''})`,
    );
  }
  t.log(`gradients (max |g - ref| / max |ref|):\n${lines.join('\n')}`);
}

test.serial(`${c.run_steps} steps at lr ${c.run_lr} track the PyTorch port within 2% in loss`, async (t) => {
  const before = tf.memory().numTensors;
  const setup = await setUp(c.run_lr);
  const got: number[] = [];
  for (let step = 0; step < c.run_steps; step++) {
    const losses = await trainStep({ ...setup, model: setup.net.model, batch: batch(step), twoViews: true });
    got.push(losses.total);
  }
  setup.dispose();
  t.is(tf.memory().numTensors, before, 'no tensor leaks');
  const errors = got.map((v, s) => relative(v, fx.expected.run_losses32[s]));
  errors.forEach((err, s) =>
    t.true(
      err <= 0.02,
      `step ${s}: loss ${got[s]} vs PyTorch ${fx.expected.run_losses32[s]} (${(100 * err).toFixed(3)}%)`,
    ),
  );
  const drift64 = got.map((v, s) => relative(v, fx.expected.run_losses64[s]));
  t.log(
    `worst relative loss difference over ${c.run_steps} steps: ${Math.max(...errors).toExponential(2)} vs float32 PyTorch, ${Math.max(...drift64).toExponential(2)} vs float64`,
  );
});
