/**
 * `ResComCriterion` for backends without synchronous read-back (webgpu in Node): the same loss, but
 * the queue's hard pairs are mined on the device (`mineHardPairsOnDevice`) and view 1 is enqueued as
 * a tensor, so a training step never calls `dataSync()` (which throws on webgpu in Node).
 *
 * Everything else (weights, queue, temperature, classifier) is the parent's. After each enqueue it
 * starts an asynchronous read of the queue keys, which the webgpu backend caches on the CPU, so that
 * a checkpoint's synchronous `state()` finds the values already there.
 *
 * (The natural home of this option is `ResComCriterion` itself, e.g. `mining: 'device'`; it lives here
 * until then, see issue 9's report.)
 */
import * as tf from '@tensorflow/tfjs';
import { checkShape, labelArray } from '../../losses/checks';
import { l2NormalizeRows, ResComCriterion, type CriterionInputs, type ResComCriterionOptions } from '../../losses/criterion';
import type { LabelsLike } from '../../losses/checks';
import { resComLoss, type LossParts } from '../../losses/rescom';
import { mineHardPairsOnDevice } from './device-mining';

export class DeviceMiningResComCriterion extends ResComCriterion {
  private readonly counts: number[];
  private pendingKeys: tf.Tensor2D | null = null;
  private pendingLabels: Int32Array | null = null;

  constructor(options: ResComCriterionOptions) {
    super(options);
    this.counts = Array.from(options.classCounts);
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
      this.pendingKeys = tf.keep(tf.slice(features, [0, 0], [rows / 2, this.projectionDim]));
      this.pendingLabels = labels.slice(0, rows / 2);
      return resComLoss({
        logits,
        features,
        labels,
        classCounts: this.counts,
        temperature: this.temperature,
        conWeight: this.conWeight,
        classWeights: this.spec.classWeights ? this.classWeights : undefined,
        keys,
        keyLabels: queue.keyLabels(),
        keyMask,
        classifierRows: this.spec.classifierRows === 'first-view' ? 'first-view' : 'both-views',
        balancedSoftmax: this.spec.classifier === 'balanced-softmax',
      }) as unknown as tf.TensorContainer;
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
    } else {
      queue.enqueue({ keys: this.pendingKeys, labels: this.pendingLabels! });
      this.pendingKeys.dispose();
      this.pendingKeys = null;
      this.pendingLabels = null;
    }
    // Cache the keys' values on the CPU (webgpu keeps them after an async read) for state().
    queue.keys().data().catch(() => undefined);
  }

  override restore(state: Parameters<ResComCriterion['restore']>[0]): void {
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
    super.restore(state);
  }

  override dispose(): void {
    this.pendingKeys?.dispose();
    this.pendingKeys = null;
    super.dispose();
  }
}
