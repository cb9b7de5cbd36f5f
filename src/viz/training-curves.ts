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
  if (has(s.loss)) traces.push(line('loss', s.loss, ''));
  if (has(s.cls)) traces.push(line('classification loss', s.cls, '', { line: { dash: 'dot' } }));
  if (has(s.con)) traces.push(line('contrastive loss', s.con, '', { line: { dash: 'dash' } }));
  if (has(s.valTop1)) traces.push(line('val top-1', pct(s.valTop1), '2'));
  if (has(s.valMany))
    traces.push(line('val many', pct(s.valMany), '2', { line: { color: GROUP_COLORS.many, dash: 'dot' } }));
  if (has(s.valMedium))
    traces.push(line('val medium', pct(s.valMedium), '2', { line: { color: GROUP_COLORS.medium, dash: 'dot' } }));
  if (has(s.valFew))
    traces.push(line('val few', pct(s.valFew), '2', { line: { color: GROUP_COLORS.few, dash: 'dot' } }));
  if (has(s.lr)) traces.push(line('learning rate', s.lr, '3', { line: { color: 'grey' } }));
  return {
    data: traces,
    layout: baseLayout(options.title ?? `Training curves (${records.length} epochs)`, {
      grid: { rows: 3, columns: 1, pattern: 'independent', roworder: 'top to bottom' },
      height: 750,
      xaxis3: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'loss' } },
      yaxis2: { title: { text: 'val accuracy (%)' } },
      yaxis3: { title: { text: 'learning rate' } },
    }),
  };
}
