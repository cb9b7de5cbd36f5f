/**
 * IDX files (MNIST / Fashion-MNIST), plain or gzip-compressed. Format: two zero bytes, a type byte
 * (0x08 = unsigned byte, the only one these datasets use), the number of dimensions, then each
 * dimension as a big-endian uint32, then the data row-major.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { DataFormatError } from './format-error';
import type { ImageSet } from './types';
import { writeFileAtomic } from '../util/atomic-write';
import { checkFile, readFileChecked } from '../util/read-file';

/** Contents of one IDX file of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;
const MAX_ELEMENTS = 2 ** 31 - 1;

/** Incremental parser: feed chunks as they arrive (streaming) or the whole file at once. */
class IdxParser {
  // Plain Uint8Array (no Buffer): the same parser reads the embedded set in the browser book.
  private header = new Uint8Array(0);
  private dims: number[] | null = null;
  private data: Uint8Array | null = null;
  private filled = 0;
  private offset = 0; // bytes of (decompressed) input seen so far

  constructor(private readonly file: string) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    // The header's length is known only after its 4th byte, so it may take two rounds.
    while (this.dims === null) {
      if (at >= chunk.length) return;
      const take = Math.min(chunk.length - at, this.headerBytesWanted() - this.header.length);
      const grown = new Uint8Array(this.header.length + take);
      grown.set(this.header);
      grown.set(chunk.subarray(at, at + take), this.header.length);
      this.header = grown;
      at += take;
      this.offset += take;
      this.tryParseHeader();
    }
    const data = this.data as Uint8Array;
    const rest = chunk.length - at;
    if (this.filled + rest > data.length) {
      throw new DataFormatError(this.file, `byte ${this.offset + (data.length - this.filled)}`,
        `the end of the data (dims [${(this.dims as number[]).join(', ')}] make ${data.length} data bytes)`, 'more bytes');
    }
    data.set(chunk.subarray(at), this.filled);
    this.filled += rest;
    this.offset += rest;
  }

  finish(): IdxArray {
    if (this.dims === null) {
      throw new DataFormatError(this.file, `byte ${this.offset}`, `a complete IDX header (${this.headerBytesWanted()} bytes)`, 'the end of the file');
    }
    const data = this.data as Uint8Array;
    if (this.filled < data.length) {
      throw new DataFormatError(this.file, `byte ${this.offset}`,
        `${data.length} data bytes after the header (dims [${this.dims.join(', ')}])`, `the end of the file after ${this.filled} (truncated)`);
    }
    return { dims: this.dims, data };
  }

  private headerBytesWanted(): number {
    return this.header.length >= 4 ? 4 + 4 * this.header[3] : 4;
  }

  private tryParseHeader(): void {
    const h = this.header;
    if (h.length < 4) return;
    if (h[0] !== 0 || h[1] !== 0) {
      throw new DataFormatError(this.file, 'byte 0', 'IDX magic number 0x0000 in the first two bytes', `0x${Array.from(h.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join('')}`);
    }
    if (h[2] !== UBYTE) throw new DataFormatError(this.file, 'byte 2', 'IDX data type 0x08 (unsigned byte)', `0x${h[2].toString(16).padStart(2, '0')}`);
    if (h[3] < 1) throw new DataFormatError(this.file, 'byte 3', 'at least one dimension', '0');
    if (h.length < this.headerBytesWanted()) return;
    const dims: number[] = [];
    let total = 1;
    for (let k = 0; k < h[3]; k++) {
      const d = new DataView(h.buffer, h.byteOffset, h.byteLength).getUint32(4 + 4 * k, false);
      dims.push(d);
      total *= d;
    }
    if (total > MAX_ELEMENTS) throw new DataFormatError(this.file, 'byte 4', `dimensions whose product fits in memory (< 2^31)`, `[${dims.join(', ')}]`);
    this.dims = dims;
    this.data = new Uint8Array(total);
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses the bytes of a whole, uncompressed IDX file (`file` names it in errors). No file system:
 * the browser book parses the embedded set with it after fetching and gunzipping the files.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const parser = new IdxParser(file);
  parser.push(bytes);
  return parser.finish();
}

