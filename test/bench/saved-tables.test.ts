import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithReference, readSavedAccuracyTables } from '../../src/bench/accuracy/saved-tables';

const spread = (mean: number | null, std: number | null, n: number) => ({ mean, std, n });
const row = (method: string, top1: [number, number, number], few: [number, number, number]) => ({
  imbalanceFactor: 100,
  method,
  seeds: [0, 1, 2].slice(0, top1[2]),
  top1: spread(...top1),
  many: spread(0.8, 0.01, top1[2]),
  medium: spread(0.5, 0.01, top1[2]),
  few: spread(...few),
  secondsPerEpoch: spread(1, 0, top1[2]),
  cpuSecondsPerEpoch: spread(1, 0, top1[2]),
});

test('readSavedAccuracyTables reads every accuracy-*.json in name order and ignores other files', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saved-tables-'));
  const table = { command: 'npm run bench:accuracy', settings: { nMax: 1000 }, groupRules: [], rows: [row('rescom', [0.6, 0.01, 2], [0.5, 0.05, 2])], runs: [] };
  fs.writeFileSync(path.join(dir, 'accuracy-b.json'), JSON.stringify(table));
  fs.writeFileSync(path.join(dir, 'accuracy-a.json'), JSON.stringify({ ...table, command: 'first' }));
  fs.writeFileSync(path.join(dir, 'accuracy-notes.md'), '# notes');
  const tables = readSavedAccuracyTables(dir);
  t.deepEqual(tables.map((x) => path.basename(x.file)), ['accuracy-a.json', 'accuracy-b.json']);
  t.is(tables[0].command, 'first');
  t.is(tables[1].rows[0].top1.mean, 0.6);
  t.deepEqual(readSavedAccuracyTables(path.join(dir, 'missing')), []);
  fs.writeFileSync(path.join(dir, 'accuracy-c.json'), JSON.stringify({ ...table, rows: [{ ...table.rows[0], few: 3 }] }));
  t.throws(() => readSavedAccuracyTables(dir), { message: /accuracy-c\.json rows\[0\]\.few must be \{ mean, std, n \}/ });
  fs.writeFileSync(path.join(dir, 'accuracy-c.json'), '{ not json');
  t.throws(() => readSavedAccuracyTables(dir), { message: /accuracy-c\.json is not JSON/ });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('compareWithReference: below / above only beyond twice the larger seed std; one seed is unresolved', (t) => {
  const table = {
    rows: [
      row('rescom', [0.6, 0.01, 3], [0.5, 0.05, 3]),
      row('no-queue', [0.55, 0.02, 3], [0.45, 0.05, 3]), // -0.05 > 2 * 0.02: below; few -0.05 < 2 * 0.05: within
      row('other', [0.65, 0.01, 3], [0.5, 0.05, 3]),
      row('single', [0.5, 0, 1], [0.1, 0, 1]),
    ],
  };
  const top1 = compareWithReference(table, 'rescom', 'top1');
  t.deepEqual(top1.map((c) => [c.method, c.verdict]), [['no-queue', 'below'], ['other', 'above'], ['single', 'unresolved (one seed)']]);
  t.true(Math.abs(top1[0].delta! + 0.05) < 1e-12);
  t.is(top1[0].seedStd, 0.02);
  t.is(top1[2].seedStd, null);
  t.is(compareWithReference(table, 'rescom', 'few')[0].verdict, 'within seed spread');
  t.is(compareWithReference({ rows: [row('a', [0.5, 0.01, 2], [0.5, 0.01, 2])] }, 'rescom', 'top1')[0].verdict, 'missing');
  t.throws(() => compareWithReference(table, 'rescom', 'top5' as 'top1'), { message: /metric must be one of top1, many, medium, few; got "top5"/ });
});

test('the committed bench/results tables read back', (t) => {
  const tables = readSavedAccuracyTables(path.resolve(__dirname, '..', '..', 'bench', 'results'));
  t.true(tables.length >= 1);
  for (const table of tables) t.true(table.rows.length >= 1, table.file);
});
