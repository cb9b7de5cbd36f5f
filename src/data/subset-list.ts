/**
 * Long-tailed subsets given as row lists instead of drawn: `data/subsets/<name>.json`, made once by
 * a committed script, so that anyone trains on the very same images, e.g. the authors' code's own
 * Fashion-MNIST-LT subset (data-scripts/fashion-mnist/authors-subset.py), to compare the two codes
 * image for image. A list names its dataset, the rule that made it and the script, its class counts
 * and its rows (rows of the official training split, grouped by class); `rowsSha256` is the
 * subset's identity (`rowsIdentity`), checked on every read.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { readJsonFile } from '../util/read-file';

/** data/subsets/<name>.json as committed. */
export interface SubsetListFile {
  name: string;
  /** A dataset name of src/data/datasets.ts, e.g. 'fashion-mnist'. */
  dataset: string;
  /** How the rows were chosen, in words. */
  rule: string;
  /** The script (and library versions) that wrote the file. */
  madeBy: string;
  /** Images per class, class 0 first (sum = rows.length). */
  classCounts: number[];
  /** Rows of the dataset's official training split, in training order. */
  rows: number[];
  /** `rowsIdentity(rows)`. */
  rowsSha256: string;
}

/**
 * The identity of a subset: sha256 (hex) of its rows written as decimal numbers joined by ',' in
 * their order ("12,7,40"). Order counts: the same rows in another order shuffle into other batches.
 * Python: hashlib.sha256(','.join(map(str, rows)).encode()).hexdigest().
 */
export function rowsIdentity(rows: ArrayLike<number>): string {
  return createHash('sha256').update(Array.from(rows).join(',')).digest('hex');
}

/** The folder of the shipped lists: `<package root>/data/subsets` (from src/data or lib/data). */
export function subsetListsDir(): string {
  return path.resolve(__dirname, '..', '..', 'data', 'subsets');
}

/** The file a config's `subsetList` names: a path when it ends in `.json`, else a list in data/subsets/. */
export function subsetListPath(nameOrPath: string): string {
  if (nameOrPath.endsWith('.json')) return path.resolve(nameOrPath);
  if (!/^[A-Za-z0-9._-]+$/.test(nameOrPath))
    throw new Error(
      `subsetListPath: a subset list is a name in data/subsets/ (letters, digits, '.', '_', '-') or a path ending in .json; got ${JSON.stringify(nameOrPath)}`,
    );
  return path.join(subsetListsDir(), `${nameOrPath}.json`);
}

/**
 * Reads and checks a subset list for `dataset` with `numRows` training rows and `labels` (the
 * official split's labels): every field present, rows integers in range without repeats, the class
 * counts matching both the rows' labels and `expectedCounts` (the config's), and the identity.
 * Throws naming the file and what is wrong.
 */
export function readSubsetList(
  nameOrPath: string,
  expect: { dataset: string; labels: ArrayLike<number>; expectedCounts: number[] },
): SubsetListFile {
  const fn = 'readSubsetList';
  const file = subsetListPath(nameOrPath);
  const list = readJsonFile<SubsetListFile>(file, fn, 'a subset list (data/subsets/*.json)');
  const bad = (what: string) => new Error(`${fn}: '${file}' ${what}`);
  for (const key of ['name', 'dataset', 'rule', 'madeBy', 'rowsSha256'] as const)
    if (typeof list[key] !== 'string') throw bad(`must have a string '${key}'; got ${JSON.stringify(list[key])}`);
  if (list.dataset !== expect.dataset) throw bad(`lists rows of ${list.dataset}; the config trains on ${expect.dataset}`);
  if (!Array.isArray(list.rows) || !Array.isArray(list.classCounts))
    throw bad("must have arrays 'rows' and 'classCounts'");
  const seen = new Uint8Array(expect.labels.length);
  const counts = new Array<number>(expect.expectedCounts.length).fill(0);
  list.rows.forEach((row, i) => {
    if (!Number.isInteger(row) || row < 0 || row >= expect.labels.length)
      throw bad(`rows[${i}] = ${JSON.stringify(row)} is not a row of the training split (0..${expect.labels.length - 1})`);
    if (seen[row]) throw bad(`lists row ${row} twice`);
    seen[row] = 1;
    counts[expect.labels[row]]++;
  });
  if (counts.join() !== list.classCounts.join())
    throw bad(`says classCounts [${list.classCounts}] but its rows hold [${counts}] images per class`);
  if (counts.join() !== expect.expectedCounts.join())
    throw bad(
      `holds [${counts}] images per class; the config's imbalanceFactor, imbalanceProfile and nMax ask for [${expect.expectedCounts}]`,
    );
  const identity = rowsIdentity(list.rows);
  if (identity !== list.rowsSha256) throw bad(`has rowsSha256 ${list.rowsSha256} but its rows hash to ${identity} (edited?)`);
  return list;
}

/**
 * A subset list of `rows` (rows of `dataset`'s official training split of `splitSize` images, in
 * training order) whose labels are `rowLabels` (label of each listed row, same order): class counts
 * and the identity (`rowsIdentity`) filled in, so that `readSubsetList` accepts it. Throws on a row
 * outside the split, a row listed twice, or labels that do not match the rows one for one.
 */
export function makeSubsetList(fields: {
  name: string;
  dataset: string;
  rule: string;
  madeBy: string;
  rows: ArrayLike<number>;
  rowLabels: ArrayLike<number>;
  splitSize: number;
  numClasses: number;
}): SubsetListFile {
  const fn = 'makeSubsetList';
  const rows = Array.from(fields.rows);
  if (fields.rowLabels.length !== rows.length)
    throw new Error(`${fn}: ${fields.rowLabels.length} labels for ${rows.length} rows; expected one label per row`);
  const seen = new Uint8Array(fields.splitSize);
  const classCounts = new Array<number>(fields.numClasses).fill(0);
  rows.forEach((row, i) => {
    if (!Number.isInteger(row) || row < 0 || row >= fields.splitSize)
      throw new Error(`${fn}: rows[${i}] = ${row} is not a row of the training split (0..${fields.splitSize - 1})`);
    if (seen[row]) throw new Error(`${fn}: row ${row} is listed twice`);
    const label = fields.rowLabels[i];
    if (!Number.isInteger(label) || label < 0 || label >= fields.numClasses)
      throw new Error(`${fn}: the label of rows[${i}] is ${label}; expected a class 0..${fields.numClasses - 1}`);
    seen[row] = 1;
    classCounts[label]++;
  });
  return { name: fields.name, dataset: fields.dataset, rule: fields.rule, madeBy: fields.madeBy, classCounts, rows, rowsSha256: rowsIdentity(rows) };
}

/** Writes a subset list atomically, compact as the committed `data/subsets/*.json` (one line of JSON). */
export function writeSubsetList(file: string, list: SubsetListFile): void {
  writeFileAtomic(file, `${JSON.stringify(list)}\n`);
}
