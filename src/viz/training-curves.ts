/**
 * Training curves from the epoch log: losses (total, classification, contrastive), validation
 * accuracy (top-1 and Many/Medium/Few when logged) and the learning rate, in three panels.
 */
import { baseLayout, GROUP_COLORS, type PlotlyFigure, type PlotlyTrace } from './figure';
import { trainingSeries, type LogRecord } from './training-log';

export function trainingCurvesFigure(records: LogRecord[], options: { title?: string } = {}): PlotlyFigure {
  const s = trainingSeries(records);
  const has = (v: (number | null)[]) => v.some((x) => x !== null);
  const line = (
    name: string,
    y: (number | null)[],
    axis: string,
    extra: Record<string, unknown> = {},
  ): PlotlyTrace => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: s.epoch,
    y,
    xaxis: `x${axis}`,
    yaxis: `y${axis}`,
    ...extra,
  });
  const pct = (v: (number | null)[]) => v.map((x) => (x === null ? null : 100 * x));
  const traces: PlotlyTrace[] = [];
  // A method without a contrastive term logs con = 0: no line for it, and the classification loss is the loss.
  const contrastive = s.con.some((x) => x !== null && x !== 0);
  // Each panel has its own legend above it; losses in black and purple, accuracies in the shot-group colours.
  if (has(s.loss)) traces.push(line('loss (total)', s.loss, '', { line: { color: '#1f2328' } }));
  if (contrastive && has(s.cls))
    traces.push(line('classification loss', s.cls, '', { line: { color: '#57606a', dash: 'dot' } }));
  if (contrastive) traces.push(line('contrastive loss', s.con, '', { line: { color: '#8250df', dash: 'dash' } }));
  const acc = { legend: 'legend2' };
  if (has(s.valTop1)) traces.push(line('val top-1', pct(s.valTop1), '2', { ...acc, line: { color: '#1f2328' } }));
  if (has(s.valMany))
    traces.push(line('val many', pct(s.valMany), '2', { ...acc, line: { color: GROUP_COLORS.many, dash: 'dot' } }));
  if (has(s.valMedium))
    traces.push(
      line('val medium', pct(s.valMedium), '2', { ...acc, line: { color: GROUP_COLORS.medium, dash: 'dot' } }),
    );
  if (has(s.valFew))
    traces.push(line('val few', pct(s.valFew), '2', { ...acc, line: { color: GROUP_COLORS.few, dash: 'dot' } }));
  if (has(s.lr)) traces.push(line('learning rate', s.lr, '3', { showlegend: false, line: { color: 'grey' } }));
  const legendAbove = (y: number) => ({
    orientation: 'h',
    x: 0,
    y,
    xanchor: 'left',
    yanchor: 'bottom',
    font: { size: 11 },
  });
  return {
    data: traces,
    layout: baseLayout(options.title ?? `Training curves (${records.length} epochs)`, {
      height: 780,
      margin: { l: 60, r: 20, t: 80, b: 50 },
      xaxis: { anchor: 'y' },
      xaxis2: { anchor: 'y2' },
      xaxis3: { anchor: 'y3', title: { text: 'epoch' } },
      yaxis: { title: { text: 'loss' }, domain: [0.72, 0.93] },
      yaxis2: { title: { text: 'val accuracy (%)' }, domain: [0.36, 0.6] },
      yaxis3: { title: { text: 'learning rate' }, domain: [0, 0.22] },
      legend: legendAbove(0.94),
      legend2: legendAbove(0.61),
    }),
  };
}
