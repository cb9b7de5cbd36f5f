/**
 * Image lists as used by ImageNet-LT, iNaturalist 2018 and Places-LT: one `relative/path.jpg label`
 * per line, paths relative to a user-supplied image root. The list is read as a stream of lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DataFormatError } from './format-error';
import { decodeImage, resizeAndCenterCrop } from './image-decode';
import type { ImageSet } from './types';

export interface ImageListEntry {
  /** Path as written in the list (relative to the image root). */
  path: string;
  label: number;
  /** 1-based line number in the list file. */
  line: number;
}

const LINE = /^(\S+)\s+(\d+)$/;

/** An entry that repeats an earlier one exactly (same image, same label): kept, and reported. */
export interface RepeatedEntry {
  entry: ImageListEntry;
  /** Line of the first entry of that image. */
  firstLine: number;
}

/**
 * Streams the entries of a list file. Blank lines are skipped; anything else that is not
 * `<path> <non-negative integer label>` (or a label >= numClasses, when given) throws a
 * DataFormatError naming the file and line. An image listed again with another label is refused
 * (which label would it learn?), naming both lines, unless `onConflict` takes it (a checker that
 * lists every problem); listed again with the same label it is kept (the list decides how often
 * an image is seen) and passed to `onRepeat` to be reported.
 */
export async function* readImageList(
  listFile: string,
  options: {
    numClasses?: number;
    onRepeat?: (repeat: RepeatedEntry) => void;
    onConflict?: (repeat: RepeatedEntry & { firstLabel: number }) => void;
  } = {},
): AsyncGenerator<ImageListEntry> {
  const { numClasses, onRepeat, onConflict } = options;
  const lines = readline.createInterface({ input: fs.createReadStream(listFile, 'utf8'), crlfDelay: Infinity });
  // Normalised path -> label * 2^32 + line of its first entry.
  const seen = new Map<string, number>();
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = raw.trim();
    if (text === '') continue;
    const m = LINE.exec(text);
    if (!m) throw new DataFormatError(listFile, `line ${line}`, '"<relative/path> <integer label>"', JSON.stringify(text.slice(0, 200)));
    const label = Number(m[2]);
    if (numClasses !== undefined && label >= numClasses) {
      throw new DataFormatError(listFile, `line ${line}`, `a label in 0..${numClasses - 1}`, `${label}`);
    }
    if (path.isAbsolute(m[1]) || m[1].split(/[\\/]/).includes('..')) {
      throw new DataFormatError(listFile, `line ${line}`, 'a path relative to the image root, without ".."', JSON.stringify(m[1]));
    }
    const key = path.posix.normalize(m[1].replace(/\\/g, '/'));
    const first = seen.get(key);
    if (first === undefined) seen.set(key, label * 2 ** 32 + line);
    else {
      const firstLabel = Math.floor(first / 2 ** 32);
      const firstLine = first % 2 ** 32;
      if (firstLabel !== label && onConflict) onConflict({ entry: { path: m[1], label, line }, firstLine, firstLabel });
      else if (firstLabel !== label) {
        throw new DataFormatError(
          listFile,
          `line ${line}`,
          `one label per image (line ${firstLine} lists ${JSON.stringify(key)} with label ${firstLabel})`,
          `label ${label} for the same image`,
        );
      }
      else onRepeat?.({ entry: { path: m[1], label, line }, firstLine });
    }
    yield { path: m[1], label, line };
  }
}

export interface LoadImageListOptions {
  listFile: string;
  /** Folder the list's paths are relative to. */
  root: string;
  numClasses: number;
  /** Output side (square), default 224. */
  size?: number;
  /** Shorter side after the first resize, before the centre crop; default round(size / 0.875) (256 for 224). */
  resizeShorter?: number;
  /** 3 (default) or 1. */
  channels?: 1 | 3;
  classNames?: string[];
  /** Called every `progressEvery` images (default 1000) with (done, total so far). */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

/**
 * Decodes every listed image, resizes its shorter side and centre-crops it to size x size, into one
 * in-memory ImageSet. Meant for subsets and small sizes (ImageNet-LT at 224 px needs ~17 GB);
 * for the full sets read entries with `readImageList` and decode lazily with `loadListedImage`.
 * A missing or undecodable image throws a DataFormatError naming the list line and the image.
 */
export async function loadImageList(options: LoadImageListOptions): Promise<ImageSet> {
  const { listFile, root, numClasses, size = 224, channels = 3, classNames, onProgress, progressEvery = 1000 } = options;
  const resizeShorter = options.resizeShorter ?? Math.round(size / 0.875);
  if (!Number.isInteger(size) || size < 1) throw new Error(`loadImageList: size must be a positive integer; got ${size}`);
  if (!Number.isInteger(resizeShorter) || resizeShorter < size) throw new Error(`loadImageList: resizeShorter must be an integer >= size ${size}; got ${resizeShorter}`);
  const imageSize = size * size * channels;
  let pixels = new Uint8Array(imageSize * 64);
  const labels: number[] = [];
  for await (const entry of readImageList(listFile, { numClasses })) {
    const image = loadListedImage({ listFile, root, entry, size, resizeShorter, channels });
    if ((labels.length + 1) * imageSize > pixels.length) {
      const grown = new Uint8Array(pixels.length * 2);
      grown.set(pixels);
      pixels = grown;
    }
    pixels.set(image, labels.length * imageSize);
    labels.push(entry.label);
    if (onProgress && labels.length % progressEvery === 0) onProgress(labels.length);
  }
  if (labels.length === 0) throw new DataFormatError(listFile, 'line 1', 'at least one "<relative/path> <integer label>" entry', 'an empty list');
  const set: ImageSet = {
    pixels: pixels.slice(0, labels.length * imageSize),
    labels: Int32Array.from(labels),
    height: size,
    width: size,
    channels,
    numClasses,
  };
  if (classNames) set.classNames = classNames.slice();
  return set;
}

/** Reads, decodes, resizes and crops one listed image: [size, size, channels] uint8. */
export function loadListedImage(options: {
  listFile: string;
  root: string;
  entry: ImageListEntry;
  size: number;
  resizeShorter: number;
  channels?: 1 | 3;
}): Uint8Array {
  const { listFile, root, entry, size, resizeShorter, channels = 3 } = options;
  const file = path.join(root, entry.path);
  let bytes: Buffer;
  try {
    insideRoot(file, root);
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new DataFormatError(listFile, `line ${entry.line}`, `a readable image at ${file}`, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  let decoded;
  try {
    decoded = decodeImage(bytes, { channels });
  } catch (err) {
    throw new DataFormatError(file, 'byte 0', `a valid JPEG or PNG image (listed at ${listFile} line ${entry.line})`, (err as Error).message);
  }
  return resizeAndCenterCrop(decoded, { shorter: resizeShorter, crop: size }).data;
}

/**
 * Throws unless `file`, with every symbolic link resolved, lies inside `root` (also resolved): a
 * list entry that is a link out of the image root is refused.
 */
export function insideRoot(file: string, root: string): void {
  const real = fs.realpathSync(file);
  const realRoot = fs.realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new Error(`a symbolic link to ${real}, outside the image root ${realRoot}`);
  }
}

// checkImageList (checking a user's folder against a list) lives in check-image-list.ts.
