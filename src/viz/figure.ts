/**
 * Plotly figure specs: plain JSON objects ({ data, layout }) built by pure functions, so they can be
 * displayed in a notebook, embedded in the HTML report or saved, and tested without a browser.
 */

/** One plotly trace (https://plotly.com/javascript/reference/): `type` plus its attributes. */
export type PlotlyTrace = { type: string } & Record<string, unknown>;

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

/** The layout every figure starts from: a title, white template, compact margins. */
export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, template: 'plotly_white', margin: { l: 60, r: 20, t: 50, b: 50 }, ...extra };
}

/** Colours of the shot groups, shared by every figure that shows them. */
export const GROUP_COLORS = { many: '#1f77b4', medium: '#ff7f0e', few: '#d62728' } as const;

/** Plotly's qualitative palette (D3 category10), for per-class colours. */
export const CLASS_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
