/**
 * The accuracy tables that `npm run bench:accuracy` commits under `bench/results/`
 * (`accuracy-*.json`), read back for the notebooks (chapters 07 and 09), and the one comparison
 * they make with them: each method against a reference method, with the seed spread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccuracyTable, Spread, TableRow } from './aggregate';
import { DEFAULT_ACCURACY_BENCH_OPTIONS } from './options';
import { settingsKey, type BenchSettings } from './plan';

/** A table as written to disk, with the file it came from and the command that trained it. */
export interface SavedAccuracyTable extends AccuracyTable {
  file: string;
  command: string;
}

const METRICS = ['top1', 'many', 'medium', 'few'] as const;
export type AccuracyMetric = (typeof METRICS)[number];

function checkSpread(where: string, value: unknown): Spread {
  const s = value as Spread;
  if (!s || typeof s !== 'object' || typeof s.n !== 'number' || !(s.mean === null || typeof s.mean === 'number') || !(s.std === null || typeof s.std === 'number')) {
    throw new Error(`${where} must be { mean, std, n }; got ${JSON.stringify(value)}`);
  }
  return s;
}

/**
 * Every `accuracy-*.json` in `dir`, sorted by file name; [] when the folder does not exist.
 * A file that is not such a table is an error naming the file and the field.
 */
export function readSavedAccuracyTables(dir: string): SavedAccuracyTable[] {
  const fn = 'readSavedAccuracyTables';
  if (typeof dir !== 'string' || dir === '') throw new Error(`${fn}: dir must be a folder path; got ${JSON.stringify(dir)}`);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /^accuracy-.*\.json$/.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`${fn}: ${file} is not JSON: ${(error as Error).message}`);
      }
      if (!raw || typeof raw !== 'object' || !Array.isArray(raw.rows) || !Array.isArray(raw.runs) || typeof raw.settings !== 'object') {
        throw new Error(`${fn}: ${file} must have settings, rows and runs; got keys ${Object.keys(raw ?? {}).join(', ')}`);
      }
      (raw.rows as TableRow[]).forEach((row, i) => {
        const where = `${fn}: ${file} rows[${i}]`;
        if (typeof row.method !== 'string' || typeof row.imbalanceFactor !== 'number') throw new Error(`${where} must name method and imbalanceFactor; got ${JSON.stringify(row).slice(0, 120)}`);
        for (const metric of METRICS) checkSpread(`${where}.${metric}`, row[metric]);
      });
      return { ...(raw as unknown as AccuracyTable), file, command: typeof raw.command === 'string' ? raw.command : '' };
    });
}

/** The reference protocol's saved table: its settings also list the planned seeds and methods. */
export type ProtocolTable = SavedAccuracyTable & { settings: SavedAccuracyTable['settings'] & { seeds: number[]; methods: string[] } };

/**
 * The committed table of a protocol (`accuracy-<settings key>.json` in `dir`, normally bench/results;
 * default the fixed-subset protocol, the benchmark's defaults), with its per-seed runs, ResCom's
 * paired comparisons and the planned seeds and methods; null when it is not committed.
 */
export function readProtocolTable(dir: string, group: BenchSettings = DEFAULT_ACCURACY_BENCH_OPTIONS): ProtocolTable | null {
  const name = `accuracy-${settingsKey(group)}.json`;
  const table = readSavedAccuracyTables(dir).find((t) => path.basename(t.file) === name) ?? null;
  if (table === null) return null;
  const settings = table.settings as Partial<ProtocolTable['settings']>;
  if (!Array.isArray(table.paired) || !Array.isArray(settings.seeds) || !Array.isArray(settings.methods))
    throw new Error(`readProtocolTable: ${table.file} must list paired, settings.seeds and settings.methods; rebuild it with \`npm run protocol:table\``);
  return table as ProtocolTable;
}

/** One method against the reference method in one table, for one metric (accuracies in [0, 1]). */
export interface MethodComparison {
  method: string;
  imbalanceFactor: number;
  metric: AccuracyMetric;
  /** Mean of the method minus mean of the reference (null when either is missing). */
  delta: number | null;
  /** The larger of the two seed standard deviations (null with fewer than 2 seeds on either side). */
  seedStd: number | null;
  /** Fewest seeds on either side. */
  seeds: number;
  /**
   * 'below' / 'above' when |delta| > 2 * seedStd with at least 2 seeds each; 'within seed spread'
   * otherwise; 'unresolved (one seed)' when either side has a single seed.
   */
  verdict: 'below' | 'above' | 'within seed spread' | 'unresolved (one seed)' | 'missing';
}

/** Every other method of `table` (same imbalance factor) against `reference` on `metric`. */
export function compareWithReference(table: Pick<AccuracyTable, 'rows'>, reference: string, metric: AccuracyMetric): MethodComparison[] {
  const fn = 'compareWithReference';
  if (!(METRICS as readonly string[]).includes(metric)) throw new Error(`${fn}: metric must be one of ${METRICS.join(', ')}; got ${JSON.stringify(metric)}`);
  const out: MethodComparison[] = [];
  for (const row of table.rows) {
    if (row.method === reference) continue;
    const ref = table.rows.find((r) => r.method === reference && r.imbalanceFactor === row.imbalanceFactor);
    const a = row[metric];
    const b = ref?.[metric];
    if (!b || a.mean === null || b.mean === null) {
      out.push({ method: row.method, imbalanceFactor: row.imbalanceFactor, metric, delta: null, seedStd: null, seeds: 0, verdict: 'missing' });
      continue;
    }
    const seeds = Math.min(a.n, b.n);
    const seedStd = seeds >= 2 && a.std !== null && b.std !== null ? Math.max(a.std, b.std) : null;
    const delta = a.mean - b.mean;
    const verdict = seeds < 2 ? 'unresolved (one seed)' : Math.abs(delta) > 2 * (seedStd as number) ? (delta < 0 ? 'below' : 'above') : 'within seed spread';
    out.push({ method: row.method, imbalanceFactor: row.imbalanceFactor, metric, delta, seedStd, seeds, verdict });
  }
  return out;
}
