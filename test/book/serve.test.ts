import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveBook } from '../../src/book/serve';

test('book:serve serves files with their types (wasm as application/wasm, .gz as bytes), 404s and stays inside the book', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-serve-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<p>contents</p>');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'a.wasm'), Buffer.from([0, 97, 115, 109]));
  fs.writeFileSync(path.join(dir, 'assets', 'd.gz'), Buffer.from([31, 139, 8]));
  fs.writeFileSync(path.join(os.tmpdir(), 'rescom-serve-secret.txt'), 'secret');
  const server = await serveBook({ dir, port: 0 });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const index = await fetch(`${base}/`);
    t.is(index.headers.get('content-type'), 'text/html; charset=utf-8');
    t.is(await index.text(), '<p>contents</p>');
    const wasm = await fetch(`${base}/assets/a.wasm`);
    t.is(wasm.headers.get('content-type'), 'application/wasm');
    t.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0, 97, 115, 109]);
    const gz = await fetch(`${base}/assets/d.gz`);
    t.is(gz.headers.get('content-encoding'), null, 'no Content-Encoding: the page checks the bytes as stored');
    t.is((await fetch(`${base}/missing.html`)).status, 404);
    t.is((await fetch(`${base}/..%2frescom-serve-secret.txt`)).status, 403);
    t.is((await fetch(`${base}/`, { method: 'POST' })).status, 405);
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await t.throwsAsync(serveBook({ dir: os.tmpdir() + '/no-such-book', port: 0 }), { message: /has no index\.html; build the book with npm run book/ });
});
