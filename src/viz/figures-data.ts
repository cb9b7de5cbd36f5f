/**
 * Figures of datasets and simulations: the dual-imbalance heat map (paper Sec. 3.1), the Monte Carlo
 * batch statistics and bar charts of class counts.
 */
import type { PairFrequency } from '../analysis/pair-frequency';
import type { BatchSimulation } from '../analysis/batch-simulation';
import { baseLayout, type PlotlyFigure } from './figure';

/** Heat map of r_i r_j with the value in each cell (class 1 = head, at the top left). */
export function pairFrequencyHeatmap(pf: PairFrequency, options: { title?: string } = {}): PlotlyFigure {
  const heatmapTitle =
    options.title ??
    `Pair frequency r_i r_j, ${pf.numClasses} classes, IF ${pf.imbalanceFactor}: ${pf.cellsBelowThreshold} of ${pf.numClasses ** 2} cells below ${+pf.threshold.toPrecision(3)}`;
  const names = pf.profile.map((_, i) => `${i + 1}`);
  return {
    data: [
      {
        type: 'heatmap',
        z: pf.matrix,
        x: names,
        y: names,
        colorscale: 'Viridis',
        texttemplate: '%{z:.2f}',
        hovertemplate: 'classes (%{y}, %{x}): %{z:.3f}<extra></extra>',
        colorbar: { title: { text: 'r<sub>i</sub> r<sub>j</sub>' } },
      },
    ],
    layout: baseLayout(heatmapTitle, {
      // The x axis sits on top: the title goes higher (margin t) so that it cannot overprint 'class j'.
      title: { text: heatmapTitle, y: 0.98, yanchor: 'top' },
      margin: { l: 60, r: 20, t: 110, b: 20 },
      xaxis: { title: { text: 'class j', standoff: 6 }, side: 'top' },
      yaxis: { title: { text: 'class i' }, autorange: 'reversed' },
      width: 620,
      height: 600,
    }),
  };
}

/** Bar chart of training images per class (log scale when the spread is large). */
export function classCountsBar(options: {
  counts: ArrayLike<number>;
  classNames?: string[];
  title?: string;
}): PlotlyFigure {
  const counts = Array.from(options.counts);
  const positive = counts.filter((n) => n > 0);
  const spread = positive.length ? Math.max(...positive) / Math.min(...positive) : 1;
  return {
    data: [
      {
        type: 'bar',
        x: options.classNames ?? counts.map((_, c) => String(c)),
        y: counts,
        marker: { color: '#1f77b4' },
      },
    ],
    layout: baseLayout(options.title ?? 'Training images per class', {
      xaxis: { title: { text: 'class' }, type: 'category' },
      yaxis: { title: { text: 'images' }, type: spread >= 20 ? 'log' : 'linear' },
    }),
  };
}

/** Mean images and mean Siamese positive pairs per class per batch (log scale), from the Monte Carlo. */
export function batchSimulationFigure(sim: BatchSimulation, options: { title?: string } = {}): PlotlyFigure {
  const x = sim.classes.map((r) => String(r.class));
  return {
    data: [
      { type: 'bar', name: 'images per batch', x, y: sim.classes.map((r) => r.meanImages) },
      { type: 'bar', name: 'positive pairs per batch', x, y: sim.classes.map((r) => r.meanBatchPairs) },
      { type: 'bar', name: 'positive pairs per Siamese batch', x, y: sim.classes.map((r) => r.meanSiamesePairs) },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'share of batches without the class',
        x,
        y: sim.classes.map((r) => r.absentFraction),
        yaxis: 'y2',
      },
    ],
    layout: baseLayout(options.title ?? `Monte Carlo: ${sim.numBatches} batches of ${sim.batchSize}`, {
      barmode: 'group',
      // Room on the right for the second axis's ticks and title (they overprinted each other at r 20).
      margin: { l: 60, r: 90, t: 50, b: 50 },
      xaxis: { title: { text: 'class (head first)' }, type: 'category' },
      yaxis: { title: { text: 'mean per batch (log scale)' }, type: 'log' },
      yaxis2: {
        title: { text: 'share of batches without the class', standoff: 10 },
        overlaying: 'y',
        side: 'right',
        type: 'linear',
        range: [0, 1],
        dtick: 0.2,
        tickformat: '.0%',
        showgrid: false,
        zeroline: false,
      },
      legend: { orientation: 'h', y: -0.2 },
    }),
  };
}
