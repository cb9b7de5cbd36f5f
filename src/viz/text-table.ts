/**
 * Plain-text tables and figure summaries: what is printed where no script can run (a terminal, a
 * notebook viewer without JavaScript, CI logs).
 */
import type { PlotlyFigure } from './figure';

export type Cell = string | number | boolean | null | undefined;

export interface FormatTableOptions {
  /** Columns to show, in order. Default: the keys of the first row. */
  columns?: string[];
  /** Significant decimals for non-integer numbers. Default 4. */
  digits?: number;
  /** Text for null / undefined / NaN cells. Default '-'. */
  missing?: string;
}

/** Rows of objects as an aligned text table: header, rule, one line per row; numbers right-aligned. */
export function formatTable(rows: Record<string, Cell>[], options: FormatTableOptions = {}): string {
  if (!Array.isArray(rows)) throw new Error(`formatTable: rows must be an array of objects; got ${typeof rows}`);
  if (rows.length === 0) return '(no rows)';
  const columns = options.columns ?? Object.keys(rows[0]);
  const digits = options.digits ?? 4;
  const missing = options.missing ?? '-';
  const show = (v: Cell): string => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return missing;
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v, digits);
    return String(v);
  };
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const numeric = columns.map((c) =>
    rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'),
  );
  return alignColumns(columns, cells, numeric);
}

/** Header, rule and rows of already formatted cells, two spaces apart; numeric columns right-aligned. */
export function alignColumns(columns: string[], cells: string[][], numeric: boolean[]): string {
  const widths = columns.map((c, k) => Math.max(c.length, ...cells.map((row) => row[k].length)));
  const line = (values: string[]) =>
    values
      .map((v, k) => (numeric[k] ? v.padStart(widths[k]) : v.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function formatNumber(v: number, digits: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e6 || abs < 10 ** -digits)) return v.toExponential(Math.max(1, digits - 1));
  return v.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

export interface FigureTextOptions {
  /** Rows shown per trace (x, y pairs) or heat-map rows. Default 12. */
  maxRows?: number;
  digits?: number;
}

/** A text rendering of a figure: its title, then each trace as a small table (heat maps as a grid). */
export function figureToText(fig: PlotlyFigure, options: FigureTextOptions = {}): string {
  const maxRows = options.maxRows ?? 12;
  const digits = options.digits ?? 3;
  const title = (fig.layout.title as { text?: string } | string | undefined) ?? '';
  const out: string[] = [`== ${typeof title === 'string' ? title : (title.text ?? '')} ==`.replace(/<[^>]+>/g, '')];
  for (const trace of fig.data) {
    const name = typeof trace.name === 'string' ? trace.name : trace.type;
    if (trace.type === 'heatmap' && Array.isArray(trace.z)) {
      const z = trace.z as Cell[][];
      const xs = (trace.x as Cell[] | undefined) ?? z[0].map((_, j) => j);
      const ys = (trace.y as Cell[] | undefined) ?? z.map((_, i) => i);
      const rows = z
        .slice(0, maxRows)
        .map((row, i) =>
          Object.fromEntries([['', String(ys[i])], ...row.slice(0, maxRows).map((v, j) => [String(xs[j]), v])]),
        );
      // explicit column order: integer-like keys ('1', '2') would otherwise sort before the label column
      out.push(`${name}:`, formatTable(rows, { digits, columns: ['', ...xs.slice(0, maxRows).map(String)] }));
      if (z.length > maxRows || z[0].length > maxRows)
        out.push(`(${z.length} x ${z[0].length}; first ${maxRows} shown)`);
      continue;
    }
    const x = (trace.x as Cell[] | undefined) ?? [];
    const y = (trace.y as Cell[] | undefined) ?? [];
    const n = Math.max(x.length, y.length);
    const step = n > maxRows ? Math.ceil(n / maxRows) : 1;
    const rows: Record<string, Cell>[] = [];
    for (let i = 0; i < n; i += step) rows.push({ x: x[i], y: y[i] });
    out.push(`${name}${step > 1 ? ` (every ${step}th of ${n} points)` : ''}:`, formatTable(rows, { digits }));
  }
  return out.join('\n');
}
