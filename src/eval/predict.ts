/**
 * Run a classifier over a set of images in batches and collect its logits (and, when asked, its
 * backbone features) as plain arrays for the metrics.
 *
 * The ResCom model returns [features, logits, projections] (src/models); the logits are W f without
 * the Balanced Softmax prior, which is what ResCom predicts with at test time (paper Sec. 3.2:
 * argmax W f). A model with a single output is taken as returning logits.
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt, invalid } from './check';

/** Anything with a Keras-style `predict` (a tf.LayersModel, or the ResCom model). */
export interface PredictableModel {
  predict(x: tf.Tensor4D): tf.Tensor | tf.Tensor[];
}

export interface PredictOptions {
  /** Images per forward pass. Default 256. */
  batchSize?: number;
  /** Index of the logits among the model's outputs. Default 1 ([features, logits, projections]). */
  logitsOutput?: number;
  /** Index of the features among the outputs, or null to skip them. Default null. */
  featuresOutput?: number | null;
  /** Maps each raw batch (float32 [b, H, W, C]) to model input, e.g. normalisation. Default identity. */
  transform?: (batch: tf.Tensor4D) => tf.Tensor4D;
  /** Called after each batch with (images done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface Predictions {
  /** [N * numClasses] row-major logits. */
  logits: Float32Array;
  numClasses: number;
  /** [N * featureDim] row-major features, when featuresOutput was given. */
  features?: Float32Array;
  featureDim?: number;
  /** argmax of each row of logits [N]. */
  predictions: Int32Array;
}

/** Images as a tensor [N, H, W, C], or a flat float32 array with its shape. */
export type PredictImages = tf.Tensor4D | { data: Float32Array | Uint8Array; shape: [number, number, number, number] };

/**
 * predict(model, images [N, H, W, C], options) -> logits [N, C] (and features [N, d]).
 * Leaves no tensors behind (the input tensor, if one was given, stays owned by the caller).
 */
export async function predict(
  model: PredictableModel,
  images: PredictImages,
  options: PredictOptions = {},
): Promise<Predictions> {
  const fn = 'predict';
  if (!model || typeof model.predict !== 'function') invalid(fn, 'model', 'an object with a predict(x) method', model);
  const batchSize = checkPositiveInt(fn, 'options.batchSize', options.batchSize ?? 256);
  const logitsOutput = options.logitsOutput ?? 1;
  const featuresOutput = options.featuresOutput ?? null;
  const isTensor = images instanceof tf.Tensor;
  const shape = isTensor
    ? (images as tf.Tensor4D).shape
    : (images as { shape: [number, number, number, number] }).shape;
  if (!Array.isArray(shape) || shape.length !== 4)
    invalid(fn, 'images', 'a rank-4 [N, H, W, C] tensor or { data, shape: [N, H, W, C] }', shape);
  const [n, h, w, c] = shape;
  const perImage = h * w * c;
  if (!isTensor) {
    const data = (images as { data: ArrayLike<number> }).data;
    if (!data || data.length !== n * perImage)
      invalid(fn, 'images.data', `${n * perImage} values for shape [${shape.join(', ')}]`, data);
  }

  const logitChunks: Float32Array[] = [];
  const featureChunks: Float32Array[] = [];
  let numClasses = 0;
  let featureDim = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [logits, features] = tf.tidy(() => {
      let x: tf.Tensor4D = isTensor
        ? tf.slice(images as tf.Tensor4D, [start, 0, 0, 0], [size, h, w, c])
        : tf.tensor4d(
            Float32Array.from(
              (
                images as { data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> } }
              ).data.subarray(start * perImage, (start + size) * perImage),
            ),
            [size, h, w, c],
          );
      x = x.toFloat();
      if (options.transform) x = options.transform(x);
      const out = model.predict(x);
      const outs = Array.isArray(out) ? out : [out];
      const pick = (index: number, what: string): tf.Tensor2D => {
        const t = Array.isArray(out) ? outs[index] : index === logitsOutput ? outs[0] : undefined;
        if (!t) invalid(fn, `options.${what}`, `an output index below ${outs.length}`, index);
        if (t.rank !== 2 || t.shape[0] !== size)
          invalid(fn, `model output ${index} (${what})`, `a [${size}, k] tensor`, `shape [${t.shape.join(', ')}]`);
        return t as tf.Tensor2D;
      };
      const l = pick(logitsOutput, 'logitsOutput');
      return featuresOutput === null ? [l.clone()] : [l.clone(), pick(featuresOutput, 'featuresOutput').clone()];
    });
    numClasses = logits.shape[1];
    logitChunks.push((await logits.data()) as Float32Array);
    logits.dispose();
    if (features) {
      featureDim = features.shape[1];
      featureChunks.push((await features.data()) as Float32Array);
      features.dispose();
    }
    options.onProgress?.(start + size, n);
  }
  const logits = concat(logitChunks);
  const predictions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (logits[i * numClasses + k] > logits[i * numClasses + best]) best = k;
    predictions[i] = best;
  }
  const result: Predictions = { logits, numClasses, predictions };
  if (featuresOutput !== null) {
    result.features = concat(featureChunks);
    result.featureDim = featureDim;
  }
  return result;
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((a, b) => a + b.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
