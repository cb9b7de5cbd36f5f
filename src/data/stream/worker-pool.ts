/**
 * A pool of worker threads running `processBatch` jobs (stream-worker.ts). Jobs go to the worker
 * with the fewest jobs in flight; answers come back as promises, so the caller decides the order
 * in which it uses them (the streaming batcher reassembles in batch order). With `workers: 0` the
 * jobs run inline on the calling thread (same results, no parallelism).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readEnvironment } from '../../util/environment';
import { loadSharp, resolveDecoder, type DecoderName } from '../native-decode';
import { processBatch, type BatchJob, type BatchResult } from './process-batch';

export interface WorkerPoolOptions {
  /** Worker threads; default: available cores (at least 1); 0 runs jobs inline. */
  workers?: number;
}

/** Default worker count: RESCOM_DATA_WORKERS, else the available cores. */
export function defaultWorkerCount(): number {
  const workers = readEnvironment('RESCOM_DATA_WORKERS', 'WorkerPool');
  if (workers !== undefined) return Number(workers);
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>;
  /** Why the worker stopped (then every job sent to it fails at once). */
  dead: Error | null;
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private disposed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const size = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(size) || size < 0) throw new Error(`WorkerPool: options.workers must be a non-negative integer; got ${size}`);
    this.size = size;
    // sharp must be loaded by the main thread before any worker loads it (a native module).
    loadSharp();
    const ext = path.extname(__filename); // .js when built, .ts under tsx (tests)
    const entry = path.join(__dirname, `stream-worker${ext}`);
    for (let i = 0; i < size; i++) {
      // Under tsx (tests) the worker needs the TypeScript loader too.
      const worker = ext === '.ts' ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true }) : new Worker(entry);
      const slot: Slot = { worker, pending: new Map(), dead: null };
      worker.on('message', (msg: { id: number; result?: BatchResult; error?: { name: string; message: string } }) => {
        const waiter = slot.pending.get(msg.id);
        if (!waiter) return;
        slot.pending.delete(msg.id);
        if (msg.error) waiter.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
        else waiter.resolve(msg.result!);
        if (slot.pending.size === 0) worker.unref();
      });
      worker.on('error', (err) => {
        slot.dead = new Error(`WorkerPool: a data worker failed: ${err.message}`);
        this.failAll(slot, slot.dead);
      });
      worker.on('exit', (code) => {
        slot.dead ??= new Error(`WorkerPool: a data worker exited (code ${code})`);
        this.failAll(slot, slot.dead);
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  /** Runs one job; resolves with its buffers. */
  run(job: BatchJob): Promise<BatchResult> {
    if (this.disposed) return Promise.reject(new Error('WorkerPool.run: the pool was disposed'));
    job = { ...job, decoder: resolveDecoder(job.decoder as DecoderName) };
    if (this.size === 0) return processBatch(job);
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    if (slot.dead) return Promise.reject(slot.dead);
    const id = this.nextId++;
    return new Promise<BatchResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, job });
    });
  }

  /** Stops the workers (pending jobs reject). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of this.slots) this.failAll(slot, new Error('WorkerPool: disposed while a job was running'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private failAll(slot: Slot, err: Error): void {
    for (const waiter of slot.pending.values()) waiter.reject(err);
    slot.pending.clear();
  }
}
