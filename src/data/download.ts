/**
 * Fetching and verifying dataset files for the data-scripts: downloads stream into a temporary
 * file beside the target, are checked against a published checksum, and only then renamed into
 * place; a failed or interrupted download leaves nothing half-written.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import * as tar from 'tar';
import { removeStaleTemporaries, tempPathFor } from '../util/atomic-write';

export interface Checksum {
  md5?: string;
  sha256?: string;
}

/** Hex digest of a file, read as a stream. */
export async function fileDigest(file: string, algorithm: 'md5' | 'sha1' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Throws unless the file matches every checksum given (at least one is required). */
export async function verifyFile(file: string, checksum: Checksum): Promise<void> {
  const entries = Object.entries(checksum).filter(([, v]) => v) as ['md5' | 'sha256', string][];
  if (entries.length === 0) throw new Error(`verifyFile: checksum must give md5 or sha256 for ${file}; got none`);
  for (const [algorithm, expected] of entries) {
    const actual = await fileDigest(file, algorithm);
    if (actual !== expected.toLowerCase()) {
      throw new Error(`verifyFile: ${file} has ${algorithm} ${actual}; expected ${expected} (a corrupt or different file)`);
    }
  }
}

export interface FetchVerifiedOptions {
  url: string;
  /** Final path; written only once verified. */
  dest: string;
  checksum: Checksum;
  /** Injected for tests; default the global fetch. */
  fetchImpl?: typeof fetch;
  /** Called with (bytes received, total or null) at most every ~1 MB. */
  onProgress?: (received: number, total: number | null) => void;
  /** Notes (a partial download of a killed run removed); default stderr. */
  log?: ((line: string) => void) | null;
}

/**
 * Downloads `url` to `dest` through a temporary file, verifies the checksum, renames. A network
 * failure throws an Error saying how to supply the file by hand (`--from <file>`).
 */
export async function downloadVerified(options: FetchVerifiedOptions): Promise<void> {
  const { url, dest, checksum, fetchImpl = fetch, onProgress } = options;
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  // A download killed mid-way (kill -9) leaves its temporary file; it is never renamed into place.
  const stale = removeStaleTemporaries(dest);
  if (stale.length > 0) log?.(`downloadVerified: removed the partial download of an interrupted run: ${stale.join(', ')}; downloading ${url} again`);
  const temp = tempPathFor(dest);
  const manual = `Download it on a machine that can reach it, then rerun with --from <that file> (it is verified the same way), or place it at ${dest}.`;
  try {
    let response: Response;
    try {
      response = await fetchImpl(url);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`downloadVerified: could not reach ${url} (${cause?.code ?? cause?.message ?? (err as Error).message}). ${manual}`);
    }
    if (!response.ok || !response.body) throw new Error(`downloadVerified: ${url} answered HTTP ${response.status}. ${manual}`);
    const total = Number(response.headers.get('content-length')) || null;
    let received = 0;
    let reported = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (onProgress && received - reported >= 2 ** 20) {
        reported = received;
        onProgress(received, total);
      }
    });
    const out = fs.createWriteStream(temp);
    try {
      await pipeline(body, out);
    } catch (err) {
      // pipeline destroys `out`, but its file may still be opening: wait until it is closed, or the
      // removal below runs first and the late open leaves an empty temporary file behind.
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      throw new Error(`downloadVerified: the download of ${url} broke off after ${received} bytes (${(err as Error).message}). ${manual}`);
    }
    await verifyFile(temp, checksum);
    fs.renameSync(temp, dest);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Copies a local file (e.g. downloaded elsewhere) to `dest` through a temporary file, verifying it first. */
export async function installVerified(options: { source: string; dest: string; checksum: Checksum }): Promise<void> {
  const { source, dest, checksum } = options;
  if (!fs.existsSync(source)) throw new Error(`installVerified: source ${source} does not exist`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const temp = tempPathFor(dest);
  try {
    fs.copyFileSync(source, temp);
    await verifyFile(temp, checksum);
    fs.renameSync(temp, dest);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Extracts a .tar.gz into `dest` (a folder) through a temporary folder renamed at the end, so a
 * broken archive leaves no partial folder. `dest` must not exist yet.
 */
export async function extractTarGz(options: { archive: string; dest: string }): Promise<void> {
  const { archive, dest } = options;
  if (fs.existsSync(dest)) throw new Error(`extractTarGz: dest ${dest} already exists; remove it first`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const temp = tempPathFor(dest);
  fs.mkdirSync(temp);
  try {
    await tar.x({ file: archive, cwd: temp, strict: true });
    fs.renameSync(temp, dest);
  } catch (err) {
    throw new Error(`extractTarGz: could not extract ${archive}: ${(err as Error).message}`);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