/** Reads a whole IDX file at once (plain or .gz, detected from its first bytes). For small files. */
export function readIdxSync(file: string): IdxArray {
  let bytes: Buffer = readFileChecked(file, 'readIdxSync', 'an IDX file (plain or .gz)');
  if (isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (err) {
      throw new DataFormatError(file, `compressed byte ${bytes.length}`, 'a complete, valid gzip stream', (err as Error).message);
    }
  }
  return parseIdx(bytes, file);
}

/** Reads an IDX file (plain or .gz) as a stream, holding only the decoded data in memory. */
export async function readIdx(file: string): Promise<IdxArray> {
  checkFile(file, 'readIdx', 'an IDX file (plain or .gz)');
  const fd = await fs.promises.open(file, 'r');
  const magic = Buffer.alloc(2);
  await fd.read(magic, 0, 2, 0);
  await fd.close();
  const parser = new IdxParser(file);
  const source = fs.createReadStream(file);
  const gzip = isGzip(magic);
  const stream = gzip ? source.pipe(zlib.createGunzip()) : source;
  try {
    await new Promise<void>((resolve, reject) => {
      source.on('error', reject);
      stream.on('error', (err: Error) =>
        reject(err instanceof DataFormatError ? err : new DataFormatError(file, `compressed byte ${source.bytesRead}`, 'a complete, valid gzip stream', err.message)));
      stream.on('data', (chunk: Buffer) => {
        try {
          parser.push(chunk);
        } catch (err) {
          stream.destroy();
          source.destroy();
          reject(err);
        }
      });
      stream.on('end', resolve);
    });
  } finally {
    source.destroy();
  }
  return parser.finish();
}

/** Writes an IDX file of unsigned bytes (gzip-compressed when `gzip`), atomically. */
export function writeIdxSync(file: string, array: IdxArray, options: { gzip?: boolean } = {}): void {
  const { dims, data } = array;
  const total = dims.reduce((a, b) => a * b, 1);
  if (dims.length < 1 || dims.length > 255 || total !== data.length) {
    throw new Error(`writeIdxSync: dims [${dims.join(', ')}] must have 1..255 entries whose product equals data.length ${data.length}`);
  }
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = UBYTE;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  const raw = Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  // mtime 0 in the gzip header keeps the output byte-identical across runs (committed files).
  writeFileAtomic(file, options.gzip ? zlib.gzipSync(raw, { level: 9 }) : raw);
}

export interface IdxImageSetOptions {
  /** IDX of images [count, height, width] (grey) or [count, height, width, channels]. */
  imagesFile: string;
  /** IDX of labels [count]. */
  labelsFile: string;
  numClasses: number;
  classNames?: string[];
}

/** Pairs an IDX image file with its label file into an ImageSet (sync; gzip or plain). */
export function readIdxImageSetSync(options: IdxImageSetOptions): ImageSet {
  return idxToImageSet(readIdxSync(options.imagesFile), readIdxSync(options.labelsFile), options);
}

/** Streaming version of `readIdxImageSetSync`. */
export async function readIdxImageSet(options: IdxImageSetOptions): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdx(options.imagesFile), readIdx(options.labelsFile)]);
  return idxToImageSet(images, labels, options);
}

/** Pairs parsed IDX images [count, h, w(, c)] with their labels [count]; the files in `options` name them in errors. */
export function idxToImageSet(images: IdxArray, labels: IdxArray, options: IdxImageSetOptions): ImageSet {
  const { imagesFile, labelsFile, numClasses, classNames } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 256) {
    throw new Error(`readIdxImageSet: numClasses must be an integer in 1..256; got ${numClasses}`);
  }
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new DataFormatError(imagesFile, 'byte 3', '3 or 4 dimensions ([count, height, width(, channels)])', `${images.dims.length}`);
  }
  if (labels.dims.length !== 1) throw new DataFormatError(labelsFile, 'byte 3', '1 dimension ([count])', `${labels.dims.length}`);
  const [count, height, width, channels = 1] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataFormatError(labelsFile, 'byte 4', `${count} labels (the image count of ${imagesFile})`, `${labels.dims[0]}`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = labels.data[i];
    if (y >= numClasses) throw new DataFormatError(labelsFile, `byte ${8 + i} (label ${i})`, `a label in 0..${numClasses - 1}`, `${y}`);
    out[i] = y;
  }
  const set: ImageSet = { pixels: images.data, labels: out, height, width, channels, numClasses };
  if (classNames) set.classNames = classNames.slice();
  return set;
}
