/**
 * Class-balanced queue (ResCom, arXiv 2203.11506, Sec. 3.3): K keys for each of C classes, so that
 * every class offers the same number of contrastive keys whatever its frequency.
 *
 * Class c owns rows c*K .. c*K+K-1 of `keys()`, used as a FIFO ring with its own pointer. `enqueue`
 * writes rows in batch order; when a class appears more than K times in one batch, later rows
 * overwrite earlier ones exactly as the authors' per-sample loop would. Slots are worked out in JS
 * from the labels, then the whole update is one gather (no per-sample tensor op, and no gradient:
 * the queue lives outside every tape). Keys start as random unit vectors from the given `Rng`.
 * The queue owns its tensor (`dispose()`), enqueues only when asked, and never computes a loss.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInteger, checkShape, labelArray, type LabelsLike } from '../losses/checks';
import type { Rng } from '../util/rng';

export interface ClassBalancedQueueOptions {
  /** Number of classes C (>= 1). */
  numClasses: number;
  /** Keys per class K (>= 1); ResCom CIFAR: 10. */
  perClass: number;
  /** Key dimension d (the projection dimension). */
  dim: number;
  /** Generator for the random unit initial keys (one `fork()` is taken). */
  rng: Rng;
}

/** JSON-serialisable snapshot of a queue, for checkpoints. */
export type ClassBalancedQueueState = {
  numClasses: number;
  perClass: number;
  dim: number;
  /** `[C*K][d]` keys, class c in rows c*K..c*K+K-1. */
  keys: number[][];
  /** `[C]` next slot (0..K-1) of each class's ring. */
  pointers: number[];
};

export class ClassBalancedQueue {
  readonly numClasses: number;
  readonly perClass: number;
  readonly dim: number;
  /** C * K. */
  readonly size: number;
  private keyTensor: tf.Tensor2D;
  private readonly pointerArray: Int32Array;
  private readonly labelArrayCache: Int32Array;
  private disposed = false;

  constructor(options: ClassBalancedQueueOptions) {
    const fn = 'ClassBalancedQueue';
    this.numClasses = checkInteger(fn, 'numClasses', options.numClasses, 1);
    this.perClass = checkInteger(fn, 'perClass (queue size per class K)', options.perClass, 1);
    this.dim = checkInteger(fn, 'dim', options.dim, 1);
    if (!options.rng || typeof options.rng.fork !== 'function')
      throw new Error(`${fn}: rng must be an Rng; got ${String(options.rng)}`);
    this.size = this.numClasses * this.perClass;
    this.pointerArray = new Int32Array(this.numClasses);
    this.labelArrayCache = new Int32Array(this.size);
    for (let r = 0; r < this.size; r++) this.labelArrayCache[r] = Math.floor(r / this.perClass);
    this.keyTensor = tf.tensor2d(randomUnitRows(options.rng.fork(), this.size, this.dim), [this.size, this.dim]);
  }

  /**
   * The keys `[C*K, d]`. Owned by the queue: do not dispose; valid until the next `enqueue`,
   * `restore` or `dispose`.
   */
  keys(): tf.Tensor2D {
    this.assertLive('keys');
    return this.keyTensor;
  }

  /** Class of each key row `[C*K]`: row r belongs to class floor(r / K). */
  keyLabels(): Int32Array {
    return this.labelArrayCache.slice();
  }

  /** Each class's next slot `[C]` (a copy). */
  pointers(): Int32Array {
    return this.pointerArray.slice();
  }

  /**
   * The ring slot (row of `keys()`) that the next `enqueue` writes each row of a batch with these
   * `labels` `[n]` to, in batch order: row i of class c goes to c*K + pointer[c], and each row of
   * class c advances that pointer by one (mod K). A class appearing more than K times wraps, so a
   * later row takes an earlier row's slot (the last write wins). Does not change the queue.
   */
  slotsFor(labels: LabelsLike): Int32Array {
    const given = labelArray('ClassBalancedQueue.slotsFor', labels, this.numClasses);
    const pointers = this.pointerArray.slice();
    const slots = new Int32Array(given.length);
    for (let i = 0; i < given.length; i++) {
      const c = given[i];
      slots[i] = c * this.perClass + pointers[c];
      pointers[c] = (pointers[c] + 1) % this.perClass;
    }
    return slots;
  }

