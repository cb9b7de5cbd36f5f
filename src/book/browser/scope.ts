/**
 * The names a live cell may use, bound to the library bundled into the page. They are the names
 * the chapters' import cells give in the notebook (`rc`, `tf`, `budget`, `showTable`, `claim`, ...),
 * so one cell text runs in Jupyter and in the page. Outputs go to the run's `CellOutput`; the
 * embedded data set comes from the page's fetch (the page has no file system).
 */
import * as library from '../../index';
import { liveFigure as notebookLiveFigure, type LiveFigure } from '../../notebook/live-figure';
import { claim, claimRange, claimTrue } from '../../notebook/claim';
import { assertClose, CHECK_LINE, check } from '../../notebook/check';
import { budget, quickMode } from '../../notebook/quick-mode';
import { showTable } from '../../notebook/show-table';
import { showFigure, type FigureLike } from '../../viz/show';
import type { EmbeddedFashionMnistLT } from '../../data/fashion-mnist';
import type { CellOutput } from './outputs';
import type { PageBackendInfo } from './backend';

/** The parameter names of a cell's function, in order (the values come from `scopeValues`). */
export const SCOPE_NAMES = [
  'rc',
  'tf',
  'budget',
  'quickMode',
  'check',
  'assertClose',
  'showTable',
  'showFigure',
  'liveFigure',
  'claim',
  'claimRange',
  'claimTrue',
  'console',
] as const;

export interface ScopeContext {
  /** Where the current cell's outputs go (switched between the silent prelude and the cell run). */
  output: () => CellOutput;
  backend: PageBackendInfo;
  /** The embedded set, fetched before the run when a cell uses it; null otherwise. */
  embedded: () => EmbeddedFashionMnistLT | null;
}

function repaint(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The values of SCOPE_NAMES for one run. */
export function scopeValues(ctx: ScopeContext): unknown[] {
  const out = ctx.output;
  const print = (...args: unknown[]) =>
    out().log(args.map((a) => (typeof a === 'string' ? a : typeof a === 'number' ? String(a) : safeJson(a))).join(' '));
  const pageConsole = { ...console, log: print, info: print, warn: print, error: print };
  const record = (kind: 'claim' | 'claimRange' | 'claimTrue', text: string, value?: number) => (line: string) =>
    out().check({ kind, text, value, passed: true, detail: /\((.*)\)$/.exec(line.slice(`CLAIM OK: ${text}`.length))?.[1] });
  const failed = (kind: 'claim' | 'claimRange' | 'claimTrue', text: string, value: number | undefined, error: unknown) => {
    out().check({ kind, text, value, passed: false, detail: (error as Error).message });
    throw error;
  };
  const data = {
    ...library.data,
    loadEmbeddedFashionMnistLT: () => {
      const set = ctx.embedded();
      if (!set) throw new Error('loadEmbeddedFashionMnistLT: the page did not fetch the embedded set (reload the page)');
      return set;
    },
  };
  const rc = {
    ...library,
    data,
    selectBackend: async () => ({ name: ctx.backend.name, line: ctx.backend.line }),
  };
  return [
    rc,
    library.tf,
    budget,
    quickMode,
    (name: string, test: () => unknown) =>
      check(name, test, {
        print: (line) => {
          const m = CHECK_LINE.exec(line);
          out().check({ kind: 'check', text: name, passed: m?.[1] === 'PASS', detail: m?.[3] });
        },
      }),
    assertClose,
    (rows: Parameters<typeof showTable>[0], options: Parameters<typeof showTable>[1] = {}) =>
      showTable(rows, { ...options, display: { html: (s) => out().html(s), text: () => undefined } }),
    (fig: FigureLike) => showFigure(fig, { display: { raw: (_mime, f) => void out().figure(f as never), text: () => undefined } }),
    (fig: FigureLike): LiveFigure => {
      notebookLiveFigure(fig); // the library's argument check
      const target = out();
      const div = target.figure(fig as never);
      return {
        update: (next: FigureLike) => {
          target.redraw(div, next as never);
          return repaint();
        },
        done: () => undefined,
      };
    },
    (text: string, value: number, expected: number, tol: number) => {
      try {
        return claim(text, value, expected, tol, { print: record('claim', text, value) });
      } catch (error) {
        return failed('claim', text, value, error);
      }
    },
    (text: string, value: number, lo: number, hi: number) => {
      try {
        return claimRange(text, value, lo, hi, { print: record('claimRange', text, value) });
      } catch (error) {
        return failed('claimRange', text, value, error);
      }
    },
    (text: string, condition: boolean, detail = '') => {
      try {
        return claimTrue(text, condition, detail, { print: record('claimTrue', text) });
      } catch (error) {
        return failed('claimTrue', text, undefined, error);
      }
    },
    pageConsole,
  ];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
