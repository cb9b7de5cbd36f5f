/**
 * `ResComCriterion`: what the trainer holds for any method in `METHODS`. It owns the class-balanced
 * queue and the miner, turns raw model outputs into { cls, con, total }, and enqueues view 1 after
 * each step. Usage inside one training step:
 *
 *   const cost = optimizer.minimize(() => {
 *     const [features, logits, projections] = model.apply(images, { training: true });
 *     const parts = criterion.loss({ logits, projections, labels });   // pure, synchronous
 *     return parts.total;                                               // (tf.keep cls/con to log them)
 *   }, true);
 *   criterion.afterStep();   // enqueues the view-1 rows of that loss call (values only)
 *
 * Mining (`mining: 'host'`, the default) reads the normalised projections back (dataSync) and builds
 * a constant 0/1 mask, so no op without a gradient (sorting) ever sits on the tape. Backends that
 * cannot read tensors back synchronously (WebGPU in Node) use `mining: 'device'`: the same mask is
 * computed on the device (`HardPairMiner.mineOnDevice`), view 1 is enqueued as a tensor, and
 * `state()` reads the queue from a CPU copy fed asynchronously (`QueueMirror`). The loss, the queue
 * and the checkpoint state are the same either way.
 */
import * as tf from '@tensorflow/tfjs';
import { ClassBalancedQueue, type ClassBalancedQueueState } from '../contrast/class-balanced-queue';
import { effectiveNumberWeights } from '../contrast/effective-number';
import { HardPairMiner } from '../contrast/hard-pair-miner';
import { QueueMirror } from '../contrast/queue-mirror';
import type { Rng } from '../util/rng';
import { checkInteger, checkNumber, checkShape, classCountArray, labelArray, type LabelsLike } from './checks';
import { classifierLoss } from './classifier-loss';
import { methodSpec, type MethodName, type MethodSpec } from './methods';
import { resComLoss, type LossParts } from './rescom';

export interface ResComCriterionOptions {
  /** Method name (see `METHODS`); default `rescom`. */
  method?: MethodName;
  /** Number of classes C. */
  numClasses: number;
  /** Training images per class `[C]`: Balanced Softmax prior and effective-number weights. */
  classCounts: ArrayLike<number>;
  /** Projection dimension d (queue key size). */
  projectionDim: number;
  /** Queue keys per class K; default 10 (ResCom CIFAR). */
  queuePerClass?: number;
  /** Q_p hard positives per anchor; default 1. Must be <= K. */
  selectNumPos?: number;
  /** Q_n hard negatives per anchor; default min(400, K*(C-1)). Must be <= K*(C-1). */
  selectNumNeg?: number;
  /** Contrastive temperature tau; default 0.2. */
  temperature?: number;
  /** lambda, weight of the contrastive loss; default 0.5. */
  conWeight?: number;
  /** Effective-number beta for the anchor weights; default 0.999999 (CIFAR; ImageNet-LT: 0.99). */
  effectiveNumBeta?: number;
  /** Seeds the queue's random initial keys. */
  rng: Rng;
  /** `ldam-drw`: the first epoch (0-based) with deferred re-weighting; default 160 (Cao et al.'s 160 of 200). */
  drwStartEpoch?: number;
  /**
   * Where hard pairs are mined: `host` (default) on values read back, `device` on the device without
   * any synchronous read-back (for WebGPU in Node). Same loss, queue and state either way.
   */
  mining?: 'host' | 'device';
}

/** Inputs of one loss call. */
export interface CriterionInputs {
  /** Classifier logits `[B, C]`. Two-view methods: B = 2N, rows 0..N-1 view 1, N..2N-1 view 2. */
  logits: tf.Tensor2D;
  /** Raw (un-normalised) projections `[B, d]`; the criterion L2-normalises them. */
  projections: tf.Tensor2D;
  /** Labels `[B]` (for two views: the N labels twice; see `siameseLabels`). */
  labels: LabelsLike;
}

/** JSON-serialisable criterion state for checkpoints. */
export type ResComCriterionState = {
  method: MethodName;
  queue: ClassBalancedQueueState | null;
};

/** The N labels of a two-view batch repeated for its 2N rows. */
export function siameseLabels(labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length * 2);
  for (let i = 0; i < labels.length; i++) out[i] = out[i + labels.length] = labels[i];
  return out;
}

/** z = p / max(||p||, 1e-12), row-wise (PyTorch's F.normalize). `[B, d]`. */
export function l2NormalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-24))) as tf.Tensor2D);
}

