/**
 * How many paired seeds a true difference needs (80% power, ./bench/accuracy/paired.ts
 * `seedsToResolve`), as a curve over the difference for each measured sd of a paired comparison:
 * the picture behind the evidence tables' power line. Differences and sds in percentage points.
 */
import { seedsToResolve } from '../bench/accuracy/power';
import { baseLayout, CLASS_COLORS, type PlotlyFigure, type PlotlyTrace } from './figure';

export interface PowerCurve {
  /** Legend text, e.g. "rescom - sbs, fixed subset (sd 0.45)". */
  label: string;
  /** Sd of the paired difference in points (> 0). */
  sd: number;
}

/**
 * One line per curve: seeds needed (log y axis) against the true difference (default 0.25..2 points),
 * with a marker at 0.5 and at 1.0 point and the seeds already run as a horizontal line (`seedsRun`).
 */
export function seedsNeededFigure(
  curves: readonly PowerCurve[],
  options: { effects?: number[]; seedsRun?: number; title?: string } = {},
): PlotlyFigure {
  const fn = 'seedsNeededFigure';
  if (curves.length === 0) throw new Error(`${fn}: curves must hold at least one { label, sd }`);
  for (const c of curves) if (!(c.sd > 0)) throw new Error(`${fn}: curve '${c.label}' needs an sd > 0; got ${c.sd}`);
  const effects = options.effects ?? Array.from({ length: 36 }, (_, i) => 0.25 + i * 0.05);
  const data: PlotlyTrace[] = [];
  curves.forEach((c, i) => {
    const color = CLASS_COLORS[i % CLASS_COLORS.length];
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: c.label,
      x: effects,
      y: effects.map((e) => seedsToResolve(c.sd / 100, e / 100)),
      line: { color },
    });
    data.push({
      type: 'scatter',
      mode: 'markers+text',
      showlegend: false,
      x: [0.5, 1],
      y: [0.5, 1].map((e) => seedsToResolve(c.sd / 100, e / 100)),
      text: [0.5, 1].map((e) => String(seedsToResolve(c.sd / 100, e / 100))),
      textposition: 'top right',
      marker: { color, size: 8 },
    });
  });
  if (options.seedsRun !== undefined) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `seeds run (${options.seedsRun})`,
      x: [effects[0], effects[effects.length - 1]],
      y: [options.seedsRun, options.seedsRun],
      line: { color: '#555', dash: 'dot' },
    });
  }
  return {
    data,
    layout: baseLayout(options.title ?? 'Paired seeds needed to resolve a true difference (95% interval, 80% power)', {
      xaxis: { title: { text: 'true difference (percentage points)' } },
      yaxis: { title: { text: 'paired seeds needed' }, type: 'log' },
      legend: { orientation: 'h', y: -0.25 },
      margin: { l: 60, r: 20, t: 50, b: 110 },
    }),
  };
}
