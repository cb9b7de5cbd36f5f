/**
 * Checking a user's ImageNet-LT / iNaturalist 2018 / Places-LT folder against a list file: which
 * listed images are missing, which do not read (header, size limits, decode), which lines repeat a
 * path or carry a label out of range, and whether the class counts and entry total match the
 * published list of that name. Every problem is reported with its list line; nothing throws for a
 * bad image (a malformed list line still throws a DataFormatError).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError } from './format-error';
import { checkImageBytes, type ImageLimits } from './image-header';
import { readImageList } from './image-list';
import { decodeImageBytes, type DecoderName } from './native-decode';

const OLTR = 'the figure stated by Liu et al. 2019 (OLTR), not verified against the list file';
const INAT = 'the figure stated for iNaturalist 2018 in the papers, not verified against the list file';

/**
 * The published lists' entry totals, class counts and per-class range, AS STATED IN THE PAPERS that
 * introduced them (ImageNet-LT and Places-LT: Liu et al., CVPR 2019 (OLTR); iNaturalist 2018: Van
 * Horn et al., CVPR 2018, and the LT literature's 1000..2 per class). They were NOT counted from
 * the list files themselves (none is in this repository or reachable from it); every message that
 * uses them says so (`source`). A user's mismatch is a reason to look, not proof of damage.
 */
export const PUBLISHED_LISTS: Record<string, { entries: number; classes: number; maxPerClass: number; minPerClass: number; source: string }> = {
  'ImageNet_LT_train.txt': { entries: 115846, classes: 1000, maxPerClass: 1280, minPerClass: 5, source: OLTR },
  'ImageNet_LT_val.txt': { entries: 20000, classes: 1000, maxPerClass: 20, minPerClass: 20, source: OLTR },
  'ImageNet_LT_test.txt': { entries: 50000, classes: 1000, maxPerClass: 50, minPerClass: 50, source: OLTR },
  'iNaturalist18_train.txt': { entries: 437513, classes: 8142, maxPerClass: 1000, minPerClass: 2, source: INAT },
  'iNaturalist18_val.txt': { entries: 24426, classes: 8142, maxPerClass: 3, minPerClass: 3, source: INAT },
  'Places_LT_train.txt': { entries: 62500, classes: 365, maxPerClass: 4980, minPerClass: 5, source: OLTR },
  'Places_LT_val.txt': { entries: 7300, classes: 365, maxPerClass: 20, minPerClass: 20, source: OLTR },
  'Places_LT_test.txt': { entries: 36500, classes: 365, maxPerClass: 100, minPerClass: 100, source: OLTR },
};

export interface ImageListReport {
  listFile: string;
  /** Entries read. */
  total: number;
  missing: { line: number; path: string }[];
  unreadable: { line: number; path: string; reason: string }[];
  /** Lines whose path already appeared (first: the line it first appeared on). */
  duplicates: { line: number; path: string; first: number }[];
  /** Lines whose label is >= numClasses (when given). */
  outOfRange: { line: number; path: string; label: number }[];
  /** Images per label (index = label), over readable entries. */
  classCounts: number[];
  /** Differences from the published list of the same file name (entry total, classes, per-class range), in words. */
  published: string[];
  /** Every problem as one line of text (what the data script prints). */
  problems: string[];
}

