import test from 'ava';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { embeddedFashionMnistDir, fetchEmbeddedFashionMnistLT, loadEmbeddedFashionMnistLT } from '../../src/data';
import { staticHandler } from '../../src/book/serve';

async function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer(staticHandler(dir));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() };
}

test('fetchEmbeddedFashionMnistLT over HTTP gives exactly what loadEmbeddedFashionMnistLT reads from disk', async (t) => {
  const server = await serve(embeddedFashionMnistDir());
  try {
    const fetched = await fetchEmbeddedFashionMnistLT({ baseUrl: server.url });
    const read = loadEmbeddedFashionMnistLT();
    t.deepEqual(fetched.classCounts, read.classCounts);
    t.deepEqual(fetched.classNames, read.classNames);
    for (const split of ['train', 'test'] as const) {
      t.is(fetched[split].labels.length, read[split].labels.length);
      t.true(Buffer.from(fetched[split].pixels).equals(Buffer.from(read[split].pixels)), `${split} pixels identical`);
      t.deepEqual(Array.from(fetched[split].labels), Array.from(read[split].labels));
    }
  } finally {
    server.close();
  }
});

test('fetchEmbeddedFashionMnistLT names a damaged file, a missing one and a missing baseUrl', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-fetch-'));
  for (const f of fs.readdirSync(embeddedFashionMnistDir())) fs.copyFileSync(path.join(embeddedFashionMnistDir(), f), path.join(dir, f));
  const labels = path.join(dir, 'train-labels-idx1-ubyte.gz');
  const bytes = fs.readFileSync(labels);
  bytes[bytes.length - 1] ^= 1;
  fs.writeFileSync(labels, bytes);
  const server = await serve(dir);
  try {
    await t.throwsAsync(fetchEmbeddedFashionMnistLT({ baseUrl: server.url }), { message: /train-labels-idx1-ubyte\.gz has sha256 [0-9a-f]{64}; the manifest expects/ });
    fs.rmSync(path.join(dir, 't10k-images-idx3-ubyte.gz'));
    await t.throwsAsync(fetchEmbeddedFashionMnistLT({ baseUrl: server.url }), { message: /t10k-images-idx3-ubyte\.gz answered HTTP 404/ });
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await t.throwsAsync(fetchEmbeddedFashionMnistLT({ baseUrl: '' }), { message: /options\.baseUrl must be the URL of the data folder/ });
});