export class ResComCriterion {
  readonly method: MethodName;
  readonly spec: MethodSpec;
  /** False for `ce` / `balsfx`: the trainer may feed view 1 only. */
  readonly usesSecondView: boolean;
  readonly numClasses: number;
  readonly projectionDim: number;
  readonly temperature: number;
  readonly conWeight: number;
  /** Anchor weights `[C]` in use (all 1 when the method has none). */
  readonly classWeights: number[];
  /** The class-balanced queue (null for methods without one). */
  readonly queue: ClassBalancedQueue | null;
  /** The miner (null for methods without mining). */
  readonly miner: HardPairMiner | null;
  private readonly classCounts: number[];
  private readonly drwStartEpoch: number;
  /** The epoch in progress (0-based; `startEpoch`), for schedules inside the loss (DRW). */
  private epoch = 0;
  /** Where mining runs (see the file comment). */
  readonly mining: 'host' | 'device';
  /** View 1 of the last loss call, to enqueue in `afterStep` (`values`: its values once known). */
  private pending: { keys: Float32Array | tf.Tensor2D; labels: Int32Array; values: Float32Array | null } | null = null;
  /** CPU copy of the queue for `state()` under device mining. */
  private readonly mirror: QueueMirror | null;

  constructor(options: ResComCriterionOptions) {
    const fn = 'ResComCriterion';
    this.spec = methodSpec(options.method ?? 'rescom');
    const mining = options.mining ?? 'host';
    if (mining !== 'host' && mining !== 'device')
      throw new Error(`${fn}: mining must be 'host' or 'device'; got '${String(mining)}'`);
    this.mining = mining;
    this.method = this.spec.name;
    this.usesSecondView = this.spec.usesSecondView;
    this.numClasses = checkInteger(fn, 'numClasses', options.numClasses, 1);
    this.classCounts = classCountArray(fn, options.classCounts, this.numClasses);
    this.projectionDim = checkInteger(fn, 'projectionDim', options.projectionDim, 1);
    this.temperature = checkNumber(fn, 'temperature', options.temperature ?? 0.2, (t) => t > 0, 'a number > 0');
    this.conWeight = checkNumber(fn, 'conWeight', options.conWeight ?? 0.5, (w) => w >= 0, 'a number >= 0');
    const beta = checkNumber(
      fn,
      'effectiveNumBeta',
      options.effectiveNumBeta ?? 0.999999,
      (b) => b >= 0 && b < 1,
      'a number in [0, 1)',
    );
    this.classWeights = this.spec.classWeights
      ? effectiveNumberWeights({ classCounts: this.classCounts, beta })
      : this.classCounts.map(() => 1);
    this.drwStartEpoch = checkInteger(fn, 'drwStartEpoch', options.drwStartEpoch ?? 160, 0);
    let miner: HardPairMiner | null = null;
    let queue: ClassBalancedQueue | null = null;
    if (this.spec.queue) {
      const perClass = checkInteger(fn, 'queuePerClass (K)', options.queuePerClass ?? 10, 1);
      if (this.spec.mining) {
        // Validate before allocating the queue, so a bad option leaves nothing to dispose.
        miner = new HardPairMiner({
          numClasses: this.numClasses,
          perClass,
          numPositives: options.selectNumPos ?? 1,
          numNegatives: options.selectNumNeg ?? Math.min(400, perClass * (this.numClasses - 1)),
        });
      }
      queue = new ClassBalancedQueue({
        numClasses: this.numClasses,
        perClass,
        dim: this.projectionDim,
        rng: options.rng,
      });
    }
    this.queue = queue;
    this.miner = miner;
    this.mirror = queue && mining === 'device' ? new QueueMirror(queue) : null;
  }

  /**
   * The method's loss, { cls, con, total } scalars (caller owns them). Pure apart from remembering
   * the view-1 rows for `afterStep()`; call it inside the optimizer's closure.
   */
  loss(inputs: CriterionInputs): LossParts {
    const fn = 'ResComCriterion.loss';
    const { logits, projections } = inputs;
    checkShape(fn, 'logits', logits, [null, this.numClasses]);
    const rows = logits.shape[0];
    const labels = labelArray(fn, inputs.labels, this.numClasses, rows);
    if (!this.spec.contrastive) {
      return tf.tidy(() => {
        const cls = classifierLoss(this.spec.classifier, {
          logits,
          labels,
          classCounts: this.classCounts,
          epoch: this.epoch,
          drwStartEpoch: this.drwStartEpoch,
        });
        return { cls, con: tf.scalar(0), total: cls.clone() };
      });
    }
    checkShape(fn, 'projections', projections, [rows, this.projectionDim]);
    if (rows % 2 !== 0)
      throw new Error(`${fn}: method '${this.method}' needs a two-view batch [2N, ...]; got ${rows} rows`);
    return tf.tidy(() => {
      const features = l2NormalizeRows(projections);
      const keyMask = this.queue ? this.rememberAndMine(features, labels, this.queue) : undefined;
      return resComLoss({
        logits,
        features,
        labels,
        classCounts: this.classCounts,
        temperature: this.temperature,
        conWeight: this.conWeight,
        classWeights: this.spec.classWeights ? this.classWeights : undefined,
        keys: this.queue?.keys(),
        keyLabels: this.queue?.keyLabels(),
        keyMask,
        classifierRows: this.spec.classifierRows === 'first-view' ? 'first-view' : 'both-views',
        balancedSoftmax: this.spec.classifier === 'balanced-softmax',
      }) as unknown as tf.TensorContainer;
    }) as unknown as LossParts;
  }

