/**
 * The book's live cells run the library itself in the page: this bundles src/book/browser/main.ts
 * (which imports src/index.ts, TensorFlow.js with its wasm, WebGL and WebGPU backends, and Sucrase
 * to strip TypeScript types from edited cells) into one script with esbuild. What only Node has is
 * replaced, never reimplemented: `path` by a POSIX string shim and `process` by a small global
 * (browser/shims/); every other Node built-in and the Node-only packages (sharp, danfojs-node,
 * pngjs, ...) become modules whose functions throw "<module>.<name> is not available in the
 * browser", so the page loads and only a cell that reads files fails, saying why.
 */
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import { readEnvironmentSwitch } from '../util/environment';

/** Packages that need Node (native addons, file systems, the tslab kernel); stubbed in the page. */
export const NODE_ONLY_PACKAGES = ['danfojs-node', 'sharp', 'pngjs', 'jpeg-js', 'tar', 'webgpu', 'tslab', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

const STUB_NAMESPACE = 'rescom-node-stub';

/** The export names of a Node built-in or package (so `import { x }` and `import * as m` both resolve). */
function moduleExports(name: string, repoDir: string): string[] {
  try {
    const mod = createRequire(path.join(repoDir, 'package.json'))(name) as Record<string, unknown>;
    return Object.keys(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  } catch {
    return [];
  }
}

/** An ES module whose every export throws "<name>.<export> is not available in the browser" when called or constructed. */
export function unavailableModule(name: string, exports: string[]): string {
  const lines = [
    `const unavailable = (what) => { const fail = function () { throw new Error(what + ' is not available in the browser (the live book has no file system, processes or native addons); run this cell in Node (npm run notebooks:run or Jupyter)'); };`,
    `  return new Proxy(fail, { get: (_, key) => (key === 'prototype' ? {} : fail), apply: fail, construct: fail }); };`,
    ...exports.map((e) => `export const ${e} = unavailable(${JSON.stringify(`${name}.${e}`)});`),
    `export default unavailable(${JSON.stringify(name)});`,
  ];
  return lines.join('\n');
}

export interface LiveBundleOptions {
  /** Repository root (src/, node_modules/). */
  repoDir: string;
  /** The bundle file to write. */
  outFile: string;
  /** Minify (default true). */
  minify?: boolean;
}

/** Bundles the live runtime with the library; returns the bundle's size in bytes. */
export async function buildLiveBundle(options: LiveBundleOptions): Promise<number> {
  const { repoDir } = options;
  const entry = path.join(repoDir, 'src', 'book', 'browser', 'main.ts');
  if (!fs.existsSync(entry)) throw new Error(`buildLiveBundle: ${entry} is missing; the live book is built from the repository's src/`);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = createRequire(path.join(repoDir, 'package.json'))('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error('buildLiveBundle: esbuild is not installed (a devDependency): run npm ci');
  }
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const shims = path.join(repoDir, 'src', 'book', 'browser', 'shims');
  const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outfile: options.outFile,
    minify: options.minify ?? readEnvironmentSwitch('RESCOM_BOOK_MINIFY', 'liveBundle', true),
    legalComments: 'eof',
    logLevel: 'silent',
    inject: [path.join(shims, 'process.ts')],
    define: { __dirname: '"/"', __filename: '"/index.js"', global: 'globalThis' },
    plugins: [
      {
        name: 'node-only',
        setup(build) {
          build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: path.join(shims, 'path.ts') }));
          // One copy of each TensorFlow.js package, its ES module build: the library's
          // require('@tensorflow/tfjs-backend-webgpu') would otherwise pull the CommonJS builds and a
          // second tfjs-core whose tensors the first cannot handle.
          build.onResolve({ filter: /^@tensorflow\/tfjs(-[a-z-]+)?$/ }, (args) => {
            if (NODE_ONLY_PACKAGES.includes(args.path)) return undefined;
            const dir = path.join(repoDir, 'node_modules', args.path);
            const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { module?: string; main?: string };
            return { path: path.join(dir, manifest.module ?? manifest.main ?? 'index.js') };
          });
          build.onResolve({ filter: /.*/ }, (args) => {
            const base = args.path.replace(/^node:/, '').split('/')[0];
            if (builtins.has(args.path) || builtins.has(base) || NODE_ONLY_PACKAGES.includes(packageOf(args.path))) {
              return { path: args.path, namespace: STUB_NAMESPACE };
            }
            return undefined;
          });
          build.onLoad({ filter: /.*/, namespace: STUB_NAMESPACE }, (args) => {
            // node:crypto keeps its sha256 (the library names data subsets by one, synchronously).
            const crypto = /^(node:)?crypto$/.test(args.path);
            const names = moduleExports(args.path, repoDir).filter((e) => !(crypto && e === 'createHash'));
            const shim = crypto ? `\nexport { createHash } from ${JSON.stringify(path.join(shims, 'crypto.ts'))};` : '';
            return { contents: unavailableModule(args.path, names) + shim, loader: 'js', resolveDir: shims };
          });
        },
      },
    ],
  });
  if (result.errors.length > 0) {
    throw new Error(`buildLiveBundle: esbuild failed: ${result.errors.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`).join('; ')}`);
  }
  return fs.statSync(options.outFile).size;
}
