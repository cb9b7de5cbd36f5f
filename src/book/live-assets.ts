/**
 * The live cells' assets, next to the book's others in `assets/`: the bundle (live.js, see
 * live-bundle.ts), TensorFlow.js's wasm binaries (plain and SIMD; the threaded build needs a
 * cross-origin-isolated page, which a plain static server does not give) and the embedded
 * Fashion-MNIST-LT (manifest and the four .gz files, checked by sha256 in the page).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildLiveBundle } from './live-bundle';

export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/** Writes live.js, tfjs/*.wasm and data/fashion-mnist-lt/* under `dir`; returns the files written, relative to `dir`. */
export async function writeLiveAssets(dir: string, repoDir: string): Promise<string[]> {
  const written: string[] = [];
  const copy = (from: string, to: string) => {
    if (!fs.existsSync(from)) throw new Error(`writeLiveAssets: '${from}' is missing; run npm ci (or restore data/ from the repository)`);
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, to));
    written.push(to);
  };
  for (const file of WASM_FILES) copy(path.join(repoDir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', file), path.join('tfjs', file));
  const data = path.join(repoDir, 'data', 'fashion-mnist-lt');
  const manifest = JSON.parse(fs.readFileSync(path.join(data, 'manifest.json'), 'utf8')) as { sha256: Record<string, string> };
  for (const file of ['manifest.json', ...Object.keys(manifest.sha256).sort()]) copy(path.join(data, file), path.join('data', 'fashion-mnist-lt', file));
  if (fs.existsSync(path.join(data, 'LICENSE'))) copy(path.join(data, 'LICENSE'), path.join('data', 'fashion-mnist-lt', 'LICENSE'));
  await buildLiveBundle({ repoDir, outFile: path.join(dir, 'live.js') });
  written.push('live.js');
  return written;
}
