/**
 * The work of one streamed batch: read each listed file, check its header against the size limits,
 * decode it, augment it (training: one or two views, each image with its own generator seeded from
 * (epoch seed, position in the epoch)) or resize + centre-crop it (evaluation), into uint8 batches
 * [n, size, size, 3] (normalised by the consumer: batch-input.ts). Runs inside a worker thread
 * (stream-worker.ts) or inline.
 * The output depends only on the job, never on which worker ran it or when.
 */
import * as fs from 'node:fs';
import { Rng } from '../../util/rng';
import type { Normalization } from '../augment/normalize';
import { nativePixels } from '../augment/native-pixels';
import { augmentationPreset, drawImagenetColour, writeImagenetColour, type AugmentationPreset, type AugmentationPresetName } from '../augment/presets';
import { DataFormatError } from '../format-error';
import type { ImageLimits } from '../image-header';
import { decodeImageBytes, resolveDecoder, type DecoderName } from '../native-decode';
import type { HwcImage } from '../types';
import { cropResizeFlip, drawCropFlip, startNativeCropResizeFlip } from './native-view';

export interface PresetSpec {
  name: AugmentationPresetName;
  /** Output side. */
  size: number;
  normalization?: Normalization;
}

export interface BatchJob {
  /** Absolute paths of the batch's images [n]. */
  files: string[];
  /** List file and 1-based line of each image [n], for error messages. */
  listFile: string;
  lines: number[];
  mode: 'train' | 'eval';
  /** Training: generator seed of each image [n] (uint32). */
  seeds: number[];
  twoViews: boolean;
  preset: PresetSpec;
  decoder: DecoderName;
  limits: ImageLimits;
}

export interface BatchResult {
  /** [n, size, size, 3] uint8 pixels, before normalisation (`presetNormalization`). */
  view1: Uint8Array;
  /** [n, size, size, 3] uint8 (training with two views) or empty. */
  view2: Uint8Array;
}

const presets = new Map<string, AugmentationPreset>();

function presetFor(spec: PresetSpec): AugmentationPreset {
  const key = JSON.stringify(spec);
  let preset = presets.get(key);
  if (!preset) {
    preset = augmentationPreset(spec.name, { size: spec.size, normalization: spec.normalization });
    presets.set(key, preset);
  }
  return preset;
}

/** The normalisation the preset of `spec` applies to its views (the consumer applies it to BatchResult's bytes). */
export function presetNormalization(spec: PresetSpec): Normalization {
  return presetFor(spec).normalization;
}

/**
 * Reads a listed file after checking its size on disk; errors name the list line. Synchronous
 * (open, fstat, read, close on one descriptor): a worker thread reads one small file at a time, and
 * fs.promises.readFile's round trips through the thread pool cost more than the read itself.
 */
export function readListedFile(file: string, where: { listFile: string; line: number }, limits: ImageLimits): Buffer {
  const maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    if (stat.size > maxBytes) throw Object.assign(new Error(`file of ${stat.size} bytes exceeds the limit of ${maxBytes} bytes`), { code: 'ETOOBIG' });
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const got = fs.readSync(fd, bytes, read, bytes.length - read, read);
      if (got === 0) break;
      read += got;
    }
    return read === bytes.length ? bytes : bytes.subarray(0, read);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DataFormatError(where.listFile, `line ${where.line}`, `a readable image at ${file}`, e.code === 'ETOOBIG' ? e.message : (e.code ?? e.message));
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export async function processBatch(job: BatchJob): Promise<BatchResult> {
  const preset = presetFor(job.preset);
  const { size } = job.preset;
  const n = job.files.length;
  const per = size * size * 3;
  const train = job.mode === 'train';
  if (train && job.seeds.length !== n) throw new Error(`processBatch: job.seeds must have ${n} entries; got ${job.seeds.length}`);
  // The 'imagenet' view: every draw of both views first (none depends on pixels; the preset's
  // order), then the pixel work, written straight into the batch. With the pixel addon built, the
  // crop + resize + flip and colour passes run in C++ with the preset's exact values. Without it,
  // and with sharp, the crop + resize + flip run in libvips (native-view.ts: pixels within a few
  // levels of the JS resize) while the other view's colour operations run here.
  const planned = train && job.preset.name === 'imagenet';
  const libvips = planned && !nativePixels() && resolveDecoder(job.decoder) === 'sharp';
  const view1 = new Uint8Array(n * per);
  const view2 = new Uint8Array(train && job.twoViews ? n * per : 0);
  const load = async (k: number): Promise<HwcImage<Uint8Array>> => {
    const file = job.files[k];
    const line = job.lines[k];
    const bytes = readListedFile(file, { listFile: job.listFile, line }, job.limits);
    try {
      return await decodeImageBytes(bytes, { channels: 3, decoder: job.decoder, limits: job.limits });
    } catch (err) {
      throw new DataFormatError(file, 'byte 0', `a valid JPEG or PNG image (listed at ${job.listFile} line ${line})`, (err as Error).message);
    }
  };
  // The next image is read and decoded (off this thread, by sharp) while this one is augmented;
  // its errors surface when it is awaited, i.e. in list order.
  let next: Promise<HwcImage<Uint8Array>> | null = n > 0 ? load(0) : null;
  for (let k = 0; k < n; k++) {
    const file = job.files[k];
    const image = await next!;
    next = k + 1 < n ? load(k + 1) : null;
    next?.catch(() => undefined); // observed when awaited; never unhandled if this image fails
    if (!train) {
      view1.set(pixels(checkSize(preset.evaluate(image), size, file)), k * per);
      continue;
    }
    // One generator per image: view 1 then view 2 draw from it (as twoViewBatches does).
    const rng = new Rng(job.seeds[k]);
    const outs = job.twoViews ? [view1, view2] : [view1];
    if (!planned) {
      for (const out of outs) out.set(pixels(checkSize(preset.augment(image, rng), size, file)), k * per);
      continue;
    }
    const plans = outs.map(() => ({ geometry: drawCropFlip(image.height, image.width, rng), colour: drawImagenetColour(rng) }));
    // libvips: both crops started at once, so one resizes while the other's colours run here.
    const started = plans.map((plan) => (libvips ? startNativeCropResizeFlip(image, plan.geometry, size) : null));
    for (const s of started) s?.catch(() => undefined); // observed when awaited
    for (let v = 0; v < outs.length; v++) {
      const geometric = started[v] ? await started[v]! : cropResizeFlip(image, plans[v].geometry, size);
      writeImagenetColour(checkSize(geometric, size, file), plans[v].colour, outs[v], k * per);
    }
  }
  return { view1, view2 };
}

function checkSize<I extends { height: number; width: number; channels: number }>(image: I, size: number, file: string): I {
  if (image.height !== size || image.width !== size || image.channels !== 3) {
    throw new Error(`processBatch: the pipeline produced ${image.height}x${image.width}x${image.channels} for ${file}; expected ${size}x${size}x3 (use an augmentation preset that resizes, e.g. 'imagenet')`);
  }
  return image;
}

/** The uint8 pixels of a pipeline's output (every preset keeps decoded uint8 images uint8). */
function pixels(image: HwcImage): Uint8Array {
  if (!(image.data instanceof Uint8Array)) throw new Error(`processBatch: the pipeline produced ${image.data.constructor.name} pixels; streamed batches hold uint8 (use a preset that keeps uint8 images)`);
  return image.data;
}
