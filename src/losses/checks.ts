/**
 * Input checks and conversions shared by the losses and the contrastive pieces. Every error names
 * the function, the argument, what was expected and what came, as the house style asks.
 */
import * as tf from '@tensorflow/tfjs';

/** Class labels: an int32 tensor `[B]`, or plain integers. */
export type LabelsLike = tf.Tensor1D | Int32Array | ArrayLike<number>;

/** A per-class vector `[C]`: a tensor or plain numbers. */
export type ClassVectorLike = tf.Tensor1D | ArrayLike<number>;

/** Throws unless `tensor` has rank `rank` (and the given sizes where not null). */
export function checkShape(fn: string, arg: string, tensor: tf.Tensor, shape: (number | null)[]): void {
  const ok = tensor.rank === shape.length && shape.every((size, i) => size === null || tensor.shape[i] === size);
  if (!ok) {
    const expected = `[${shape.map((s) => (s === null ? '*' : s)).join(', ')}]`;
    throw new Error(`${fn}: ${arg} must have shape ${expected}; got [${tensor.shape.join(', ')}]`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(
  fn: string,
  arg: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new Error(`${fn}: ${arg} must be an integer ${range}; got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number satisfying `ok`. */
export function checkNumber(
  fn: string,
  arg: string,
  value: unknown,
  ok: (v: number) => boolean,
  expected: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${fn}: ${arg} must be ${expected}; got ${String(value)}`);
  }
  return value;
}

/**
 * Labels as an Int32Array, checked to lie in 0..numClasses-1 (a tensor is read back; call this outside
 * hot loops or pass arrays).
 */
export function labelArray(fn: string, labels: LabelsLike, numClasses: number, expectedLength?: number): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1)
      throw new Error(`${fn}: labels must be a 1-D tensor; got shape [${labels.shape.join(', ')}]`);
    values = labels.dataSync();
  } else {
    values = labels;
  }
  if (expectedLength !== undefined && values.length !== expectedLength) {
    throw new Error(`${fn}: labels must have length ${expectedLength} (one per row); got ${values.length}`);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(`${fn}: labels[${i}] must be an integer in 0..${numClasses - 1}; got ${y}`);
    }
    out[i] = y;
  }
  return out;
}

/**
 * Labels as an int32 tensor `[B]` without reading a tensor back (so it is cheap inside a loss).
 * Plain arrays are range-checked; a tensor is only shape-checked.
 */
export function labelTensor(fn: string, labels: LabelsLike, numClasses: number, expectedLength: number): tf.Tensor1D {
  if (labels instanceof tf.Tensor) {
    checkShape(fn, 'labels', labels, [expectedLength]);
    return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
  }
  return tf.tensor1d(labelArray(fn, labels, numClasses, expectedLength), 'int32');
}

/** A per-class vector as a float32 tensor `[C]` (plain numbers are checked to be finite). */
export function classVector(fn: string, arg: string, values: ClassVectorLike, numClasses: number): tf.Tensor1D {
  if (values instanceof tf.Tensor) {
    checkShape(fn, arg, values, [numClasses]);
    return values.dtype === 'float32' ? values : tf.cast(values, 'float32');
  }
  if (values.length !== numClasses)
    throw new Error(`${fn}: ${arg} must have length ${numClasses} (one per class); got ${values.length}`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${fn}: ${arg}[${i}] must be finite; got ${values[i]}`);
  }
  return tf.tensor1d(Array.from(values), 'float32');
}

/** Class counts as numbers, checked: length C, non-negative integers, not all zero. */
export function classCountArray(fn: string, classCounts: ArrayLike<number>, numClasses?: number): number[] {
  if (classCounts == null || typeof classCounts.length !== 'number' || classCounts.length < 1) {
    throw new Error(
      `${fn}: classCounts must be a non-empty array of per-class training image counts; got ${String(classCounts)}`,
    );
  }
  if (numClasses !== undefined && classCounts.length !== numClasses) {
    throw new Error(`${fn}: classCounts must have length ${numClasses} (one per class); got ${classCounts.length}`);
  }
  const counts = Array.from(classCounts);
  counts.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${fn}: classCounts[${i}] must be a non-negative integer; got ${n}`);
  });
  if (counts.every((n) => n === 0)) throw new Error(`${fn}: classCounts must not be all zero`);
  return counts;
}

/** Anchor weights `[B]` = w[y_i], via a one-hot product (no gather, so it differentiates on wasm). */
export function weightsPerRow(labels: tf.Tensor1D, classWeights: tf.Tensor1D): tf.Tensor1D {
  const numClasses = classWeights.shape[0];
  return tf
    .matMul(tf.oneHot(labels, numClasses).toFloat(), classWeights.reshape([numClasses, 1]))
    .reshape([-1]) as tf.Tensor1D;
}
