/**
 * Classifier scores (logits or probabilities) as a plain row-major matrix [N, C], the form every
 * metric in src/eval reads. Accepts a flat array of N*C numbers or an array of N rows.
 */
import { checkPositiveInt, invalid } from './check';

/** Scores of N samples over C classes, row-major: `values[i * numClasses + c]`. */
export interface ScoreMatrix {
  values: Float64Array;
  rows: number;
  numClasses: number;
}

/** A flat [N*C] array, or N rows of C numbers. */
export type ScoreInput = ArrayLike<number> | ArrayLike<number>[];

/** Turn `scores` into a ScoreMatrix, checking its shape and that every value is finite. */
export function toScoreMatrix(fn: string, scores: ScoreInput, numClasses: number): ScoreMatrix {
  checkPositiveInt(fn, 'numClasses', numClasses);
  if (!scores || typeof (scores as ArrayLike<unknown>).length !== 'number') invalid(fn, 'scores', 'an array', scores);
  const nested = scores.length > 0 && typeof (scores as ArrayLike<unknown>)[0] === 'object';
  let values: Float64Array;
  if (nested) {
    const rows = scores as ArrayLike<number>[];
    values = new Float64Array(rows.length * numClasses);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].length !== numClasses) invalid(fn, `scores[${i}]`, `a row of ${numClasses} numbers`, rows[i]);
      for (let c = 0; c < numClasses; c++) values[i * numClasses + c] = rows[i][c];
    }
  } else {
    const flat = scores as ArrayLike<number>;
    if (flat.length % numClasses !== 0)
      invalid(fn, 'scores', `a flat array whose length is a multiple of numClasses=${numClasses}`, flat);
    values = Float64Array.from(flat);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]))
      invalid(fn, `scores (row ${Math.floor(k / numClasses)}, class ${k % numClasses})`, 'finite', values[k]);
  }
  return { values, rows: values.length / numClasses, numClasses };
}

/** Predicted class per row: the first index of the largest score (ties go to the lower class). */
export function argmaxRows(m: ScoreMatrix): Int32Array {
  const out = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = 0;
    const base = i * m.numClasses;
    for (let c = 1; c < m.numClasses; c++) if (m.values[base + c] > m.values[base + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Row-wise softmax of logits (max-subtracted, so large logits do not overflow). */
export function softmaxRows(m: ScoreMatrix): ScoreMatrix {
  const out = new Float64Array(m.values.length);
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.numClasses;
    let max = -Infinity;
    for (let c = 0; c < m.numClasses; c++) max = Math.max(max, m.values[base + c]);
    let sum = 0;
    for (let c = 0; c < m.numClasses; c++) sum += out[base + c] = Math.exp(m.values[base + c] - max);
    for (let c = 0; c < m.numClasses; c++) out[base + c] /= sum;
  }
  return { values: out, rows: m.rows, numClasses: m.numClasses };
}
