/**
 * `ResComCriterion` for backends without synchronous read-back (webgpu in Node): the same loss, but
 * the queue's hard pairs are mined on the device (`mineHardPairsOnDevice`) and view 1 is enqueued as
 * a tensor, so a training step never calls `dataSync()` (which throws on webgpu in Node).
 *
 * Everything else (weights, queue, temperature, classifier) is the parent's. Checkpoints call the
 * synchronous `state()`, which reads the queue keys back: this class keeps a CPU mirror of the
 * queue instead, fed by asynchronous reads that complete while the training step awaits its loss
 * values (the GPU finishes work in submission order). If a read has not landed when it is needed,
 * the mirror is dropped and re-synchronised after the next enqueue; `state()` then falls back to the
 * parent's (which works on every backend except webgpu).
 *
 * (The natural home of this option is `ResComCriterion` itself, e.g. `mining: 'device'`; it lives here
 * until then, see issue 9's report.)
 */
import * as tf from '@tensorflow/tfjs';
import { checkShape, labelArray } from '../../losses/checks';
import { l2NormalizeRows, ResComCriterion, type CriterionInputs, type ResComCriterionOptions } from '../../losses/criterion';
import type { LabelsLike } from '../../losses/checks';
import type { ClassBalancedQueueState } from '../../contrast/class-balanced-queue';
import type { ResComCriterionState } from '../../losses/criterion';
import type { LossParts } from '../../losses/rescom';
import { mineHardPairsOnDevice } from './device-mining';

export class DeviceMiningResComCriterion extends ResComCriterion {
  private pendingKeys: tf.Tensor2D | null = null;
  private pendingLabels: Int32Array | null = null;
  /** Values of `pendingKeys` once their asynchronous read has landed. */
  private pendingValues: Float32Array | null = null;
  /** CPU copy of the queue keys `[C*K*d]`, or null while unknown. */
  private mirror: Float32Array | null = null;

  constructor(options: ResComCriterionOptions) {
    super(options);
    this.resyncMirror();
  }

  /** Starts reading the current queue keys into the mirror (ignored if the queue moves on first). */
  private resyncMirror(): void {
    const queue = this.queue;
    if (!queue) return;
    const keys = queue.keys();
    keys
      .data()
      .then((values) => {
        // keys() throws once the queue is disposed; the read is then moot.
        let current: tf.Tensor | null = null;
        try {
          current = queue.keys();
        } catch {
          return;
        }
        if (current === keys) this.mirror = Float32Array.from(values as Float32Array);
      })
      .catch(() => undefined);
  }

  override loss(inputs: CriterionInputs): LossParts {
    const queue = this.queue;
    if (!this.spec.contrastive || !queue) return super.loss(inputs);
    const fn = 'DeviceMiningResComCriterion.loss';
    const { logits, projections } = inputs;
    checkShape(fn, 'logits', logits, [null, this.numClasses]);
    const rows = logits.shape[0];
    const labels = labelArray(fn, inputs.labels, this.numClasses, rows);
    checkShape(fn, 'projections', projections, [rows, this.projectionDim]);
    if (rows % 2 !== 0) throw new Error(`${fn}: method '${this.method}' needs a two-view batch [2N, ...]; got ${rows} rows`);
    return tf.tidy(() => {
      const features = l2NormalizeRows(projections);
      const keys = queue.keys();
      const miner = this.miner;
      const keyMask = miner
        ? mineHardPairsOnDevice(features, keys, tf.tensor1d(labels, 'int32'), {
            numClasses: this.numClasses,
            perClass: queue.perClass,
            numPositives: miner.numPositives,
            numNegatives: miner.numNegatives,
          })
        : undefined;
      this.pendingKeys?.dispose();
      const pending = tf.keep(tf.slice(features, [0, 0], [rows / 2, this.projectionDim]));
      this.pendingKeys = pending;
      this.pendingLabels = labels.slice(0, rows / 2);
      this.pendingValues = null;
      pending
        .data()
        .then((values) => {
          if (this.pendingKeys === pending) this.pendingValues = Float32Array.from(values as Float32Array);
        })
        .catch(() => undefined);
      return this.lossFromFeatures(logits, features, labels, keyMask) as unknown as tf.TensorContainer;
    }) as unknown as LossParts;
  }

  override afterStep(inputs?: { projections: tf.Tensor2D; labels: LabelsLike }): void {
    const queue = this.queue;
    if (!queue) return;
    if (inputs || !this.pendingKeys) {
      if (inputs) {
        const rows = inputs.projections.shape[0];
        const labels = labelArray('DeviceMiningResComCriterion.afterStep', inputs.labels, this.numClasses, rows);
        const keys = tf.tidy(() => l2NormalizeRows(tf.slice(inputs.projections, [0, 0], [rows / 2, this.projectionDim])));
        queue.enqueue({ keys, labels: labels.slice(0, rows / 2) });
        keys.dispose();
      } else {
        super.afterStep();
      }
      this.mirror = null;
    } else {
      const pointers = queue.pointers();
      const labels = this.pendingLabels!;
      queue.enqueue({ keys: this.pendingKeys, labels });
      if (this.mirror && this.pendingValues) {
        // The queue's ring order (class-balanced-queue.ts): row i goes to slot c*K + pointer[c].
        const d = this.projectionDim;
        for (let i = 0; i < labels.length; i++) {
          const c = labels[i];
          this.mirror.set(this.pendingValues.subarray(i * d, (i + 1) * d), (c * queue.perClass + pointers[c]) * d);
          pointers[c] = (pointers[c] + 1) % queue.perClass;
        }
      } else {
        this.mirror = null;
      }
      this.pendingKeys.dispose();
      this.pendingKeys = null;
      this.pendingLabels = null;
      this.pendingValues = null;
    }
    if (!this.mirror) this.resyncMirror();
  }

  /** The parent's state, built from the CPU mirror when it is current (no synchronous read-back). */
  override state(): ResComCriterionState {
    const queue = this.queue;
    if (!queue || !this.mirror) return super.state();
    const d = this.projectionDim;
    const keys: number[][] = [];
    for (let r = 0; r < queue.size; r++) keys.push(Array.from(this.mirror.subarray(r * d, (r + 1) * d)));
    const state: ClassBalancedQueueState = { numClasses: queue.numClasses, perClass: queue.perClass, dim: queue.dim, keys, pointers: Array.from(queue.pointers()) };
    return { method: this.method, queue: state };
  }

  override restore(state: ResComCriterionState): void {
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
    super.restore(state);
    this.mirror = state.queue ? Float32Array.from(state.queue.keys.flat()) : null;
  }

  override dispose(): void {
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
    super.dispose();
  }
}
