/**
 * The embedded long-tailed Fashion-MNIST over HTTP, for the browser book (src/book/browser/): the
 * same manifest, the same sha256 checks and the same IDX parser as `loadEmbeddedFashionMnistLT`,
 * with the web platform's `fetch`, `crypto.subtle` and `DecompressionStream` (all three also exist in
 * Node 18+, where the tests call it against a local server).
 */
import { embeddedFashionMnistFromIdx, FASHION_MNIST_FILES, type EmbeddedFashionMnistLT, type EmbeddedManifest } from './fashion-mnist';
import { parseIdx } from './idx';

export interface FetchEmbeddedOptions {
  /** URL of the folder holding manifest.json and the four .gz files (a trailing '/' is optional). */
  baseUrl: string;
  /** Default: the global `fetch`. */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}

const fn = 'fetchEmbeddedFashionMnistLT';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function gunzip(bytes: Uint8Array, url: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`${fn}: ${url} is not a valid gzip stream (${(error as Error).message})`);
  }
}

/** Fetches, verifies (sha256 against the manifest) and parses the embedded set. */
export async function fetchEmbeddedFashionMnistLT(options: FetchEmbeddedOptions): Promise<EmbeddedFashionMnistLT> {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '') {
    throw new Error(`${fn}: options.baseUrl must be the URL of the data folder; got ${String(options?.baseUrl)}`);
  }
  const get = options.fetch ?? ((url: string) => fetch(url));
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const bytesOf = async (name: string): Promise<Uint8Array> => {
    const response = await get(base + name);
    if (!response.ok) throw new Error(`${fn}: ${base + name} answered HTTP ${response.status}; expected the file of the embedded set`);
    return new Uint8Array(await response.arrayBuffer());
  };
  let manifest: EmbeddedManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await bytesOf('manifest.json'))) as EmbeddedManifest;
  } catch (error) {
    throw new Error(`${fn}: ${base}manifest.json is not the manifest of the embedded set (${(error as Error).message})`);
  }
  if (!manifest?.sha256 || !Array.isArray(manifest.trainClassCounts) || !Array.isArray(manifest.classNames)) {
    throw new Error(`${fn}: ${base}manifest.json lacks sha256, trainClassCounts or classNames`);
  }
  const idx = async (name: string) => {
    const bytes = await bytesOf(name);
    const actual = await sha256Hex(bytes);
    if (actual !== manifest.sha256[name]) {
      throw new Error(`${fn}: ${base + name} has sha256 ${actual}; the manifest expects ${manifest.sha256[name]}`);
    }
    return parseIdx(await gunzip(bytes, base + name), base + name);
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    idx(FASHION_MNIST_FILES.trainImages),
    idx(FASHION_MNIST_FILES.trainLabels),
    idx(FASHION_MNIST_FILES.testImages),
    idx(FASHION_MNIST_FILES.testLabels),
  ]);
  return embeddedFashionMnistFromIdx({ manifest, where: base, trainImages, trainLabels, testImages, testLabels });
}
