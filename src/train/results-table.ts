/**
 * Plain-text tables of evaluation results for the terminal and logs: one row per run (method),
 * top-1 / top-5 / Many / Medium / Few in percent, and the shot-group rule the numbers use.
 */
import type { EvaluationResult } from '../eval';

export interface LabelledResult {
  label: string;
  result: EvaluationResult;
}

const pct = (v: number | null | undefined) => (typeof v === 'number' ? (100 * v).toFixed(1) : 'n/a');

/**
 * ```
 * method   top-1  top-5   many  medium   few
 * balsfx    71.2   98.0   88.0    70.1   55.2
 * ```
 * followed by the grouping rule (e.g. "Many / Medium / Few: classes by training count, thirds").
 */
export function formatResultsTable(rows: LabelledResult[]): string {
  const header = ['method', 'top-1', 'top-5', 'many', 'medium', 'few'];
  const body = rows.map(({ label, result }) => [
    label,
    pct(result.top1),
    pct(result.top5),
    pct(result.groups?.many.accuracy),
    pct(result.groups?.medium.accuracy),
    pct(result.groups?.few.accuracy),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const rules = [...new Set(rows.map((r) => r.result.groups?.rule).filter((r): r is string => Boolean(r)))];
  return [
    line(header),
    ...body.map(line),
    ...rules.map((rule) => `(accuracy in %; Many / Medium / Few: ${rule})`),
  ].join('\n');
}
