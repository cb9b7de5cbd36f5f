/**
 * Show a figure where the code runs: in a tslab notebook as a plotly MIME bundle (a small JSON
 * object that JupyterLab renders; inlining plotly.js would cost 4.8 MB per chart), plus a short text
 * rendering for viewers that cannot run scripts; elsewhere (terminal, CI) the text rendering only.
 * The one `showFigure`: notebooks reach it as `notebook.showFigure` (the same function), the book
 * renders the plotly bundles it leaves in a notebook's outputs (src/book/chapter.ts).
 */
import type { PlotlyFigure } from './figure';
import { figureToText, type FigureTextOptions } from './text-table';

/** The part of tslab's `display` used here. */
export interface RawDisplay {
  raw(contentType: string, data: unknown): void;
  text(s: string): void;
}

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/**
 * tslab's display when this process is a tslab kernel, else null. Inside a kernel tslab defines
 * `globalThis.__tslab__` and its wrapped `require('tslab')` returns the kernel's own copy (a second
 * copy from node_modules would not be connected to the kernel).
 */
export function tslabDisplay(): RawDisplay | null {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!hook || typeof hook.require !== 'function') return null;
  try {
    const mod = hook.require('tslab') as { display?: RawDisplay };
    return mod.display ?? null;
  } catch {
    return null;
  }
}

export interface ShowFigureOptions extends FigureTextOptions {
  /** Where to display; default: tslab's display when running in tslab, else none (text on stdout). */
  display?: RawDisplay | null;
  /** Also print the text rendering under the chart in a notebook. Default true. */
  textInNotebook?: boolean;
  /** Where the text goes outside a notebook. Default console.log. */
  print?: (text: string) => void;
}

/** A figure as `viz` builds it, or a plain `{ data, layout }` literal written in a notebook cell. */
export type FigureLike = PlotlyFigure | { data: Record<string, unknown>[]; layout: Record<string, unknown> };

/**
 * Returns nothing, so tslab prints no value under the chart when this is a cell's last expression;
 * where the figure went shows in the display's calls or in `print`.
 */
export function showFigure(fig: FigureLike, options: ShowFigureOptions = {}): void {
  if (!fig || !Array.isArray(fig.data) || typeof fig.layout !== 'object') {
    throw new Error(`showFigure: fig must be a plotly figure { data: [...], layout: {...} }; got ${typeof fig}`);
  }
  const display = options.display === undefined ? tslabDisplay() : options.display;
  const text = figureToText(fig as PlotlyFigure, options);
  if (display) {
    try {
      // A plain JSON copy: the bundle must not carry typed arrays or undefined.
      display.raw(PLOTLY_MIME, JSON.parse(JSON.stringify(fig)));
      if (options.textInNotebook ?? true) display.text(text);
      return;
    } catch {
      // tslab throws "Not ready" outside a cell's execution: fall through to text.
    }
  }
  (options.print ?? console.log)(text);
}
