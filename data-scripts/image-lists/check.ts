/**
 * ImageNet-LT / iNaturalist 2018 / Places-LT: these cannot be downloaded by a script (licence
 * terms, sizes of 100+ GB); the user supplies the images. This checks an image root against a list
 * file (`relative/path.jpg label` per line) and reports missing and unreadable images. See README.md.
 *
 *   npx tsx data-scripts/image-lists/check.ts --list ImageNet_LT_train.txt --root /data/imagenet [--no-decode] [--report out.json]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkImageList } from '../../src/data';
import { writeFileAtomic } from '../../src/util';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      list: { type: 'string' },
      root: { type: 'string' },
      'no-decode': { type: 'boolean', default: false },
      report: { type: 'string' },
    },
  });
  if (!values.list || !values.root) throw new Error('usage: check.ts --list <list file> --root <image root> [--no-decode] [--report <file.json>]');
  const started = Date.now();
  const report = await checkImageList({
    listFile: values.list,
    root: values.root,
    decode: !values['no-decode'],
    onProgress: (done) => console.log(`  ${done} images checked (${((Date.now() - started) / 1000).toFixed(0)} s)`),
  });
  const classes = report.classCounts.filter((c) => c > 0).length;
  console.log(`${path.basename(report.listFile)}: ${report.total} entries, ${classes} classes, ${report.missing.length} missing, ${report.unreadable.length} unreadable`);
  for (const m of report.missing.slice(0, 20)) console.log(`  missing    line ${m.line}: ${m.path}`);
  for (const u of report.unreadable.slice(0, 20)) console.log(`  unreadable line ${u.line}: ${u.path} (${u.reason})`);
  if (values.report) writeFileAtomic(values.report, `${JSON.stringify(report, null, 2)}\n`);
  return report.missing.length + report.unreadable.length === 0 ? 0 : 2;
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
