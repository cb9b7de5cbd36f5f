/**
 * `viz.showFigure` for notebook cells: the same display (plotly bundle in tslab, text elsewhere) but
 * returning nothing, because tslab prints the value of a cell's last expression under the chart.
 */
import { showFigure as vizShowFigure, type PlotlyFigure, type ShowFigureOptions } from '../viz';

export function showFigure(
  fig: PlotlyFigure | { data: Record<string, unknown>[]; layout: Record<string, unknown> },
  options: ShowFigureOptions = {},
): void {
  vizShowFigure(fig as PlotlyFigure, options);
}
