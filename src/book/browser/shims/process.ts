/**
 * The `process` global that the library reads, for the browser bundle (injected by
 * src/book/live-bundle.ts). Budgets: full (RESCOM_QUICK=0), as in the committed full edition, unless
 * the page's URL has `?quick=1`. Browsers expose no CPU time: `cpuUsage` reports wall time (one busy
 * thread), so an epoch record's cpuSeconds equals its seconds in the page.
 */
const quick = typeof location !== 'undefined' && new URLSearchParams(location.search).get('quick') === '1';

export const process = {
  env: { RESCOM_QUICK: quick ? '1' : '0' } as Record<string, string | undefined>,
  platform: 'browser',
  version: '',
  versions: {} as Record<string, string>,
  argv: [] as string[],
  cwd: () => '/',
  cpuUsage(previous?: { user: number; system: number }) {
    return { user: performance.now() * 1000 - (previous?.user ?? 0), system: 0 };
  },
  memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
  hrtime: Object.assign((previous?: [number, number]) => {
    const ns = BigInt(Math.round(performance.now() * 1e6)) - (previous ? BigInt(previous[0]) * 1000000000n + BigInt(previous[1]) : 0n);
    return [Number(ns / 1000000000n), Number(ns % 1000000000n)];
  }, { bigint: () => BigInt(Math.round(performance.now() * 1e6)) }),
  on: () => undefined,
  once: () => undefined,
  emitWarning: () => undefined,
  nextTick: (fn: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
  stdout: { write: (s: string) => console.log(s), isTTY: false },
  stderr: { write: (s: string) => console.warn(s), isTTY: false },
};