  /**
   * Remembers view 1 of `features [2N, d]` for `afterStep` and returns the mined key mask `[2N, C*K]`
   * (undefined without mining). Neither the queue update nor the mining ever sees the tape.
   */
  private rememberAndMine(
    features: tf.Tensor2D,
    labels: Int32Array,
    queue: ClassBalancedQueue,
  ): Float32Array | tf.Tensor2D | undefined {
    const n = labels.length / 2;
    this.dropPending();
    if (this.mining === 'host') {
      const values = features.dataSync() as Float32Array;
      this.pending = { keys: values.slice(0, n * this.projectionDim), labels: labels.slice(0, n), values: null };
      return this.miner?.mine({ anchors: values, labels, keys: queue.keys() }).keyMask;
    }
    const view1 = tf.keep(tf.slice(features, [0, 0], [n, this.projectionDim]));
    const pending = { keys: view1, labels: labels.slice(0, n), values: null as Float32Array | null };
    this.pending = pending;
    // Lands while the training step awaits its loss values; the mirror uses it in afterStep.
    view1
      .data()
      .then((values) => {
        if (this.pending === pending) pending.values = Float32Array.from(values as Float32Array);
      })
      .catch(() => undefined);
    return this.miner?.mineOnDevice({ anchors: features, labels, keys: queue.keys() });
  }

  /** Called by the trainer before each epoch (0-based); losses with a schedule (DRW) follow it. */
  startEpoch(epoch: number): void {
    this.epoch = checkInteger('ResComCriterion.startEpoch', 'epoch', epoch, 0);
  }

  /**
   * Enqueues view 1 of the last batch into the queue (no-op for methods without one).
   * Without arguments: the rows remembered by the last `loss` call (each used once).
   * With `{ projections [2N, d] (raw), labels [2N] }`: rows 0..N-1 of those.
   */
  afterStep(inputs?: { projections: tf.Tensor2D; labels: LabelsLike }): void {
    const fn = 'ResComCriterion.afterStep';
    if (!this.queue) return;
    let rows: { keys: Float32Array | tf.Tensor2D; labels: Int32Array; values: Float32Array | null };
    if (inputs) {
      checkShape(fn, 'projections', inputs.projections, [null, this.projectionDim]);
      const count = inputs.projections.shape[0];
      if (count % 2 !== 0)
        throw new Error(`${fn}: projections must be a two-view batch [2N, ${this.projectionDim}]; got ${count} rows`);
      const labels = labelArray(fn, inputs.labels, this.numClasses, count);
      const keys = tf.tidy(() =>
        l2NormalizeRows(tf.slice(inputs.projections, [0, 0], [count / 2, this.projectionDim])),
      );
      this.dropPending();
      rows = { keys, labels: labels.slice(0, count / 2), values: null };
    } else {
      if (!this.pending)
        throw new Error(`${fn}: nothing to enqueue: call loss() first (or pass { projections, labels })`);
      rows = this.pending;
      this.pending = null;
    }
    const slots = this.mirror ? this.queue.slotsFor(rows.labels) : null;
    try {
      this.queue.enqueue({ keys: rows.keys, labels: rows.labels });
    } finally {
      if (rows.keys instanceof tf.Tensor) rows.keys.dispose();
    }
    if (this.mirror && slots) this.mirror.written(slots, rows.values);
  }

  /** JSON-serialisable state (the queue's keys and pointers; under device mining from the CPU copy when current). */
  state(): ResComCriterionState {
    if (!this.queue) return { method: this.method, queue: null };
    return { method: this.method, queue: this.mirror?.state() ?? this.queue.state() };
  }

  /** Restores a state saved by a criterion of the same method and sizes. */
  restore(state: ResComCriterionState): void {
    const fn = 'ResComCriterion.restore';
    if (!state || state.method !== this.method)
      throw new Error(`${fn}: state must be for method '${this.method}'; got '${state?.method}'`);
    if (this.queue) {
      if (!state.queue)
        throw new Error(
          `${fn}: state.queue must be a queue state for method '${this.method}'; got ${String(state.queue)}`,
        );
      this.queue.restore(state.queue);
      this.mirror?.restored(state.queue);
    }
    this.dropPending();
  }

  dispose(): void {
    this.dropPending();
    this.queue?.dispose();
  }

  private dropPending(): void {
    if (this.pending?.keys instanceof tf.Tensor) this.pending.keys.dispose();
    this.pending = null;
  }
}
