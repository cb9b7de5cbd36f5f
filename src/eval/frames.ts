/**
 * Evaluation results as danfojs DataFrames, and tables exported to CSV (atomically).
 *
 * danfojs-node is loaded on first use only: it pulls in a second copy of TensorFlow.js and takes ~2 s
 * to import, which the CLI and the metric functions should not pay for.
 */
import type { DataFrame } from 'danfojs-node';
import { writeFileAtomic } from '../util/atomic-write';
import type { EvaluationResult } from './evaluate';
import { SHOT_GROUPS } from './shot-groups';

type Danfo = typeof import('danfojs-node');
let danfoModule: Danfo | undefined;
function danfo(): Danfo {
  // Loaded on first use (see the file comment), hence require rather than import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  danfoModule ??= require('danfojs-node') as Danfo;
  return danfoModule;
}

/** A table row: column name -> cell (null is an empty CSV cell). */
export type TableRow = Record<string, string | number | boolean | null>;

/** A DataFrame from rows with the same keys (column order = the first row's keys). */
export function rowsToFrame(rows: TableRow[]): DataFrame {
  if (!Array.isArray(rows) || rows.length === 0)
    throw new Error(
      `rowsToFrame: rows must be a non-empty array of objects; got ${Array.isArray(rows) ? 'an empty array' : typeof rows}`,
    );
  return new (danfo().DataFrame)(rows);
}

/** One row per class: class, name, trainCount, testCount, correct, accuracy (null = no test images), group. */
export function perClassRows(result: EvaluationResult): TableRow[] {
  return result.perClass.map((r) => ({ ...r }));
}

/** One row per shot group: group, grouping, accuracy, classes counted, classes without test images. */
export function groupRows(result: EvaluationResult): TableRow[] {
  const g = result.groups;
  if (!g) return [];
  return SHOT_GROUPS.map((name) => ({
    group: name,
    grouping: g.grouping,
    accuracy: g[name].accuracy,
    classes: g[name].classesCounted.length,
    classesWithoutTestImages: g[name].classesWithoutTestImages.join(' '),
  }));
}

/** The summary metrics as a single row. */
export function summaryRow(result: EvaluationResult): TableRow {
  return {
    samples: result.numSamples,
    top1: result.top1,
    top5: result.top5,
    meanClassAccuracy: result.meanClassAccuracy,
    many: result.groups?.many.accuracy ?? null,
    medium: result.groups?.medium.accuracy ?? null,
    few: result.groups?.few.accuracy ?? null,
    grouping: result.groups?.grouping ?? null,
    ece: result.calibration.ece,
  };
}

/** Per-class results as a DataFrame (columns as `perClassRows`). */
export function perClassFrame(result: EvaluationResult): DataFrame {
  return rowsToFrame(perClassRows(result));
}

/** Many/Medium/Few results as a DataFrame (columns as `groupRows`). */
export function groupFrame(result: EvaluationResult): DataFrame {
  const rows = groupRows(result);
  if (!rows.length)
    throw new Error('groupFrame: result has no shot groups (evaluateClassifier was called without trainCounts)');
  return rowsToFrame(rows);
}

/** Confusion matrix as a DataFrame: one row per true class, columns pred_0..pred_{C-1}. */
export function confusionFrame(result: EvaluationResult): DataFrame {
  return rowsToFrame(
    result.confusion.map((row, t) => Object.fromEntries([['true', t], ...row.map((v, p) => [`pred_${p}`, v])])),
  );
}

/** CSV text of rows (RFC 4180 quoting; null -> empty cell). */
export function rowsToCsv(rows: TableRow[]): string {
  if (!rows.length) return '';
  const columns = Object.keys(rows[0]);
  const cell = (v: TableRow[string] | undefined): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** Write rows or a DataFrame as CSV, atomically (temporary file + rename). */
export function writeCsv(table: TableRow[] | DataFrame, path: string): void {
  const text = Array.isArray(table) ? rowsToCsv(table) : (table.toCSV() as string);
  writeFileAtomic(path, text);
}
