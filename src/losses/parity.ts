/**
 * One ResCom step on a case given as plain JSON (the `rescom parity` command): the loss parts with
 * hard pair mining over the given queue, and the queue after enqueueing the batch's view-1 rows.
 * It lets any independent implementation (an explicit loop, the authors' PyTorch formulas) be
 * compared with this library number for number.
 */
import * as tf from '@tensorflow/tfjs';
import { ClassBalancedQueue, flattenRows } from '../contrast/class-balanced-queue';
import { effectiveNumberWeights } from '../contrast/effective-number';
import { HardPairMiner } from '../contrast/hard-pair-miner';
import { Rng } from '../util/rng';
import { checkInteger, checkNumber, classCountArray, labelArray } from './checks';
import { resComLoss } from './rescom';

/** The input fields (snake_case, as the PyTorch fixtures write them). */
export interface ParityCase {
  /** `[2N][d]` L2-normalised projections; rows 0..N-1 view 1, N..2N-1 view 2. Used as given. */
  features: number[][];
  /** `[2N][C]` classifier logits. */
  logits: number[][];
  /** `[2N]` labels. */
  labels: number[];
  /** `[C*K][d]` queue keys, class c in rows c*K..c*K+K-1. */
  queue: number[][];
  /** `[C]` ring pointers; default all 0. */
  queue_ptr?: number[];
  /** `[C]` training images per class. */
  class_counts: number[];
  temperature: number;
  con_weight: number;
  effective_num_beta: number;
  /** Q_p. */
  select_num_pos: number;
  /** Q_n. */
  select_num_neg: number;
}

/** The output fields. */
export interface ParityResult {
  cls_loss: number;
  con_loss: number;
  loss: number;
  /** `[C*K][d]` the queue after enqueueing this batch's view-1 rows. */
  queue_after: number[][];
  /** `[C]` pointers after the enqueue. */
  queue_ptr_after: number[];
}

/** Runs one parity case (synchronous; needs a backend selected). Throws on malformed input. */
export function runParityCase(input: ParityCase): ParityResult {
  const fn = 'runParityCase';
  if (input === null || typeof input !== 'object')
    throw new Error(`${fn}: the case must be a JSON object; got ${input === null ? 'null' : typeof input}`);
  const counts = classCountArray(fn, input.class_counts);
  const numClasses = counts.length;
  if (!Array.isArray(input.features) || input.features.length < 2 || input.features.length % 2 !== 0) {
    throw new Error(
      `${fn}: features must be [2N][d] with N >= 1 (two views stacked); got ${Array.isArray(input.features) ? `${input.features.length} rows` : typeof input.features}`,
    );
  }
  const rows = input.features.length;
  const dim = Array.isArray(input.features[0]) ? input.features[0].length : 0;
  if (dim < 1)
    throw new Error(
      `${fn}: features[0] must be a non-empty array of numbers; got ${JSON.stringify(input.features[0])}`,
    );
  const features = flattenRows(fn, 'features', input.features, rows, dim);
  const logits = flattenRows(fn, 'logits', input.logits, rows, numClasses);
  const labels = labelArray(fn, input.labels, numClasses, rows);
  if (!Array.isArray(input.queue) || input.queue.length < numClasses || input.queue.length % numClasses !== 0) {
    throw new Error(
      `${fn}: queue must be [C*K][d] with C = ${numClasses} (length of class_counts) and K >= 1; got ${Array.isArray(input.queue) ? `${input.queue.length} rows` : typeof input.queue}`,
    );
  }
  const perClass = input.queue.length / numClasses;
  const temperature = checkNumber(fn, 'temperature', input.temperature, (t) => t > 0, 'a number > 0');
  const conWeight = checkNumber(fn, 'con_weight', input.con_weight, (w) => w >= 0, 'a number >= 0');
  const beta = checkNumber(
    fn,
    'effective_num_beta',
    input.effective_num_beta,
    (b) => b >= 0 && b < 1,
    'a number in [0, 1)',
  );
  const miner = new HardPairMiner({
    numClasses,
    perClass,
    numPositives: checkInteger(fn, 'select_num_pos', input.select_num_pos, 0),
    numNegatives: checkInteger(fn, 'select_num_neg', input.select_num_neg, 0),
  });
  // The initial random keys are replaced at once by the case's queue.
  const queue = new ClassBalancedQueue({ numClasses, perClass, dim, rng: new Rng(0) });
  try {
    queue.load({ keys: input.queue, pointers: input.queue_ptr });
    const mined = miner.mine({ anchors: features, labels, keys: queue.keys() });
    const parts = tf.tidy(() => {
      const out = resComLoss({
        logits: tf.tensor2d(logits, [rows, numClasses]),
        features: tf.tensor2d(features, [rows, dim]),
        labels,
        classCounts: counts,
        temperature,
        conWeight,
        classWeights: effectiveNumberWeights({ classCounts: counts, beta }),
        keys: queue.keys(),
        keyLabels: queue.keyLabels(),
        keyMask: mined.keyMask,
      });
      return [out.cls, out.con, out.total].map((t) => t.dataSync()[0]);
    });
    queue.enqueue({ keys: features.slice(0, (rows / 2) * dim), labels: labels.slice(0, rows / 2) });
    const state = queue.state();
    return {
      cls_loss: parts[0],
      con_loss: parts[1],
      loss: parts[2],
      queue_after: state.keys,
      queue_ptr_after: state.pointers,
    };
  } finally {
    queue.dispose();
  }
}
