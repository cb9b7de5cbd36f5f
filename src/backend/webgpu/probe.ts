/**
 * A quiet look for a WebGPU adapter, for `auto` backend selection. Loading Dawn in this process
 * prints native lines on stderr that no option silences (without a Vulkan loader: "Couldn't load
 * Vulkan" plus a source location; with one: "maxDynamic... artificially reduced" warnings). So
 * `auto` first checks that a Vulkan loader exists at all, then asks a short child process, whose
 * stderr is captured, what adapter Dawn finds. Dawn is loaded here only once a real GPU is known.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GpuAdapterLike } from './adapter';

const LOADER = 'libvulkan.so.1';
const MULTIARCH: Record<string, string> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** The Vulkan loader's path in the usual library folders (and LD_LIBRARY_PATH), or null. */
export function findVulkanLoader(env: NodeJS.ProcessEnv = process.env): string | null {
  const arch = MULTIARCH[process.arch];
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    ...(arch ? [`/usr/lib/${arch}`, `/lib/${arch}`] : []),
    '/usr/local/lib',
    '/usr/lib64',
    '/lib64',
    '/usr/lib',
    '/lib',
  ];
  for (const dir of dirs) {
    const file = path.join(dir, LOADER);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** What the child process saw: the adapter (null for none), or a one-line reason it failed. */
export function probeAdapterQuietly(timeoutMs = 30_000): GpuAdapterLike | null | string {
  let entry: string;
  try {
    entry = require.resolve('webgpu');
  } catch {
    return 'npm package `webgpu` is not installed (it is an optional dependency: `npm install webgpu@0.6.2`)';
  }
  const script = `
    const dawn = require(${JSON.stringify(entry)});
    const done = (v) => { process.stdout.write(JSON.stringify(v), () => process.exit(0)); };
    dawn.create([]).requestAdapter({ powerPreference: 'high-performance' }).then((a) => {
      if (!a) return done({ adapter: null });
      const i = a.info || {};
      done({ adapter: { info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter }, isFallbackAdapter: a.isFallbackAdapter } });
    }, (e) => done({ error: String(e && e.message || e).split('\\n')[0] }));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const answer = JSON.parse(child.stdout) as { adapter?: GpuAdapterLike | null; error?: string };
    if (answer.error) return `Dawn failed to look for an adapter (${answer.error})`;
    return answer.adapter ?? null;
  } catch {
    return `the WebGPU probe process ended without an answer (exit ${child.status ?? child.signal})`;
  }
}
