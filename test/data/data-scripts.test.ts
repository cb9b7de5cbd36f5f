// The data-scripts as a user runs them (through tsx), on small generated files.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { writeSyntheticImageLists } from '../../src/data';
import { tempDir } from './tmp';

const ROOT = path.resolve(__dirname, '..', '..');
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'data-scripts', script), ...args], { encoding: 'utf8', cwd: ROOT });

test('image-lists/check.ts reports missing and unreadable images and exits 2; 0 when all is well', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'img'));
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(255);
  fs.writeFileSync(path.join(dir, 'img', 'ok.png'), PNG.sync.write(png));
  fs.writeFileSync(path.join(dir, 'img', 'bad.jpg'), 'garbage');
  fs.writeFileSync(path.join(dir, 'list.txt'), 'img/ok.png 0\nimg/none.jpg 1\nimg/bad.jpg 1\n');
  fs.writeFileSync(path.join(dir, 'good.txt'), 'img/ok.png 0\n');
  const report = path.join(dir, 'report.json');
  const bad = run('image-lists/check.ts', ['--list', path.join(dir, 'list.txt'), '--root', dir, '--report', report]);
  t.is(bad.status, 2, bad.stderr);
  t.regex(bad.stdout, /3 entries, 1 classes, 1 missing, 1 unreadable/);
  t.regex(bad.stdout, /missing {4}line 2: img\/none.jpg/);
  t.is(JSON.parse(fs.readFileSync(report, 'utf8')).unreadable[0].line, 3);
  const good = run('image-lists/check.ts', ['--list', path.join(dir, 'good.txt'), '--root', dir]);
  t.is(good.status, 0, good.stderr);
});

test('fashion-mnist/prepare.ts fails with instructions when the files are absent', (t) => {
  const dir = tempDir(t);
  const result = run('fashion-mnist/prepare.ts', ['--source-dir', dir]);
  t.is(result.status, 1);
  t.regex(result.stderr, /train-images-idx3-ubyte.gz is missing\nGet the files with: apt-get install -y dataset-fashion-mnist/);
});

test('image-lists/check.ts --dataset says exactly what is wrong: missing, unreadable, duplicate, label, counts vs the published list', async (t) => {
  const dir = tempDir(t);
  const made = await writeSyntheticImageLists({ dir, format: 'places-lt', numClasses: 4, nMax: 6, imbalanceFactor: 3, testPerClass: 1, sideRange: [16, 24], seed: 1 });
  const lines = fs.readFileSync(made.trainList, 'utf8').trim().split('\n');
  const [gone, corrupt] = [lines[1].split(' ')[0], lines[2].split(' ')[0]];
  fs.rmSync(path.join(dir, gone));
  fs.writeFileSync(path.join(dir, corrupt), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
  fs.writeFileSync(made.trainList, `${[...lines, lines[0], `${lines[3].split(' ')[0]} 365`].join('\n')}\n`);
  const result = run('image-lists/check.ts', ['--dataset', 'places-lt', '--root', dir]);
  t.is(result.status, 2, result.stderr);
  t.regex(result.stdout, /Places_LT_val\.txt: not found in/);
  t.regex(result.stdout, new RegExp(`missing {4}line 2: ${gone.replace(/[.]/g, '\\.')} \\(no such file under`));
  t.regex(result.stdout, new RegExp(`unreadable line 3: ${corrupt.replace(/[.]/g, '\\.')} \\(JPEG: no frame header`));
  t.regex(result.stdout, new RegExp(`duplicate  line ${lines.length + 1}: .* \\(also on line 1\\)`));
  t.regex(result.stdout, new RegExp(`label      line ${lines.length + 2}: .* has label 365; expected 0\\.\\.364`));
  t.regex(result.stdout, new RegExp(`entries    Places_LT_train\\.txt has ${lines.length + 2} entries; the published list has 62500 \\(\\d+ fewer.*\\[the figure stated by Liu et al\\. 2019 \\(OLTR\\), not verified against the list file\\]`));
  t.regex(result.stdout, /classes {4}361 of 365 classes have no readable image: 4, 5, 6/);
  t.regex(result.stdout, /Places_LT_test\.txt: 4 entries, 4 classes, 0 missing, 0 unreadable/);
});

(fs.existsSync('/usr/share/datasets/fashion-mnist') ? test : test.skip)('fashion-mnist/export-subset.ts writes the fixed protocol subset byte for byte as committed; a bad --set is named', (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'fixed.json');
  const result = run('fashion-mnist/export-subset.ts', ['--out', out]);
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /4958 rows, class counts \[2000,1198,718,430,258,154,92,55,33,20\], rowsSha256 5437aee0303f/);
  t.is(fs.readFileSync(out, 'utf8'), fs.readFileSync(path.join(ROOT, 'data', 'subsets', 'fashion-mnist-lt-fixed-if100-nmax2000.json'), 'utf8'));
  const bad = run('fashion-mnist/export-subset.ts', ['--set', 'nMax', '--out', out]);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /--set takes FIELD=VALUE; got 'nMax'/);
});
