/**
 * The multi-seed picture of a benchmark table: for each method, one dot per seed and a mean marker
 * (a wide dash), so the seed spread and the gap between methods are seen together. Input: the
 * finished runs of one imbalance factor (as in `bench/results/accuracy-*.json`, field `runs`).
 * Accuracies in [0, 1], drawn in %. Colours: `methodColor` (one per method).
 */
import { baseLayout, type PlotlyFigure, type PlotlyTrace } from './figure';
import { methodColor } from './method-colors';

export interface SeedRun {
  method: string;
  seed: number;
  top1: number;
  few: number | null;
}

/**
 * Per-seed points and the mean per method, for `metric` ('top1' default, or 'few'). `methods` orders
 * the x axis (default: order of first appearance); methods without a run are left out. The y axis
 * spans at least `minSpan` percentage points (default 2).
 */
export function seedPointsFigure(
  runs: readonly SeedRun[],
  options: {
    metric?: 'top1' | 'few';
    methods?: readonly string[];
    title?: string;
    minSpan?: number;
    /** y-axis title (default '<metric> accuracy (%)'). */
    yTitle?: string;
    /** Unit after a value in the hover text (default '%'). */
    unit?: string;
    /** Draw a dashed line at 0 and keep 0 in the y range (for differences). */
    zeroLine?: boolean;
  } = {},
): PlotlyFigure {
  const metric = options.metric ?? 'top1';
  if (metric !== 'top1' && metric !== 'few')
    throw new Error(`seedPointsFigure: metric must be 'top1' or 'few'; got ${JSON.stringify(metric)}`);
  const seen = [...new Set(runs.map((r) => r.method))];
  const methods = (options.methods ?? seen).filter((m) => seen.includes(m));
  const label = metric === 'top1' ? 'top-1' : 'Few';
  const unit = options.unit ?? '%';
  const traces: PlotlyTrace[] = [];
  const all: number[] = [];
  for (const method of methods) {
    const mine = runs.filter((r) => r.method === method && r[metric] !== null).sort((a, b) => a.seed - b.seed);
    const values = mine.map((r) => 100 * (r[metric] as number));
    all.push(...values);
    const color = methodColor(method);
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: method,
      legendgroup: method,
      x: mine.map(() => method),
      y: values,
      text: mine.map((r) => `seed ${r.seed}`),
      hovertemplate: `${method}, %{text}: %{y:.2f}${unit}<extra></extra>`,
      marker: { color, size: 9, opacity: 0.8 },
    });
    if (values.length > 0) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: `${method} mean`,
        legendgroup: method,
        showlegend: false,
        x: [method],
        y: [mean],
        hovertemplate: `${method}: mean ${mean.toFixed(2)}${unit} over ${values.length} seed(s)<extra></extra>`,
        marker: { color, symbol: 'line-ew', size: 30, line: { width: 3, color } },
      });
    }
  }
  // The y axis spans at least `minSpan` points (default 2), so that a gap of a tenth of a point is
  // not blown up to the full height of the plot by plotly's autoscaling.
  const minSpan = options.minSpan ?? 2;
  let range: [number, number] | null = null;
  if (all.length > 0) {
    const lo = Math.min(...all, ...(options.zeroLine ? [0] : []));
    const hi = Math.max(...all, ...(options.zeroLine ? [0] : []));
    const span = Math.max(hi - lo, minSpan) * 1.1;
    const mid = (lo + hi) / 2;
    range = [mid - span / 2, mid + span / 2];
  }
  return {
    data: traces,
    layout: baseLayout(options.title ?? `Test ${label} accuracy per seed (dots) and mean (dash)`, {
      xaxis: { type: 'category', categoryorder: 'array', categoryarray: methods, automargin: true },
      yaxis: {
        title: { text: options.yTitle ?? `${label} accuracy (%)` },
        automargin: true,
        ...(range ? { range } : {}),
      },
      showlegend: false,
      ...(options.zeroLine
        ? {
            shapes: [
              {
                type: 'line',
                xref: 'paper',
                x0: 0,
                x1: 1,
                y0: 0,
                y1: 0,
                line: { color: '#57606a', width: 1, dash: 'dash' },
              },
            ],
          }
        : {}),
    }),
  };
}
