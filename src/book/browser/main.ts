/**
 * The live book's page runtime (bundled by src/book/live-bundle.ts into assets/live.js). Each
 * `.live-cell` of a chapter page (src/book/chapter.ts) gets Run / Edit / Reset buttons. The live
 * cells of a page form one program, as in the notebook: running cell k first runs the live cells
 * before it that have not run yet (with their current, possibly edited, text), each showing its
 * outputs and checks. TypeScript types are stripped by Sucrase; the code then runs with the names of
 * scope.ts bound to the library. Opened as a file:// page, the cells say that they need a server.
 * `window.rescomLive` exposes the runs to the browser test (test/book/live-cells.ts).
 */
import { transform } from 'sucrase';
import { fetchEmbeddedFashionMnistLT } from '../../data/fashion-mnist-fetch';
import type { EmbeddedFashionMnistLT } from '../../data/fashion-mnist';
import { startPageBackend, type PageBackendInfo } from './backend';
import { CellOutput, type CellRecord } from './outputs';
import { SCOPE_NAMES, scopeValues } from './scope';

export interface RunResult extends CellRecord {
  id: string;
  ok: boolean;
  /** The error message, and the live cell it came from (this one or an earlier one). */
  error: string | null;
  errorCell: string | null;
  seconds: number;
  backend: string;
}

const script = document.currentScript as HTMLScriptElement | null;
const assetsUrl = script ? script.src.replace(/[^/]*$/, '') : 'assets/';
const params = new URLSearchParams(location.search);
const FILE_MESSAGE =
  'This cell runs in your browser, but only when the book is served over HTTP: browsers refuse to load ' +
  'WebAssembly and data files into a file:// page. In the repository run  npm run book:serve  and open ' +
  'the address it prints (any static web server of the book/ folder works too).';

let backend: Promise<PageBackendInfo> | null = null;
let embedded: Promise<EmbeddedFashionMnistLT> | null = null;
let busy = false;

function liveCells(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('.live-cell'));
}

function codeOf(cell: HTMLElement): string {
  return cell.querySelector<HTMLTextAreaElement>('textarea.live-code')!.value;
}

function strip(code: string, id: string): string {
  try {
    return transform(code, { transforms: ['typescript'], disableESTransforms: true }).code;
  } catch (error) {
    throw new CellError(`syntax error: ${(error as Error).message}`, id);
  }
}

class CellError extends Error {
  constructor(
    message: string,
    readonly cell: string,
  ) {
    super(message);
  }
}

/**
 * The page's program: every live cell's code, in order, in one async function that waits at a gate
 * before each cell. Declarations stay alive between runs, so running the cells top to bottom runs
 * each once; running an earlier cell again, or a cell after an edited one, starts a new program
 * (the cells before it run again first, showing their outputs again).
 */
interface Program {
  texts: string[];
  /** Where each cell's outputs go (replaced when the cell runs again). */
  outputs: CellOutput[];
  /** Index of the next cell to run (all before it have run). */
  next: number;
  /** The last cell the current request runs. */
  stopAt: number;
  /** Lets the waiting cell run; null while running. */
  release: (() => void) | null;
  /** Resolves when the program waits at a gate or ends; rejects with a CellError. Re-armed per request. */
  settled: Promise<void>;
  settle: () => void;
  fail: (error: unknown) => void;
  dead: boolean;
}

let program: Program | null = null;

function arm(p: Program): void {
  p.settled = new Promise<void>((resolve, reject) => {
    p.settle = resolve;
    p.fail = reject;
  });
  // A request that nobody awaits (never here) must not surface as an unhandled rejection.
  p.settled.catch(() => undefined);
}

function startProgram(cells: HTMLElement[], info: PageBackendInfo, data: () => EmbeddedFashionMnistLT | null, outputs: CellOutput[], stopAt: number): Program {
  const texts = cells.map(codeOf);
  const ids = cells.map((c) => c.dataset.liveId!);
  const body = texts.map((code, i) => `await __gate(${i});\n${strip(code, ids[i])}`).join('\n;\n');
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
  const fn = new AsyncFunction('__gate', ...SCOPE_NAMES, body);
  const p: Program = { texts, outputs, next: 0, stopAt, release: null, settled: Promise.resolve(), settle: () => undefined, fail: () => undefined, dead: false };
  arm(p);
  const gate = (i: number) => {
    p.next = i;
    if (i <= p.stopAt) return Promise.resolve();
    return new Promise<void>((resolve) => {
      p.release = () => {
        p.release = null;
        resolve();
      };
      p.settle();
    });
  };
  fn(gate, ...scopeValues({ output: () => p.outputs[Math.min(p.next, p.outputs.length - 1)], backend: info, embedded: data })).then(
    () => {
      p.next = texts.length;
      p.dead = true;
      p.settle();
    },
    (error) => {
      p.dead = true;
      const e = error as Error;
      // The whole error, stack included, for the browser's developer tools.
      console.warn(`live cell '${ids[p.next]}' failed:`, e);
      p.fail(new CellError(`${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`, ids[p.next]));
    },
  );
  return p;
}

