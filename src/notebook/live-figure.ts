/**
 * A figure that a long cell updates as it goes (a training loss curve). In the browser book the
 * page's runtime (src/book/browser/outputs.ts) redraws it at every `update` and lets the page repaint;
 * in a notebook or a terminal it is shown once, by `done()`, with `showFigure`. The same cell text
 * runs in both places:
 *
 *   const curve = liveFigure(lossFigure([]));
 *   await trainInMemory({ ..., onStep: (s) => curve.update(lossFigure(points)) });
 *   curve.done();
 */
import { showFigure, type FigureLike } from '../viz/show';

export interface LiveFigure {
  /** Replace the figure; resolves once the page could repaint (at once outside a page). */
  update(fig: FigureLike): Promise<void>;
  /** The last figure, final: shown now outside a page (no-op in a page, where it is on screen). */
  done(): void;
}

/** Starts a live figure from `fig` (see the file comment). */
export function liveFigure(fig: FigureLike): LiveFigure {
  if (!fig || !Array.isArray(fig.data) || typeof fig.layout !== 'object') {
    throw new Error(`liveFigure: fig must be a plotly figure { data: [...], layout: {...} }; got ${typeof fig}`);
  }
  let latest = fig;
  return {
    update(next: FigureLike) {
      if (!next || !Array.isArray(next.data))
        throw new Error(`liveFigure.update: expected a plotly figure; got ${typeof next}`);
      latest = next;
      return Promise.resolve();
    },
    done() {
      showFigure(latest);
    },
  };
}
