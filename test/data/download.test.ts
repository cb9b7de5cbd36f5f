import test from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tar from 'tar';
import { downloadVerified, extractTarGz, fileDigest, installVerified, verifyFile } from '../../src/data';
import { tempDir } from './tmp';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** A local server: /ok serves `body`, /cut announces more than it sends then drops the socket. */
async function serve(body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': body.length * 2 });
      res.write(body);
      setTimeout(() => res.socket?.destroy(), 20);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('fileDigest and verifyFile agree with node:crypto and reject a mismatch', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, 'hello');
  t.is(await fileDigest(file, 'md5'), '5d41402abc4b2a76b9719d911017c592'); // md5("hello"), a well-known value
  await verifyFile(file, { md5: md5('hello'), sha256: createHash('sha256').update('hello').digest('hex') });
  await t.throwsAsync(verifyFile(file, { md5: '0'.repeat(32) }), { message: /has md5 5d41402abc4b2a76b9719d911017c592; expected 0{32}/ });
  await t.throwsAsync(verifyFile(file, {}), { message: /md5 or sha256/ });
});

test('downloadVerified writes the file only after its checksum matches', async (t) => {
  const dir = tempDir(t);
  const body = Buffer.from('x'.repeat(5000));
  const server = await serve(body);
  t.teardown(server.close);
  const dest = path.join(dir, 'sub', 'file.bin');
  await downloadVerified({ url: `${server.url}/ok`, dest, checksum: { md5: md5(body) } });
  t.deepEqual(fs.readFileSync(dest), body);
  t.deepEqual(fs.readdirSync(path.join(dir, 'sub')), ['file.bin']);
  const wrong = path.join(dir, 'wrong.bin');
  await t.throwsAsync(downloadVerified({ url: `${server.url}/ok`, dest: wrong, checksum: { md5: '0'.repeat(32) } }), { message: /expected 0{32}/ });
  await t.throwsAsync(downloadVerified({ url: `${server.url}/missing`, dest: wrong, checksum: { md5: md5(body) } }), { message: /answered HTTP 404.*--from/ });
  await t.throwsAsync(downloadVerified({ url: `${server.url}/cut`, dest: wrong, checksum: { md5: md5(body) } }), { message: /broke off after \d+ bytes.*--from/ });
  t.deepEqual(fs.readdirSync(dir).sort(), ['sub'], 'failed downloads leave nothing, not even a temporary file');
});

test('an unreachable host says how to supply the file instead', async (t) => {
  const dir = tempDir(t);
  const offline = (async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
  }) as unknown as typeof fetch;
  await t.throwsAsync(downloadVerified({ url: 'https://example.invalid/a.tar.gz', dest: path.join(dir, 'a.tar.gz'), checksum: { md5: '0'.repeat(32) }, fetchImpl: offline }),
    { message: /could not reach https:\/\/example.invalid\/a.tar.gz \(ENOTFOUND\)\. Download it on a machine that can reach it, then rerun with --from <that file>/ });
  t.deepEqual(fs.readdirSync(dir), []);
});

test('installVerified copies a local file after verifying it', async (t) => {
  const dir = tempDir(t);
  const source = path.join(dir, 'local.bin');
  fs.writeFileSync(source, 'data');
  await installVerified({ source, dest: path.join(dir, 'out', 'x.bin'), checksum: { md5: md5('data') } });
  t.is(fs.readFileSync(path.join(dir, 'out', 'x.bin'), 'utf8'), 'data');
  await t.throwsAsync(installVerified({ source, dest: path.join(dir, 'out', 'y.bin'), checksum: { md5: md5('other') } }), { message: /expected/ });
  t.deepEqual(fs.readdirSync(path.join(dir, 'out')), ['x.bin']);
});

test('extractTarGz extracts through a temporary folder; a broken archive leaves no folder', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'src', 'inner'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'inner', 'a.txt'), 'A'.repeat(20000));
  const archive = path.join(dir, 'a.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: path.join(dir, 'src') }, ['inner']);
  await extractTarGz({ archive, dest: path.join(dir, 'out') });
  t.is(fs.readFileSync(path.join(dir, 'out', 'inner', 'a.txt'), 'utf8').length, 20000);
  const broken = path.join(dir, 'broken.tar.gz');
  const bytes = fs.readFileSync(archive);
  fs.writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await t.throwsAsync(extractTarGz({ archive: broken, dest: path.join(dir, 'out2') }), { message: /could not extract .*broken.tar.gz/ });
  t.false(fs.existsSync(path.join(dir, 'out2')));
  t.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.part')), []);
});
