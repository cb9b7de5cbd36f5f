/**
 * ImageNet-LT / iNaturalist 2018 / Places-LT: these cannot be downloaded by a script (licence
 * terms, sizes of 100+ GB); the user supplies the images. This checks an image root against the
 * list files (`relative/path.jpg label` per line) and says exactly what is wrong: missing images,
 * unreadable ones (bad header, over the size limits, corrupt data: with the decoder's reason),
 * repeated paths, labels out of range, and class counts / entry totals that differ from the
 * published lists. See README.md.
 *
 *   npx tsx data-scripts/image-lists/check.ts --list ImageNet_LT_train.txt --root /data/imagenet [--no-decode] [--report out.json]
 *   npx tsx data-scripts/image-lists/check.ts --dataset imagenet-lt --root /data/imagenet [--lists DIR] [--show 50]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkImageList, LIST_FORMAT_FILES, type ImageListReport, type ListFormat } from '../../src/data';
import { writeFileAtomic } from '../../src/util';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      list: { type: 'string', multiple: true },
      dataset: { type: 'string' },
      lists: { type: 'string' },
      root: { type: 'string' },
      'no-decode': { type: 'boolean', default: false },
      report: { type: 'string' },
      show: { type: 'string', default: '20' },
    },
  });
  const usage =
    'usage: check.ts (--list <list file> ... | --dataset imagenet-lt|inaturalist2018|places-lt [--lists <dir>]) --root <image root> [--no-decode] [--report <file.json>] [--show N]';
  if (!values.root || (!values.list && !values.dataset)) throw new Error(usage);
  let lists = values.list ?? [];
  let absent = 0;
  if (values.dataset) {
    const files = LIST_FORMAT_FILES[values.dataset as ListFormat];
    if (!files)
      throw new Error(`--dataset must be one of ${Object.keys(LIST_FORMAT_FILES).join(', ')}; got '${values.dataset}'`);
    const dir = values.lists ?? values.root;
    for (const name of [...new Set([files.train, files.val, files.test])]) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) lists = [...lists, file];
      else {
        console.log(
          `${name}: not found in ${dir} (get it with the dataset's split files; see data-scripts/image-lists/README.md)`,
        );
        if (name !== files.val) absent++;
      }
    }
  }
  const show = Number(values.show);
  const reports: ImageListReport[] = [];
  for (const list of lists) {
    const started = Date.now();
    const report = await checkImageList({
      listFile: list,
      root: values.root,
      decode: !values['no-decode'],
      onProgress: (done) =>
        console.log(
          `  ${path.basename(list)}: ${done} images checked (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        ),
    });
    reports.push(report);
    const classes = report.classCounts.filter((c) => c > 0).length;
    console.log(
      `${path.basename(report.listFile)}: ${report.total} entries, ${classes} classes, ${report.missing.length} missing, ${report.unreadable.length} unreadable, ` +
        `${report.duplicates.length} duplicate, ${report.outOfRange.length} label out of range`,
    );
    // The first `show` problems of each kind, so one kind cannot hide the others.
    const kinds = new Map<string, string[]>();
    for (const p of report.problems) {
      const kind = p.split(/\s/)[0];
      if (!kinds.has(kind)) kinds.set(kind, []);
      kinds.get(kind)!.push(p);
    }
    for (const [, lines] of kinds) {
      for (const line of lines.slice(0, show)) console.log(`  ${line}`);
      if (lines.length > show)
        console.log(`  ... and ${lines.length - show} more of this kind (--show N, or --report FILE for all)`);
    }
    if (report.problems.length === 0) console.log('  all listed images present and readable');
  }
  if (values.report)
    writeFileAtomic(values.report, `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  const bad = reports.some(
    (r) => r.missing.length + r.unreadable.length + r.duplicates.length + r.outOfRange.length + r.published.length > 0,
  );
  return bad || absent > 0 ? 2 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`image-lists/check: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
