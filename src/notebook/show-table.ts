/**
 * Show a table in a tslab notebook: an HTML table (what JupyterLab and VS Code render) plus the
 * same table as aligned text for viewers without HTML; outside a notebook, the text on stdout.
 * Takes plain rows or a danfojs DataFrame (e.g. `evaluation.perClassFrame(result)`).
 */
import { alignColumns } from '../viz/text-table';

export type TableCell = string | number | boolean | null | undefined;
export type TableRows = Record<string, TableCell>[];

/** The part of a danfojs DataFrame read here. */
export interface FrameLike {
  columns: string[];
  /** Rows of cells (danfojs types it loosely as 1-D or 2-D). */
  values: unknown;
}

interface HtmlDisplay {
  html(s: string): void;
  text(s: string): void;
}

/** tslab's display in a tslab kernel (its own copy of the module, reached through `__tslab__`), else null. */
function notebookDisplay(): HtmlDisplay | null {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!hook || typeof hook.require !== 'function') return null;
  try {
    return (hook.require('tslab') as { display?: HtmlDisplay }).display ?? null;
  } catch {
    return null;
  }
}

export interface ShowTableOptions {
  /** Significant decimals of non-integer numbers; default 4. */
  digits?: number;
  /** Caption above the table; default none. */
  caption?: string;
  /** Where to show; default tslab's display in a notebook, else print. */
  display?: HtmlDisplay | null;
  /** Where text goes outside a notebook; default console.log. */
  print?: (text: string) => void;
}

/** Rows from plain objects or a DataFrame (column order kept). */
export function tableRows(table: TableRows | FrameLike): TableRows {
  if (Array.isArray(table)) return table;
  if (table && Array.isArray((table as FrameLike).columns) && Array.isArray((table as FrameLike).values)) {
    const { columns } = table as FrameLike;
    const values = (table as FrameLike).values as unknown[];
    // A one-column frame may give its values flat.
    return values.map((row) =>
      Object.fromEntries(columns.map((c, k) => [c, (Array.isArray(row) ? row[k] : row) as TableCell])),
    );
  }
  throw new Error(`showTable: table must be an array of row objects or a danfojs DataFrame; got ${typeof table}`);
}

/** Aligned text: header, rule, rows; numbers right-aligned. */
export function tableText(rows: TableRows, options: { digits?: number } = {}): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]);
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c], options.digits ?? 4)));
  const numeric = columns.map((c) =>
    rows.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined),
  );
  return alignColumns(columns, cells, numeric);
}

/** An HTML table with escaped cells; numbers right-aligned. */
export function tableHtml(rows: TableRows, options: { digits?: number; caption?: string } = {}): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const head = columns.map((c) => `<th>${escape(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td style="text-align:${typeof r[c] === 'number' ? 'right' : 'left'}">${escape(formatCell(r[c], options.digits ?? 4))}</td>`).join('')}</tr>`,
    )
    .join('');
  const caption = options.caption ? `<caption>${escape(options.caption)}</caption>` : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * Display the table. Returns nothing: tslab prints the value of a cell's last expression, and a
 * notebook should show the table only (`displayTable` returns where it went).
 */
export function showTable(table: TableRows | FrameLike, options: ShowTableOptions = {}): void {
  displayTable(table, options);
}

/** `showTable`, returning 'notebook' or 'text' (where the table went). */
export function displayTable(table: TableRows | FrameLike, options: ShowTableOptions = {}): 'notebook' | 'text' {
  const rows = tableRows(table);
  const display = options.display === undefined ? notebookDisplay() : options.display;
  const text = (options.caption ? `${options.caption}\n` : '') + tableText(rows, options);
  if (display) {
    try {
      display.html(tableHtml(rows, options));
      return 'notebook';
    } catch {
      // tslab throws outside a cell's execution: fall back to text.
    }
  }
  (options.print ?? console.log)(text);
  return 'text';
}

function formatCell(v: TableCell, digits: number): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '-';
  if (typeof v === 'number' && !Number.isInteger(v)) {
    const abs = Math.abs(v);
    if (abs >= 1e6 || abs < 10 ** -digits) return v.toExponential(Math.max(1, digits - 1));
    return v.toFixed(digits).replace(/\.?0+$/, '') || '0';
  }
  return String(v);
}
