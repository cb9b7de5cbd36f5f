/**
 * CIFAR-10 / CIFAR-100 "binary version" readers (the official *-binary.tar.gz archives).
 * A CIFAR-10 record is 1 label byte + 3072 pixel bytes; a CIFAR-100 record is 1 coarse-label byte,
 * 1 fine-label byte + 3072 pixel bytes. Pixels are stored channel-planar (1024 R, 1024 G, 1024 B,
 * each 32x32 row-major) and are converted to HWC. Files are read as streams, record by record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError } from './format-error';
import type { ImageSet } from './types';

export type CifarVariant = 'cifar10' | 'cifar100';

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** An ImageSet of CIFAR images; for CIFAR-100 the 20 superclass labels ride along. */
export interface CifarImageSet extends ImageSet {
  /** CIFAR-100 only: [count] coarse (superclass) labels in 0..19. */
  coarseLabels?: Int32Array;
}

export interface ReadCifarBinaryOptions {
  /** The .bin files, read in order and concatenated. */
  files: string[];
  variant: CifarVariant;
  /** CIFAR-100: which label becomes `labels` (default 'fine': 100 classes; 'coarse': 20). */
  labelKind?: 'fine' | 'coarse';
  classNames?: string[];
  /** Require every file to hold the same number of records (the CIFAR-10 training batches). Default false. */
  equalCounts?: boolean;
}

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3;

/** Reads CIFAR binary files into one HWC ImageSet; corrupt files throw a `DataFormatError`. */
export async function readCifarBinary(options: ReadCifarBinaryOptions): Promise<CifarImageSet> {
  const { files, variant, labelKind = 'fine', classNames } = options;
  const fn = 'readCifarBinary';
  if (variant !== 'cifar10' && variant !== 'cifar100') throw new Error(`${fn}: variant must be 'cifar10' or 'cifar100'; got ${JSON.stringify(variant)}`);
  if (labelKind !== 'fine' && labelKind !== 'coarse') throw new Error(`${fn}: labelKind must be 'fine' or 'coarse'; got ${JSON.stringify(labelKind)}`);
  if (!Array.isArray(files) || files.length === 0) throw new Error(`${fn}: files must be a non-empty array of paths; got ${JSON.stringify(files)}`);
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const record = labelBytes + PIXELS;
  const sizes = files.map((file) => {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new DataFormatError(file, 'byte 0', `a ${variant} binary batch file`, 'a folder');
    const size = stat.size;
    if (size === 0) throw new DataFormatError(file, 'byte 0', `at least one ${record}-byte ${variant} record`, 'an empty file (0 bytes)');
    if (size % record !== 0) {
      const whole = Math.floor(size / record);
      throw new DataFormatError(file, `byte ${whole * record} (record ${whole})`,
        `a whole number of ${record}-byte ${variant} records`, `${size} bytes: the last record is cut short (truncated)`);
    }
    return size / record;
  });
  if (options.equalCounts) {
    const odd = sizes.findIndex((n) => n !== sizes[0]);
    if (odd > 0) throw new DataFormatError(files[odd], `byte ${sizes[odd] * record}`, `${sizes[0]} records, as in ${files[0]}`, `the end of the file after ${sizes[odd]} records`);
  }
  const count = sizes.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(count * PIXELS);
  const fine = new Int32Array(count);
  const coarse = variant === 'cifar100' ? new Int32Array(count) : null;
  let row = 0;
  for (const file of files) {
    const pending = Buffer.alloc(record);
    let have = 0;
    let recordInFile = 0;
    const take = (rec: Uint8Array) => {
      const where = () => `byte ${recordInFile * record} (record ${recordInFile})`;
      if (variant === 'cifar10') {
        if (rec[0] > 9) throw new DataFormatError(file, where(), 'a CIFAR-10 label in 0..9', `${rec[0]}`);
        fine[row] = rec[0];
      } else {
        if (rec[0] > 19) throw new DataFormatError(file, where(), 'a CIFAR-100 coarse label in 0..19', `${rec[0]}`);
        if (rec[1] > 99) throw new DataFormatError(file, `byte ${recordInFile * record + 1} (record ${recordInFile})`, 'a CIFAR-100 fine label in 0..99', `${rec[1]}`);
        (coarse as Int32Array)[row] = rec[0];
        fine[row] = rec[1];
      }
      planarToHwc(rec, labelBytes, pixels, row * PIXELS);
      row++;
      recordInFile++;
    };
    for await (const chunk of fs.createReadStream(file, { highWaterMark: record * 64 }) as AsyncIterable<Buffer>) {
      let at = 0;
      if (have > 0) {
        const n = Math.min(record - have, chunk.length);
        chunk.copy(pending, have, 0, n);
        have += n;
        at = n;
        if (have < record) continue;
        take(pending);
        have = 0;
      }
      for (; at + record <= chunk.length; at += record) take(chunk.subarray(at, at + record));
      if (at < chunk.length) {
        chunk.copy(pending, 0, at);
        have = chunk.length - at;
      }
    }
    if (have !== 0) throw new DataFormatError(file, `byte ${recordInFile * record}`, 'a whole record', `${have} bytes (the file changed while read)`);
  }
  const useCoarse = variant === 'cifar100' && labelKind === 'coarse';
  const set: CifarImageSet = {
    pixels,
    labels: useCoarse ? (coarse as Int32Array) : fine,
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses: variant === 'cifar10' ? 10 : useCoarse ? 20 : 100,
  };
  if (coarse) set.coarseLabels = coarse;
  const names = classNames ?? (variant === 'cifar10' ? CIFAR10_CLASS_NAMES : undefined);
  if (names) set.classNames = names.slice();
  return set;
}

