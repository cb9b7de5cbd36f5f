/**
 * Tiny stand-ins for the trainer tests: 4x4x1 images of 3 classes whose class shows in the pixels
 * (so a few steps make progress), a flip "augmentation" drawn from the passed Rng, and a dense
 * network with the ResCom model's three outputs [features, logits, projections].
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet, TwoViewBatch } from '../../src/data/types';
import type { ModelFactoryOptions, TrainingData } from '../../src/train';
import { Rng } from '../../src/util/rng';

export function tinySet(options: { counts: number[]; seed: number }): ImageSet {
  const rng = new Rng(options.seed);
  const n = options.counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(n * 16);
  const labels = new Int32Array(n);
  let i = 0;
  options.counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let p = 0; p < 16; p++) pixels[i * 16 + p] = Math.min(255, rng.int(60) + (p % 3 === c ? 150 : 0));
    }
  });
  return { pixels, labels, height: 4, width: 4, channels: 1, numClasses: options.counts.length };
}

function toFloat(set: ImageSet, indices: ArrayLike<number>, flip: boolean[] | null): Float32Array {
  const out = new Float32Array(indices.length * 16);
  for (let b = 0; b < indices.length; b++) {
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const sx = flip && flip[b] ? 3 - x : x;
        out[b * 16 + y * 4 + x] = set.pixels[indices[b] * 16 + y * 4 + sx] / 255 - 0.5;
      }
    }
  }
  return out;
}

export function tinyData(options: { train?: number[]; val?: number[]; test?: number[] } = {}): TrainingData {
  const trainCounts = options.train ?? [12, 6, 3];
  const train = tinySet({ counts: trainCounts, seed: 1 });
  return {
    train,
    val: tinySet({ counts: options.val ?? [2, 2, 2], seed: 2 }),
    test: tinySet({ counts: options.test ?? [3, 3, 3], seed: 3 }),
    classCounts: trainCounts,
    epochBatches({ set: source, batchSize, twoViews, rng, startBatch = 0 }): Iterable<TwoViewBatch> {
      // All draws happen here, eagerly, so that startBatch (resume mid-epoch) sees the same batches.
      const set = source as ImageSet;
      const order = rng.permutation(set.labels.length);
      const flips = Array.from(order, () => [rng.bernoulli(0.5), rng.bernoulli(0.5)]);
      const batches: TwoViewBatch[] = [];
      for (let start = startBatch * batchSize; start + batchSize <= order.length; start += batchSize) {
        const idx = order.subarray(start, start + batchSize);
        batches.push({
          view1: toFloat(
            set,
            idx,
            flips.slice(start, start + batchSize).map((f) => f[0]),
          ),
          view2: twoViews
            ? toFloat(
                set,
                idx,
                flips.slice(start, start + batchSize).map((f) => f[1]),
              )
            : new Float32Array(0),
          labels: Int32Array.from(idx, (j) => set.labels[j]),
          shape: [batchSize, 4, 4, 1],
        });
      }
      return batches;
    },
    evalImages(source) {
      const set = source as ImageSet;
      const n = set.labels.length;
      return {
        data: toFloat(
          set,
          Int32Array.from({ length: n }, (_, i) => i),
          null,
        ),
        shape: [n, 4, 4, 1],
      };
    },
  };
}

/** Dense stand-in for the ResCom network: flatten -> dense(8, relu) = features -> logits, projections. */
export function tinyModelFactory(o: ModelFactoryOptions): { model: tf.LayersModel; dispose(): void } {
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: o.rng.tfSeed() });
  const input = tf.input({ shape: o.inputShape });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const features = tf.layers
    .dense({ units: 8, activation: 'relu', kernelInitializer: init() })
    .apply(flat) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: o.numClasses, kernelInitializer: init() })
    .apply(features) as tf.SymbolicTensor;
  const projections = tf.layers
    .dense({ units: o.config.projectionDim, kernelInitializer: init() })
    .apply(features) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: [features, logits, projections] });
  return { model, dispose: () => model.dispose() };
}