/** Runs live cell `id` (and, first, the cells before it that have not run; see `Program`). */
export async function runCell(id: string): Promise<RunResult> {
  const cells = liveCells();
  const k = cells.findIndex((c) => c.dataset.liveId === id);
  if (k < 0) throw new Error(`runCell: no live cell '${id}' on this page`);
  const started = performance.now();
  const info = await (backend ??= startPageBackend(assetsUrl, params.get('backend')));
  const ids = cells.map((c) => c.dataset.liveId!);
  const texts = cells.map(codeOf);
  const old = program;
  const reusable = old !== null && !old.dead && old.next <= k && texts.every((t, i) => t === old.texts[i]);
  const first = reusable ? old.next : 0;
  const fresh = (i: number) => {
    const root = cells[i].querySelector<HTMLElement>('.live-output')!;
    root.replaceChildren();
    root.hidden = false;
    cells[i].classList.add('ran');
    return new CellOutput(root, true);
  };
  const outputs = cells.map((cell, i) => (i >= first && i <= k ? fresh(i) : (old?.outputs[i] ?? new CellOutput(null, false))));
  const result = (ok: boolean, error: string | null, errorCell: string | null): RunResult => ({
    id,
    ok,
    error,
    errorCell,
    seconds: (performance.now() - started) / 1000,
    backend: info.line,
    ...outputs[k].record,
  });
  try {
    let p: Program;
    if (reusable) {
      p = old;
      p.outputs = outputs;
      arm(p);
    } else {
      let data: EmbeddedFashionMnistLT | null = null;
      if (texts.some((c) => c.includes('loadEmbeddedFashionMnistLT'))) {
        data = await (embedded ??= fetchEmbeddedFashionMnistLT({ baseUrl: `${assetsUrl}data/fashion-mnist-lt/` }));
      }
      p = startProgram(cells, info, () => data, outputs, k);
    }
    program = p;
    p.stopAt = k;
    p.release?.();
    await p.settled;
    return result(true, null, null);
  } catch (error) {
    program = null;
    const cell = error instanceof CellError ? error.cell : id;
    const message = (error as Error).message;
    outputs[Math.max(0, ids.indexOf(cell))].error(message);
    if (cell !== id) outputs[k].error(`An earlier live cell ('${cell}') failed, so this one did not run.`);
    return result(false, message, cell);
  }
}

function setStatus(cell: HTMLElement, text: string, state: 'idle' | 'running' | 'ok' | 'failed'): void {
  const status = cell.querySelector<HTMLElement>('.live-status')!;
  status.textContent = text;
  status.dataset.state = state;
}

async function onRun(cell: HTMLElement): Promise<void> {
  if (busy) return;
  busy = true;
  const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('.live-run'));
  buttons.forEach((b) => (b.disabled = true));
  setStatus(cell, 'running…', 'running');
  try {
    const r = await runCell(cell.dataset.liveId!);
    const passed = r.claims.filter((c) => c.passed).length;
    setStatus(cell, r.ok ? `ran in ${r.seconds.toFixed(1)} s on ${r.backend.split(' ')[0].replace('backend=', '')}${passed ? `; ${passed} checks passed` : ''}` : 'failed (see below)', r.ok ? 'ok' : 'failed');
    results[r.id] = r;
  } catch (error) {
    setStatus(cell, `could not run: ${(error as Error).message}`, 'failed');
  } finally {
    busy = false;
    buttons.forEach((b) => (b.disabled = false));
  }
}

function edit(cell: HTMLElement, on: boolean): void {
  cell.classList.toggle('editing', on);
  const area = cell.querySelector<HTMLTextAreaElement>('textarea.live-code')!;
  area.hidden = !on;
  cell.querySelector<HTMLElement>('pre.code')!.hidden = on;
  if (on) {
    area.style.height = `${Math.max(area.scrollHeight + 4, 80)}px`;
    area.focus();
  }
}

const results: Record<string, RunResult> = {};

function wire(): void {
  const cells = liveCells();
  const banner = document.querySelector<HTMLElement>('.live-banner');
  if (location.protocol === 'file:') {
    for (const cell of cells) {
      setStatus(cell, '', 'idle');
      cell.querySelectorAll<HTMLButtonElement>('button').forEach((b) => (b.disabled = true));
      const note = cell.querySelector<HTMLElement>('.live-file-note')!;
      note.textContent = FILE_MESSAGE;
      note.hidden = false;
    }
    if (banner) banner.textContent = `This page has ${cells.length} live cell(s). ${FILE_MESSAGE}`;
    return;
  }
  for (const cell of cells) {
    cell.querySelector('.live-run')!.addEventListener('click', () => void onRun(cell));
    cell.querySelector('.live-edit')!.addEventListener('click', () => edit(cell, !cell.classList.contains('editing')));
    cell.querySelector('.live-reset')!.addEventListener('click', () => {
      const area = cell.querySelector<HTMLTextAreaElement>('textarea.live-code')!;
      area.value = area.defaultValue;
      edit(cell, false);
      setStatus(cell, 'reset to the chapter\'s code', 'idle');
    });
    cell.querySelector<HTMLTextAreaElement>('textarea.live-code')!.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey)) {
        e.preventDefault();
        void onRun(cell);
      }
    });
  }
  if (banner) {
    banner.textContent = `This page has ${cells.length} live cell(s): press Run to execute them here, in your browser, on TensorFlow.js; Edit to change the code. Starting the backend…`;
    backend ??= startPageBackend(assetsUrl, params.get('backend'));
    backend.then(
      (info) => {
        banner.textContent = `This page has ${cells.length} live cell(s): press Run to execute them here, in your browser; Edit to change the code (Shift+Enter runs). They run the library itself on TensorFlow.js: ${info.line}.${info.skipped.length ? ` Not used: ${info.skipped.join('; ')}.` : ''}`;
        banner.dataset.backend = info.name;
      },
      (error) => {
        banner.textContent = `Live cells cannot run in this browser: ${(error as Error).message}`;
        banner.dataset.backend = 'none';
      },
    );
  }
}

(globalThis as unknown as { rescomLive: unknown }).rescomLive = {
  runCell,
  results,
  cells: () => liveCells().map((c) => c.dataset.liveId),
  backend: () => (backend ??= startPageBackend(assetsUrl, params.get('backend'))),
};
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
else wire();