export interface CheckImageListOptions {
  listFile: string;
  root: string;
  /** Decode every image (default true); false checks existence only. */
  decode?: boolean;
  /** Labels must be below this (default: the published list's class count when the file name is one, else unchecked). */
  numClasses?: number;
  decoder?: DecoderName;
  limits?: ImageLimits;
  /** Images checked at once (default 4). */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

/** See the file comment. */
export async function checkImageList(options: CheckImageListOptions): Promise<ImageListReport> {
  const { listFile, root, decode = true, onProgress, limits = {}, concurrency = 4 } = options;
  const published = PUBLISHED_LISTS[path.basename(listFile)];
  const numClasses = options.numClasses ?? published?.classes;
  const report: ImageListReport = { listFile, total: 0, missing: [], unreadable: [], duplicates: [], outOfRange: [], classCounts: [], published: [], problems: [] };
  const firstLine = new Map<string, number>();
  const readable: { line: number; label: number }[] = [];
  const running = new Set<Promise<void>>();
  const checkOne = async (entry: { path: string; label: number; line: number }) => {
    const file = path.join(root, entry.path);
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') report.missing.push({ line: entry.line, path: entry.path });
      else report.unreadable.push({ line: entry.line, path: entry.path, reason: `cannot read: ${code ?? (err as Error).message}` });
      return;
    }
    try {
      checkImageBytes(bytes, limits);
      await decodeImageBytes(bytes, { decoder: options.decoder, limits });
      readable.push({ line: entry.line, label: entry.label });
    } catch (err) {
      report.unreadable.push({ line: entry.line, path: entry.path, reason: (err as Error).message });
    }
  };
  // Every problem is listed, an image with two labels too (as a duplicate line), not only the first.
  for await (const entry of readImageList(listFile, { onConflict: () => undefined })) {
    report.total++;
    if (onProgress && report.total % 1000 === 0) onProgress(report.total);
    const seen = firstLine.get(entry.path);
    if (seen !== undefined) report.duplicates.push({ line: entry.line, path: entry.path, first: seen });
    else firstLine.set(entry.path, entry.line);
    if (numClasses !== undefined && entry.label >= numClasses) {
      report.outOfRange.push({ line: entry.line, path: entry.path, label: entry.label });
      continue;
    }
    if (!decode) {
      if (fs.existsSync(path.join(root, entry.path))) readable.push({ line: entry.line, label: entry.label });
      else report.missing.push({ line: entry.line, path: entry.path });
      continue;
    }
    const job = checkOne(entry).finally(() => running.delete(job));
    running.add(job);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  for (const { label } of readable) {
    while (report.classCounts.length <= label) report.classCounts.push(0);
    report.classCounts[label]++;
  }
  if (numClasses !== undefined) while (report.classCounts.length < numClasses) report.classCounts.push(0);
  const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line;
  report.missing.sort(byLine);
  report.unreadable.sort(byLine);
  if (published) report.published = comparePublished(path.basename(listFile), report, published);
  report.problems = [
    ...report.missing.map((m) => `missing    line ${m.line}: ${m.path} (no such file under ${root})`),
    ...report.unreadable.map((u) => `unreadable line ${u.line}: ${u.path} (${u.reason})`),
    ...report.duplicates.map((d) => `duplicate  line ${d.line}: ${d.path} (also on line ${d.first})`),
    ...report.outOfRange.map((o) => `label      line ${o.line}: ${o.path} has label ${o.label}; expected 0..${numClasses! - 1}`),
    ...report.published,
  ];
  return report;
}

function comparePublished(name: string, report: ImageListReport, expected: (typeof PUBLISHED_LISTS)[string]): string[] {
  const out: string[] = [];
  if (report.total !== expected.entries) {
    const diff = report.total - expected.entries;
    out.push(`entries    ${name} has ${report.total} entries; the published list has ${expected.entries} (${Math.abs(diff)} ${diff < 0 ? 'fewer: truncated or edited?' : 'more: another version?'}) [${expected.source}]`);
  }
  const counts = report.classCounts.slice(0, expected.classes);
  const empty = counts.flatMap((c, k) => (c === 0 ? [k] : []));
  if (empty.length > 0) {
    out.push(`classes    ${empty.length} of ${expected.classes} classes have no readable image: ${empty.slice(0, 20).join(', ')}${empty.length > 20 ? ', ...' : ''}`);
  }
  const present = counts.filter((c) => c > 0);
  if (present.length > 0) {
    const max = Math.max(...present);
    const min = Math.min(...present);
    if (max !== expected.maxPerClass || min !== expected.minPerClass) {
      const worst = counts.map((c, k) => [k, c] as const).filter(([, c]) => c > 0 && c < expected.minPerClass).slice(0, 10);
      out.push(
        `counts     readable images per class run ${max}..${min}; the published list has ${expected.maxPerClass}..${expected.minPerClass}` +
          (worst.length > 0 ? ` (below ${expected.minPerClass}: ${worst.map(([k, c]) => `class ${k}: ${c}`).join(', ')})` : '') +
          ` [${expected.source}]`,
      );
    }
  }
  return out;
}

/** Throws a DataFormatError naming the first problem when `report` has any (for callers that must not continue). */
export function assertListChecked(report: ImageListReport): void {
  if (report.problems.length > 0) throw new DataFormatError(report.listFile, 'check', 'every listed image present and readable', `${report.problems.length} problem(s); first: ${report.problems[0]}`);
}
