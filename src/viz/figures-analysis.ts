/**
 * Figures of the representation and gradient analyses (paper Sec. 3.4 and 4.4): positive-similarity
 * densities per shot group, gradient magnitude against pairs sorted by logit, 2-D embeddings.
 */
import type { Embedding } from '../analysis/embedding';
import type { GradientDecoupling } from '../analysis/gradient-decoupling';
import { histogramDensity, type PositiveSimilarity } from '../analysis/positive-similarity';
import { baseLayout, CLASS_COLORS, GROUP_COLORS, type PlotlyFigure, type PlotlyTrace } from './figure';

/** Density of positive-pair cosine similarity, one line per shot group (empty groups are skipped). */
export function similarityDensityFigure(
  sim: PositiveSimilarity,
  options: { bins?: number; title?: string } = {},
): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  // The axis and the bins span the data (to 0.05), not all of [-1, 1]: trained features sit in a narrow band.
  // A loop, not Math.min(...values): a test set gives hundreds of thousands of pairs (spread overflows the stack).
  let min = Infinity;
  let max = -Infinity;
  for (const g of ['many', 'medium', 'few'] as const) {
    for (const v of sim.similarities[g]) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const any = Number.isFinite(min);
  const lo = any ? Math.max(-1, Math.floor(min * 20) / 20) : -1;
  const hi = any ? Math.min(1, Math.ceil(max * 20) / 20) : 1;
  const range: [number, number] = hi > lo ? [lo, hi] : [-1, 1];
  for (const g of ['many', 'medium', 'few'] as const) {
    const values = sim.similarities[g];
    if (!values.length) continue;
    const h = histogramDensity({ values, bins: options.bins ?? 40, range });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: `${g} (mean ${mean.toFixed(3)}, ${values.length} pairs)`,
      x: h.centers,
      y: h.density,
      line: { color: GROUP_COLORS[g], shape: 'hvh' },
    });
  }
  return {
    data: traces,
    layout: baseLayout(options.title ?? `Positive-pair cosine similarity by shot group (${sim.grouping})`, {
      xaxis: { title: { text: `cosine similarity (axis: the data's range, ${range[0]} to ${range[1]})` }, range },
      yaxis: { title: { text: 'density' } },
    }),
  };
}

/**
 * Two panels: mean |d l / d u| of positives and of negatives against their rank by logit (rank 1 =
 * largest logit), in units of 1e-3 like the paper's figure; negatives on a log x-axis.
 */
export function gradientCurvesFigure(g: GradientDecoupling, options: { title?: string } = {}): PlotlyFigure {
  const scale = (v: number[]) => v.map((x) => x * 1e3);
  const share = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'positives',
        x: g.positives.rank,
        y: scale(g.positives.meanAbsGradient),
        xaxis: 'x',
        yaxis: 'y',
        line: { color: '#2ca02c' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'negatives',
        x: g.negatives.rank,
        y: scale(g.negatives.meanAbsGradient),
        xaxis: 'x2',
        yaxis: 'y2',
        line: { color: '#d62728' },
      },
    ],
    layout: baseLayout(
      options.title ??
        `Gradient per pair vs rank by logit: below ${g.threshold}: ${share(g.shareBelowThreshold.positives)} of positives, ${share(g.shareBelowThreshold.negatives)} of negatives`,
      {
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: { title: { text: 'positives sorted by logit (1 = largest)' } },
        yaxis: { title: { text: '|gradient| (x1e-3)' } },
        xaxis2: { title: { text: 'negatives sorted by logit (1 = largest)' }, type: 'log' },
        yaxis2: { title: { text: '|gradient| (x1e-3)' } },
      },
    ),
  };
}

/** Scatter of a 2-D embedding coloured by class; train as dots, test as crosses. */
export function embeddingScatterFigure(
  e: Embedding,
  options: { classNames?: string[]; title?: string } = {},
): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  const classes = [...new Set([...e.train.labels, ...(e.test?.labels ?? [])])].sort((a, b) => a - b);
  const name = (c: number) => options.classNames?.[c] ?? String(c);
  const inLegend = new Set<number>();
  for (const [split, pts, symbol] of [
    ['train', e.train, 'circle'],
    ['test', e.test, 'x'],
  ] as const) {
    if (!pts) continue;
    for (const c of classes) {
      const idx = pts.labels.flatMap((y, i) => (y === c ? [i] : []));
      if (!idx.length) continue;
      const first = !inLegend.has(c);
      inLegend.add(c);
      traces.push({
        type: 'scattergl',
        mode: 'markers',
        // One legend entry per class (its first trace, train when it has train points); the rest share its group and colour.
        name: name(c),
        legendgroup: String(c),
        showlegend: first,
        x: idx.map((i) => pts.x[i]),
        y: idx.map((i) => pts.y[i]),
        marker: {
          color: CLASS_COLORS[c % CLASS_COLORS.length],
          symbol,
          size: split === 'train' ? 4 : 6,
          opacity: split === 'train' ? 0.5 : 0.9,
        },
      });
    }
  }
  return {
    data: traces,
    layout: baseLayout(options.title ?? `${e.method.toUpperCase()} of features (train dots, test crosses)`, {
      xaxis: { zeroline: false },
      yaxis: { zeroline: false },
      height: 600,
      legend: { orientation: 'h', y: -0.08, title: { text: 'class (dots: train, crosses: test)' } },
    }),
  };
}