  /**
   * Writes `keys` `[n, d]` (L2-normalised rows, e.g. the view-1 projections) into their classes'
   * rings in row order. Values only: no gradient reaches the queue.
   */
  enqueue(options: { keys: tf.Tensor2D | Float32Array; labels: LabelsLike }): void {
    const fn = 'ClassBalancedQueue.enqueue';
    this.assertLive('enqueue');
    const labels = labelArray(fn, options.labels, this.numClasses);
    const n = labels.length;
    if (options.keys instanceof tf.Tensor) checkShape(fn, 'keys', options.keys, [n, this.dim]);
    else if (options.keys.length !== n * this.dim) {
      throw new Error(
        `${fn}: keys must hold ${n}x${this.dim} = ${n * this.dim} values (one row per label); got ${options.keys.length}`,
      );
    }
    if (n === 0) return;
    // source[slot] = the row that ends up in that slot: the queue itself (index slot) or, for the
    // last batch row written there, size + row. Walking the rows in order reproduces the
    // sequential ring semantics, including a class that wraps around within one batch; each
    // class's pointer ends one past its last written slot.
    const slots = this.slotsFor(labels);
    const source = new Int32Array(this.size);
    for (let slot = 0; slot < this.size; slot++) source[slot] = slot;
    for (let i = 0; i < n; i++) {
      source[slots[i]] = this.size + i;
      this.pointerArray[labels[i]] = ((slots[i] % this.perClass) + 1) % this.perClass;
    }
    const next = tf.tidy(() => {
      const rows = options.keys instanceof tf.Tensor ? options.keys : tf.tensor2d(options.keys, [n, this.dim]);
      return tf.gather(tf.concat([this.keyTensor, rows.toFloat()], 0), tf.tensor1d(source, 'int32')) as tf.Tensor2D;
    });
    this.keyTensor.dispose();
    this.keyTensor = next;
  }

  /** A JSON-serialisable snapshot (reads the keys back). */
  state(): ClassBalancedQueueState {
    this.assertLive('state');
    return {
      numClasses: this.numClasses,
      perClass: this.perClass,
      dim: this.dim,
      keys: this.keyTensor.arraySync(),
      pointers: Array.from(this.pointerArray),
    };
  }

  /** Replaces keys and pointers with a snapshot of a queue of the same C, K and d. */
  restore(state: ClassBalancedQueueState): void {
    const fn = 'ClassBalancedQueue.restore';
    this.assertLive('restore');
    if (!state || state.numClasses !== this.numClasses || state.perClass !== this.perClass || state.dim !== this.dim) {
      throw new Error(
        `${fn}: state must be for C=${this.numClasses}, K=${this.perClass}, d=${this.dim}; got C=${state?.numClasses}, K=${state?.perClass}, d=${state?.dim}`,
      );
    }
    if (!Array.isArray(state.pointers) || state.pointers.length !== this.numClasses) {
      throw new Error(`${fn}: state.pointers must have ${this.numClasses} entries; got ${state.pointers?.length}`);
    }
    state.pointers.forEach((p, c) => checkInteger(fn, `state.pointers[${c}]`, p, 0, this.perClass - 1));
    const flat = flattenRows(fn, 'state.keys', state.keys, this.size, this.dim);
    this.keyTensor.dispose();
    this.keyTensor = tf.tensor2d(flat, [this.size, this.dim]);
    this.pointerArray.set(state.pointers);
  }

  /** Replaces the keys and pointers directly (e.g. a parity case's given queue). */
  load(options: { keys: number[][]; pointers?: ArrayLike<number> }): void {
    this.restore({
      numClasses: this.numClasses,
      perClass: this.perClass,
      dim: this.dim,
      keys: options.keys,
      pointers: options.pointers ? Array.from(options.pointers) : new Array<number>(this.numClasses).fill(0),
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.keyTensor.dispose();
    this.disposed = true;
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new Error(`ClassBalancedQueue.${method}: the queue has been disposed`);
  }
}

/** `count` rows of `dim` standard normal values, each scaled to unit length. */
function randomUnitRows(rng: Rng, count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      row[j] = rng.normal();
      norm += row[j] * row[j];
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) out[r * dim + j] = row[j] / norm;
  }
  return out;
}

/** Checks a `[rows][dim]` array of finite numbers and flattens it row-major. */
export function flattenRows(fn: string, arg: string, rows: unknown, count: number, dim: number): Float32Array {
  if (!Array.isArray(rows) || rows.length !== count) {
    throw new Error(
      `${fn}: ${arg} must be an array of ${count} rows; got ${Array.isArray(rows) ? `${rows.length} rows` : typeof rows}`,
    );
  }
  const flat = new Float32Array(count * dim);
  rows.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== dim) {
      throw new Error(
        `${fn}: ${arg}[${r}] must have ${dim} numbers; got ${Array.isArray(row) ? row.length : typeof row}`,
      );
    }
    for (let j = 0; j < dim; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`${fn}: ${arg}[${r}][${j}] must be a finite number; got ${String(v)}`);
      flat[r * dim + j] = v;
    }
  });
  return flat;
}
