/**
 * A CPU copy of a `ClassBalancedQueue`'s keys kept WITHOUT synchronous read-back, for backends where
 * `dataSync()` is impossible (WebGPU in Node) but checkpoints still need the queue's values
 * synchronously (`state()`). The copy is fed by asynchronous reads that complete while the training
 * step awaits its loss values (the device finishes work in submission order): after each enqueue,
 * the rows written are copied into the slots the queue reports (`slotsFor`), so the ring order is
 * the queue's alone. When a read has not landed in time, the copy is dropped and re-read.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ClassBalancedQueue, ClassBalancedQueueState } from './class-balanced-queue';

export class QueueMirror {
  /** `[C*K*d]` keys, or null while unknown. */
  private values: Float32Array | null = null;

  constructor(private readonly queue: ClassBalancedQueue) {
    this.resync();
  }

  /**
   * Records an enqueue of rows `[n, d]` into `slots` (`queue.slotsFor(labels)`, taken BEFORE the
   * enqueue); `rows` null when their values are not known yet (the copy is then re-read).
   */
  written(slots: Int32Array, rows: Float32Array | null): void {
    if (this.values && rows) {
      const d = this.queue.dim;
      for (let i = 0; i < slots.length; i++) this.values.set(rows.subarray(i * d, (i + 1) * d), slots[i] * d);
    } else {
      this.values = null;
      this.resync();
    }
  }

  /** After `queue.restore(state)`: the copy is the state's keys. */
  restored(state: ClassBalancedQueueState): void {
    this.values = Float32Array.from(state.keys.flat());
  }

  /** The queue's state from the copy, or null when the copy is not current. */
  state(): ClassBalancedQueueState | null {
    if (!this.values) return null;
    const { numClasses, perClass, dim, size } = this.queue;
    const keys: number[][] = [];
    for (let r = 0; r < size; r++) keys.push(Array.from(this.values.subarray(r * dim, (r + 1) * dim)));
    return { numClasses, perClass, dim, keys, pointers: Array.from(this.queue.pointers()) };
  }

  /** Starts reading the current keys (ignored if the queue moves on before the read lands). */
  private resync(): void {
    const queue = this.queue;
    const keys: tf.Tensor2D = queue.keys();
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
        if (current === keys) this.values = Float32Array.from(values as Float32Array);
      })
      .catch(() => undefined);
  }
}
