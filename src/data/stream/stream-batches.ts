/**
 * Streaming batches of an image list (ImageNet-LT, iNaturalist 2018, Places-LT): the two-view
 * training batches of `twoViewBatches` and the evaluation batches of `imageBatches`, but read,
 * decoded and augmented from disk by a `WorkerPool`, with at most `prefetch` batches in flight.
 *
 * Determinism and resuming (as two-view.ts): all draws from `rng` happen when the function is
 * called (a permutation of the list, then one 32-bit epoch seed); image `order[p]` is augmented
 * with `Rng(positionSeed(epochSeed, p))`, whichever worker runs it; batches are yielded in batch
 * order. So batches do not depend on the worker count or on scheduling, and `startBatch` skips
 * batches without reading them or changing later ones.
 *
 * Batches arrive as uint8 pixels (`TwoViewBatch.bytes`; the float views are normalised on first
 * read, and the trainer normalises straight into its model input: batch-input.ts); evaluation
 * batches are normalised here, on the consumer's thread.
 *
 * Memory bound: (prefetch + 1) batches of uint8 output, i.e. (prefetch + 1) x batchSize x views x
 * size^2 x 3 bytes (prefetch 4, batch 256, two views, 224 px: 385 MB; batch 64: 96 MB), plus per
 * worker two decoded source images (the one augmented and the next, each <= maxMegapixels x 3 bytes) and its augmentation temporaries;
 * plus the list index (list-set.ts). Nothing grows with the list length but the index.
 */
import type { Rng } from '../../util/rng';
import { normalizeBytes, twoViewBatchFromBytes } from '../batch-input';
import type { ImageLimits } from '../image-header';
import type { DecoderName } from '../native-decode';
import { batchesPerEpoch, positionSeed } from '../two-view';
import type { ImageBatch, TwoViewBatch } from '../types';
import type { ListImageSet } from './list-set';
import * as path from 'node:path';
import { presetNormalization, type BatchJob, type BatchResult, type PresetSpec } from './process-batch';
import type { WorkerPool } from './worker-pool';

export interface StreamOptions {
  set: ListImageSet;
  batchSize: number;
  pool: WorkerPool;
  /** Augmentation ('imagenet' for the large-scale sets) and output side. */
  preset: PresetSpec;
  /** Batches in flight ahead of the consumer; default max(2, 2 x workers). */
  prefetch?: number;
  decoder?: DecoderName;
  limits?: ImageLimits;
}

export interface StreamTwoViewOptions extends StreamOptions {
  rng: Rng;
  /** Default true. */
  twoViews?: boolean;
  /** Default true (the trainer's setting). */
  dropLast?: boolean;
  /** First batch to produce (resume); default 0. */
  startBatch?: number;
}

/** One epoch of streamed two-view batches; see the file comment. */
export function streamTwoViewBatches(options: StreamTwoViewOptions): AsyncIterableIterator<TwoViewBatch> {
  const { set, batchSize, rng, twoViews = true, dropLast = true, startBatch = 0 } = options;
  const fn = 'streamTwoViewBatches';
  checkCommon(options, fn);
  const total = batchesPerEpoch({ count: set.labels.length, batchSize, dropLast });
  if (!Number.isInteger(startBatch) || startBatch < 0 || startBatch > total) throw new Error(`${fn}: startBatch must be an integer in 0..${total}; got ${startBatch}`);
  // All of the epoch's draws from `rng` happen here, eagerly (resumability depends on it).
  const order = rng.permutation(set.labels.length);
  const epochSeed = rng.nextUint32();
  const size = options.preset.size;
  const normalization = presetNormalization(options.preset);
  return pipeline(options, startBatch, total, (b) => {
    const start = b * batchSize;
    const n = Math.min(batchSize, set.labels.length - start);
    const indices = Array.from(order.subarray(start, start + n));
    const seeds = indices.map((_, k) => positionSeed(epochSeed, start + k));
    const job = makeJob(options, indices, 'train', seeds, twoViews);
    const labels = Int32Array.from(indices, (i) => set.labels[i]);
    return { job, wrap: (r: BatchResult): TwoViewBatch => twoViewBatchFromBytes({ view1: r.view1, view2: r.view2, normalization }, labels, [n, size, size, 3]) };
  });
}

