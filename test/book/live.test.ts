// The live book without a browser: a chapter with a `live` cell gets the run bar, an escaped
// editable copy of its code, the banner and the bundle; the bundle holds one tfjs-core (the ES
// build) and the assets the page fetches (wasm binaries, the embedded data as committed).
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBook } from '../../src/book/build';
import { liveCellHtml } from '../../src/book/live-cell';
import { readNotebook, writeNotebook } from '../../src/notebook';
import { writeFixtureSeries } from './fixture';

const repoDir = path.resolve(__dirname, '..', '..');

test('liveCellHtml: run bar, highlighted code, escaped editable source, outputs, file:// note; ids checked', (t) => {
  const html = liveCellHtml({ id: 'sim-1', source: 'const a = x < 1 && "</textarea>";', codeHtml: '<pre class="code">c</pre>', outputsHtml: '<div class="outputs">o</div>' });
  t.regex(html, /^<div class="cell live-cell" id="cell-sim-1" data-live-id="sim-1">/);
  t.regex(html, /<button type="button" class="live-run">/);
  t.regex(html, /<textarea class="live-code" hidden[^>]*>const a = x &lt; 1 &amp;&amp; &quot;&lt;\/textarea&gt;&quot;;<\/textarea>/);
  t.regex(html, /<p class="live-file-note" hidden><\/p>/);
  t.throws(() => liveCellHtml({ id: 'a b', source: '', codeHtml: '', outputsHtml: '' }), { message: /needs an id of letters, digits/ });
});

test.serial('a book with a live cell ships live.js (one tfjs-core), the wasm binaries and the embedded data', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-live-book-'));
  const { notebooksDir, executedDir } = writeFixtureSeries(root);
  for (const dir of [notebooksDir, executedDir]) {
    const file = path.join(dir, '01-chapter.ipynb');
    const nb = readNotebook(file);
    nb.cells.find((c) => c.id === 'table')!.metadata = { tags: ['live'] };
    writeNotebook(file, nb);
  }
  const out = path.join(root, 'book');
  await buildBook({ notebooksDir, executedDir, out, execute: false, full: false, repoDir, log: () => {} });
  const page = fs.readFileSync(path.join(out, '01-chapter.html'), 'utf8');
  t.regex(page, /<div class="live-banner"/);
  t.regex(page, /data-live-id="table"/);
  t.regex(page, /<script src="assets\/live\.js"><\/script>/);
  t.notRegex(fs.readFileSync(path.join(out, '02-chapter.html'), 'utf8'), /live\.js/, 'a chapter without live cells loads no bundle');
  const bundle = fs.readFileSync(path.join(out, 'assets', 'live.js'), 'utf8');
  t.true(bundle.length > 1_000_000 && bundle.length < 6_000_000, `live.js is ${bundle.length} bytes`);
  t.notRegex(bundle, /tf-core\.node\.js/, 'the CommonJS tfjs-core is not bundled next to the ES one');
  for (const f of ['tfjs/tfjs-backend-wasm.wasm', 'tfjs/tfjs-backend-wasm-simd.wasm', 'data/fashion-mnist-lt/manifest.json', 'data/fashion-mnist-lt/train-images-idx3-ubyte.gz']) {
    t.true(fs.existsSync(path.join(out, 'assets', f)), f);
  }
  t.true(fs.readFileSync(path.join(out, 'assets', 'data', 'fashion-mnist-lt', 'train-labels-idx1-ubyte.gz')).equals(fs.readFileSync(path.join(repoDir, 'data', 'fashion-mnist-lt', 'train-labels-idx1-ubyte.gz'))));
  fs.rmSync(root, { recursive: true, force: true });
});
