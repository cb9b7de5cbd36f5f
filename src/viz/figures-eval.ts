/**
 * Figures of an evaluation: per-class accuracy, confusion matrix, reliability diagram.
 */
import type { Calibration } from '../eval/calibration';
import type { EvaluationResult } from '../eval/evaluate';
import { baseLayout, GROUP_COLORS, type PlotlyFigure, type PlotlyTrace } from './figure';

/**
 * Per-class accuracy bars coloured by shot group (classes ordered as given, normally head first).
 * Classes without test images get no bar and are named in the title.
 */
export function perClassAccuracyBar(result: EvaluationResult, options: { title?: string } = {}): PlotlyFigure {
  const rows = result.perClass;
  const groups = result.groups ? (['many', 'medium', 'few'] as const) : null;
  const traces: PlotlyTrace[] = groups
    ? groups.map((g) => {
        const mine = rows.filter((r) => r.group === g);
        return {
          type: 'bar',
          name: `${g} (${result.groups![g].accuracy === null ? 'n/a' : (100 * result.groups![g].accuracy!).toFixed(1) + '%'})`,
          x: mine.map((r) => r.name),
          y: mine.map((r) => (r.accuracy === null ? null : 100 * r.accuracy)),
          marker: { color: GROUP_COLORS[g] },
        };
      })
    : [
        {
          type: 'bar',
          name: 'accuracy',
          x: rows.map((r) => r.name),
          y: rows.map((r) => (r.accuracy === null ? null : 100 * r.accuracy)),
        },
      ];
  const untested = result.classesWithoutTestImages;
  const suffix = untested.length ? ` (no test images: ${untested.join(', ')})` : '';
  return {
    data: traces,
    layout: baseLayout((options.title ?? `Per-class accuracy, top-1 ${(100 * result.top1).toFixed(1)}%`) + suffix, {
      xaxis: {
        title: { text: 'class' },
        type: 'category',
        categoryorder: 'array',
        categoryarray: rows.map((r) => r.name),
      },
      yaxis: { title: { text: 'accuracy (%)' }, range: [0, 100] },
      ...(result.groups ? { legend: { title: { text: result.groups.grouping } } } : {}),
    }),
  };
}

/** Left margin (px) that fits the longest class name as a tick label plus the axis title; at least 60. */
export function confusionLabelMargin(names: readonly string[]): number {
  const longest = names.reduce((m, n) => Math.max(m, n.length), 0);
  return Math.max(60, Math.ceil(7 * longest + 40));
}

/** Confusion matrix heat map; rows are true classes. `normalize` (default true) shows row shares. */
export function confusionMatrixFigure(options: {
  counts: number[][];
  classNames?: string[];
  normalize?: boolean;
  title?: string;
}): PlotlyFigure {
  const { counts } = options;
  const normalize = options.normalize ?? true;
  const names = options.classNames ?? counts.map((_, c) => String(c));
  const z = normalize
    ? counts.map((row) => {
        const total = row.reduce((a, b) => a + b, 0);
        return row.map((v) => (total ? v / total : null));
      })
    : counts;
  const labelMargin = confusionLabelMargin(names);
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: names,
        y: names,
        // Explicit light-to-dark blues: plotly.js's named 'Blues' runs dark to light (the reverse of
        // plotly.py's), which drew the diagonal pale grey in the book.
        colorscale: [
          [0, '#f7fbff'],
          [0.5, '#6baed6'],
          [1, '#08306b'],
        ],
        ...(counts.length <= 20 ? { texttemplate: normalize ? '%{z:.2f}' : '%{z}' } : {}),
        hovertemplate: 'true %{y}, predicted %{x}: %{z}<extra></extra>',
      },
    ],
    layout: baseLayout(
      options.title ?? (normalize ? 'Confusion matrix (row-normalised)' : 'Confusion matrix (counts)'),
      {
        // The class names are the y tick labels: the left margin is sized from the longest one (about
        // 7 px per character at plotly's 12 px tick font, plus room for the axis title). With the
        // former fixed 60 px the book clipped 'Ankle boot' and 'T-shirt/top' (seen in Chromium).
        margin: { l: labelMargin, r: 20, t: 50, b: Math.max(50, labelMargin - 10) },
        xaxis: { title: { text: 'predicted' }, type: 'category', automargin: true },
        yaxis: { title: { text: 'true' }, type: 'category', autorange: 'reversed', automargin: true },
      },
    ),
  };
}

/** Reliability diagram: accuracy per confidence bin against the diagonal, ECE in the title. */
export function reliabilityDiagram(calibration: Calibration, options: { title?: string } = {}): PlotlyFigure {
  const bins = calibration.bins;
  const centers = bins.map((b) => (b.lower + b.upper) / 2);
  return {
    data: [
      {
        type: 'bar',
        name: 'accuracy',
        x: centers,
        y: bins.map((b) => b.accuracy),
        width: bins.map((b) => b.upper - b.lower),
        marker: { color: '#1f77b4' },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'mean confidence',
        x: centers,
        y: bins.map((b) => b.confidence),
        marker: { color: '#d62728' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'perfect calibration',
        x: [0, 1],
        y: [0, 1],
        line: { dash: 'dash', color: 'grey' },
      },
    ],
    layout: baseLayout(options.title ?? `Reliability diagram, ECE ${(100 * calibration.ece).toFixed(2)}%`, {
      xaxis: { title: { text: 'confidence' }, range: [0, 1] },
      yaxis: { title: { text: 'accuracy' }, range: [0, 1] },
    }),
  };
}
