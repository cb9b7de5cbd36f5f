/**
 * The checks a streamed image list gets before anything trains: every listed file exists, lies
 * inside the image root once symbolic links are resolved, and starts with a JPEG or PNG header
 * within the size limits (`checkImageBytes`). Pixels are decoded later, by the workers; a file that
 * passes here but fails to decode is reported then, naming the list line. Each distinct path is
 * checked once (lists may repeat files). Cost: one stat, one realpath and the first 16 KiB of each
 * file (the whole file only when its header lies further in).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError } from '../format-error';
import { checkImageBytes, type ImageLimits } from '../image-header';
import { insideRoot } from '../image-list';
import type { ListImageSet } from './list-set';

const HEAD_BYTES = 16 * 1024;

/** Throws a DataFormatError naming the list file and line of the first bad entry. */
export function verifyListFiles(
  set: ListImageSet,
  limits: ImageLimits = {},
  onProgress?: (done: number, total: number) => void,
): void {
  const { maxBytes = 64 * 1024 * 1024 } = limits;
  const seen = new Set<string>();
  for (let i = 0; i < set.paths.length; i++) {
    if (onProgress && i % 500 === 0 && i > 0) onProgress(i, set.paths.length);
    if (seen.has(set.paths[i])) continue;
    seen.add(set.paths[i]);
    const file = path.join(set.root, set.paths[i]);
    const where = `line ${set.lines[i]}`;
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (error) {
      throw new DataFormatError(set.listFile, where, `an image file at ${file}`, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
    try {
      insideRoot(file, set.root);
    } catch (error) {
      throw new DataFormatError(set.listFile, where, `an image inside the image root ${set.root}`, (error as Error).message);
    }
    if (size > maxBytes) throw new DataFormatError(file, 'byte 0', `an image of at most ${maxBytes} bytes (listed at ${set.listFile} ${where})`, `${size} bytes`);
    try {
      checkImageBytes(readHead(file, Math.min(size, HEAD_BYTES)), { ...limits, maxBytes: Infinity });
    } catch (error) {
      // A JPEG header can sit behind a large metadata block: look again at the whole file.
      let retried: Error | null = error as Error;
      if (size > HEAD_BYTES) {
        try {
          checkImageBytes(fs.readFileSync(file), limits);
          retried = null;
        } catch (again) {
          retried = again as Error;
        }
      }
      if (retried) throw new DataFormatError(file, 'byte 0', `a valid JPEG or PNG image (listed at ${set.listFile} ${where})`, retried.message);
    }
  }
}

function readHead(file: string, bytes: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
