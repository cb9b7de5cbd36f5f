/**
 * An image list held as an index only (paths and labels, no pixels), for the streaming readers:
 * ImageNet-LT / iNaturalist 2018 / Places-LT. Memory: the list's path text plus 4 bytes per entry
 * (ImageNet-LT train, 115.8k entries: ~6 MB; iNaturalist 2018 train, 437.5k: ~25 MB), independent
 * of image size.
 */
import * as path from 'node:path';
import { readImageList, type RepeatedEntry } from '../image-list';

export interface ListImageSet {
  kind: 'image-list';
  /** The list file the entries came from (for error messages). */
  listFile: string;
  /** Folder the paths are relative to. */
  root: string;
  /** [count] paths relative to `root`. */
  paths: string[];
  /** [count] class indices in 0..numClasses-1. */
  labels: Int32Array;
  /** 1-based list line of each entry [count] (for error messages). */
  lines: Int32Array;
  /** Size of the images the streaming pipeline produces (square side), and channels (3). */
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: string[];
  /** Entries that repeat an earlier one exactly (kept): how many, and the first few as `line 5 = line 2 'a.png'`. */
  repeats?: { count: number; examples: string[] };
}

/** One line about a list's exact repeats (`''` when there are none), for the training log. */
export function describeRepeats(set: ListImageSet): string {
  const r = set.repeats;
  if (!r || r.count === 0) return '';
  return `${set.listFile}: ${r.count} entr${r.count === 1 ? 'y repeats' : 'ies repeat'} an earlier one exactly (same image, same label), kept as listed: ${r.examples.join(', ')}${r.count > r.examples.length ? ', ...' : ''}`;
}

export function isListImageSet(set: unknown): set is ListImageSet {
  return Boolean(set) && (set as ListImageSet).kind === 'image-list';
}

/** Reads a list file into a `ListImageSet` (no image is opened). Malformed lines throw a DataFormatError. */
export async function loadListImageSet(options: { listFile: string; root: string; numClasses: number; size: number }): Promise<ListImageSet> {
  const { listFile, root, numClasses, size } = options;
  if (!Number.isInteger(size) || size < 1) throw new Error(`loadListImageSet: size must be a positive integer; got ${size}`);
  const paths: string[] = [];
  const labels: number[] = [];
  const lines: number[] = [];
  const repeats = { count: 0, examples: [] as string[] };
  const onRepeat = ({ entry, firstLine }: RepeatedEntry) => {
    if (repeats.count++ < 3) repeats.examples.push(`line ${entry.line} = line ${firstLine} '${entry.path}'`);
  };
  for await (const entry of readImageList(listFile, { numClasses, onRepeat })) {
    paths.push(entry.path);
    labels.push(entry.label);
    lines.push(entry.line);
  }
  return { kind: 'image-list', listFile, root: path.resolve(root), paths, labels: Int32Array.from(labels), lines: Int32Array.from(lines), height: size, width: size, channels: 3, numClasses, repeats };
}

/** A new ListImageSet of entries `indices` of `set`, in that order. */
export function selectListEntries(set: ListImageSet, indices: ArrayLike<number>): ListImageSet {
  const paths: string[] = new Array(indices.length);
  const labels = new Int32Array(indices.length);
  const lines = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.paths.length) throw new Error(`selectListEntries: indices[${k}] must be an integer in 0..${set.paths.length - 1}; got ${i}`);
    paths[k] = set.paths[i];
    labels[k] = set.labels[i];
    lines[k] = set.lines[i];
  }
  return { ...set, paths, labels, lines };
}