/** Evaluation batches of the whole list in list order (resize to size/0.875 + centre crop), the last partial batch kept. */
export function streamImageBatches(options: StreamOptions): AsyncIterableIterator<ImageBatch> {
  const { set, batchSize } = options;
  checkCommon(options, 'streamImageBatches');
  const total = Math.ceil(set.labels.length / batchSize);
  const size = options.preset.size;
  const normalization = presetNormalization(options.preset);
  return pipeline(options, 0, total, (b) => {
    const start = b * batchSize;
    const n = Math.min(batchSize, set.labels.length - start);
    const indices = Array.from({ length: n }, (_, k) => start + k);
    const job = makeJob(options, indices, 'eval', [], false);
    return { job, wrap: (r: BatchResult): ImageBatch => ({ images: normalizeBytes(r.view1, 3, normalization), labels: set.labels.slice(start, start + n), shape: [n, size, size, 3] }) };
  });
}

function checkCommon(options: StreamOptions, fn: string): void {
  const { set, batchSize, pool, preset } = options;
  if (!set || set.kind !== 'image-list') throw new Error(`${fn}: set must be a ListImageSet (loadListImageSet); got ${typeof set}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${fn}: batchSize must be a positive integer; got ${batchSize}`);
  if (!pool || typeof pool.run !== 'function') throw new Error(`${fn}: pool must be a WorkerPool; got ${typeof pool}`);
  if (!preset || !Number.isInteger(preset.size) || preset.size < 1) throw new Error(`${fn}: preset must be { name, size } with a positive integer size; got ${JSON.stringify(preset)}`);
  const prefetch = options.prefetch;
  if (prefetch !== undefined && (!Number.isInteger(prefetch) || prefetch < 1)) throw new Error(`${fn}: prefetch must be a positive integer; got ${prefetch}`);
}

function makeJob(options: StreamOptions, indices: number[], mode: 'train' | 'eval', seeds: number[], twoViews: boolean): BatchJob {
  const { set } = options;
  return {
    files: indices.map((i) => path.join(set.root, set.paths[i])),
    listFile: set.listFile,
    lines: indices.map((i) => set.lines[i]),
    mode,
    seeds,
    twoViews,
    preset: options.preset,
    decoder: options.decoder ?? 'auto',
    limits: options.limits ?? {},
  };
}

/** Keeps up to `prefetch` jobs in flight and yields their results in batch order. */
async function* pipeline<T>(
  options: StreamOptions,
  first: number,
  total: number,
  build: (b: number) => { job: BatchJob; wrap: (r: BatchResult) => T },
): AsyncIterableIterator<T> {
  const prefetch = options.prefetch ?? Math.max(2, 2 * options.pool.size);
  const inFlight: { promise: Promise<BatchResult>; wrap: (r: BatchResult) => T }[] = [];
  let next = first;
  const launch = () => {
    const { job, wrap } = build(next++);
    const promise = options.pool.run(job);
    promise.catch(() => undefined); // observed when awaited; never an unhandled rejection if abandoned
    inFlight.push({ promise, wrap });
  };
  try {
    while (next < total && inFlight.length < prefetch) launch();
    while (inFlight.length > 0) {
      const head = inFlight.shift()!;
      const result = await head.promise;
      if (next < total) launch();
      yield head.wrap(result);
    }
  } finally {
    // Stopped early (break) or failed: wait for the jobs still running so that none outlives the
    // iterator (their buffers are dropped), keeping the memory bound and leaving the workers idle.
    await Promise.allSettled(inFlight.map((x) => x.promise));
    inFlight.length = 0;
  }
}
