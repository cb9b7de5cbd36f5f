/**
 * The committed tuning table (`npm run bench:tune` writes OUT/tuning.json, OUT =
 * bench/results/tuning/<settings>), read back for notebooks and reports: rows of per-seed final
 * validation top-1 and, per variant, ResCom minus each method paired by seed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TuningTable } from './run';

export interface SavedTuningTable extends TuningTable {
  file: string;
  command: string;
}

/** The tuning table under `resultsDir` (bench/results), or null when none is committed. */
export function readTuningTable(resultsDir: string): SavedTuningTable | null {
  const root = path.join(resultsDir, 'tuning');
  if (!fs.existsSync(root)) return null;
  const dirs = fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(path.join(root, d, 'tuning.json')))
    .sort();
  if (dirs.length === 0) return null;
  const file = path.join(root, dirs[dirs.length - 1], 'tuning.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SavedTuningTable>;
  if (!Array.isArray(parsed.rows) || !Array.isArray(parsed.comparisons) || typeof parsed.command !== 'string') {
    throw new Error(`readTuningTable: ${file} is not a bench:tune table (needs rows, comparisons and command)`);
  }
  return { file, command: parsed.command, rows: parsed.rows, comparisons: parsed.comparisons };
}

/** One row per (variant, method): final validation top-1 per seed (%, one decimal) and the mean. */
export function tuningScoreRows(table: TuningTable): Record<string, string | number | null>[] {
  const seeds = [...new Set(table.rows.flatMap((r) => r.scores.map((s) => s.seed)))].sort((a, b) => a - b);
  return table.rows.map((row) => {
    const out: Record<string, string | number | null> = { variant: row.variant, method: row.method };
    const done: number[] = [];
    for (const seed of seeds) {
      const score = row.scores.find((s) => s.seed === seed)?.score ?? null;
      out[`val top-1 seed ${seed}`] = score ? +(100 * score.top1).toFixed(1) : null;
      if (score) done.push(score.top1);
    }
    out['mean'] = done.length ? +((100 * done.reduce((a, b) => a + b, 0)) / done.length).toFixed(2) : null;
    return out;
  });
}