function planarToHwc(rec: Uint8Array, from: number, out: Uint8Array, at: number): void {
  const plane = SIDE * SIDE;
  for (let p = 0; p < plane; p++) {
    out[at + 3 * p] = rec[from + p];
    out[at + 3 * p + 1] = rec[from + plane + p];
    out[at + 3 * p + 2] = rec[from + 2 * plane + p];
  }
}

export interface LoadCifarOptions {
  /** Folder holding the .bin files, or the folder the archive was extracted into. */
  dir: string;
  variant: CifarVariant;
  split: 'train' | 'test';
  labelKind?: 'fine' | 'coarse';
}

/**
 * Finds the split's files under `dir` (`data_batch_1..5.bin` / `test_batch.bin` for CIFAR-10,
 * `train.bin` / `test.bin` for CIFAR-100, directly or in the archive's own sub-folder) and reads them,
 * with class names from the archive's label-name files when present.
 */
export async function loadCifar(options: LoadCifarOptions): Promise<CifarImageSet> {
  const { dir, variant, split, labelKind = 'fine' } = options;
  const sub = variant === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary';
  const base = fs.existsSync(path.join(dir, sub)) ? path.join(dir, sub) : dir;
  const names = variant === 'cifar10'
    ? split === 'train' ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ['test_batch.bin']
    : [`${split}.bin`];
  const files = names.map((n) => path.join(base, n));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(`loadCifar: missing ${missing.join(', ')}; run data-scripts/cifar/prepare.ts (see its README) to download and extract ${variant}`);
  }
  const namesFile = variant === 'cifar10' ? 'batches.meta.txt' : labelKind === 'coarse' ? 'coarse_label_names.txt' : 'fine_label_names.txt';
  const namesPath = path.join(base, namesFile);
  const classNames = fs.existsSync(namesPath)
    ? fs.readFileSync(namesPath, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
    : undefined;
  // The five CIFAR-10 training batches hold 10000 records each as published: one that differs is a
  // truncated or mixed-up download even when it ends on a record boundary.
  return readCifarBinary({ files, variant, labelKind, classNames, equalCounts: files.length > 1 });
}
