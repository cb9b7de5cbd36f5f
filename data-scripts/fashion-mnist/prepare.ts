/**
 * Fashion-MNIST: find or fetch the four official files, verify them, and (with --embedded) rebuild
 * the committed long-tailed subset data/fashion-mnist-lt/. See README.md beside this file.
 *
 *   npx tsx data-scripts/fashion-mnist/prepare.ts                 # verify the Debian package's files
 *   npx tsx data-scripts/fashion-mnist/prepare.ts --download      # fetch the official files to data/raw/fashion-mnist
 *   npx tsx data-scripts/fashion-mnist/prepare.ts --from DIR      # install official files downloaded elsewhere
 *   npx tsx data-scripts/fashion-mnist/prepare.ts --embedded      # rebuild data/fashion-mnist-lt from the verified files
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as zlib from 'node:zlib';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_FILES,
  buildEmbeddedFashionMnistLT,
  downloadVerified,
  embeddedFashionMnistDir,
  installVerified,
  loadFashionMnist,
} from '../../src/data';

const ROOT = path.resolve(__dirname, '..', '..');
const OFFICIAL_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** MD5 of the official .gz files, as published in the Fashion-MNIST README. */
export const OFFICIAL_GZ_MD5: Record<string, string> = {
  [FASHION_MNIST_FILES.trainImages]: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  [FASHION_MNIST_FILES.trainLabels]: '25c81989df183df01b3e8a0aad5dffbe',
  [FASHION_MNIST_FILES.testImages]: 'bef4ecab320f06d8554ea6380940ec79',
  [FASHION_MNIST_FILES.testLabels]: 'bb300cfdad3c16e7a12a480ee83cd310',
};

/**
 * sha256 of the DECOMPRESSED files (Debian recompresses the .gz, so its .gz digests differ from the
 * official ones while the IDX content is the same); measured on dataset-fashion-mnist 0.0~git20200523.
 */
export const CONTENT_SHA256: Record<string, string> = {
  [FASHION_MNIST_FILES.trainImages]: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  [FASHION_MNIST_FILES.trainLabels]: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  [FASHION_MNIST_FILES.testImages]: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  [FASHION_MNIST_FILES.testLabels]: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

/** Checks the decompressed content of every file in `dir`; returns the digests or throws naming the bad file. */
export function verifyFashionMnistDir(dir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const name of Object.values(FASHION_MNIST_FILES)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing`);
    const raw = fs.readFileSync(file);
    let content: Buffer;
    try {
      content = zlib.gunzipSync(raw);
    } catch (err) {
      throw new Error(`${file}: not a complete gzip file (${(err as Error).message})`);
    }
    const digest = createHash('sha256').update(content).digest('hex');
    if (digest !== CONTENT_SHA256[name])
      throw new Error(`${file}: decompressed sha256 ${digest}; expected ${CONTENT_SHA256[name]}`);
    digests[name] = digest;
  }
  return digests;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'source-dir': { type: 'string' },
      download: { type: 'boolean', default: false },
      from: { type: 'string' },
      out: { type: 'string', default: path.join(ROOT, 'data', 'raw', 'fashion-mnist') },
      embedded: { type: 'boolean', default: false },
      'embedded-dir': { type: 'string', default: embeddedFashionMnistDir() },
      seed: { type: 'string', default: '2203' },
      'n-max': { type: 'string', default: '1000' },
      'test-per-class': { type: 'string', default: '200' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
    return;
  }
  let dir = values['source-dir'] ?? (fs.existsSync(DEBIAN_FASHION_MNIST_DIR) ? DEBIAN_FASHION_MNIST_DIR : values.out);
  if (values.from || values.download) {
    dir = values.out;
    for (const name of Object.values(FASHION_MNIST_FILES)) {
      const dest = path.join(dir, name);
      const checksum = { md5: OFFICIAL_GZ_MD5[name] };
      if (values.from) {
        console.log(`installing ${name} from ${values.from}`);
        await installVerified({ source: path.join(values.from, name), dest, checksum });
      } else {
        console.log(`downloading ${name}`);
        await downloadVerified({
          url: OFFICIAL_URL + name,
          dest,
          checksum,
          onProgress: (got, total) =>
            console.log(`  ${(got / 2 ** 20).toFixed(1)}${total ? ` / ${(total / 2 ** 20).toFixed(1)}` : ''} MB`),
        });
      }
    }
  }
  console.log(`verifying ${dir}`);
  let digests: Record<string, string>;
  try {
    digests = verifyFashionMnistDir(dir);
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nGet the files with: apt-get install -y dataset-fashion-mnist (Debian/Ubuntu), or rerun with --download, or --from DIR holding the official .gz files.`,
    );
  }
  console.log('all four files verified (sha256 of their decompressed content)');
  if (values.embedded) {
    const source = loadFashionMnist({ dir });
    const manifest = buildEmbeddedFashionMnistLT({
      source,
      sourceSha256: digests,
      outDir: values['embedded-dir'],
      seed: Number(values.seed),
      nMax: Number(values['n-max']),
      testPerClass: Number(values['test-per-class']),
    });
    const total = manifest.trainClassCounts.reduce((a, b) => a + b, 0);
    console.log(
      `wrote ${values['embedded-dir']}: train ${total} images [${manifest.trainClassCounts}], test ${manifest.testClassCounts.reduce((a, b) => a + b, 0)} images`,
    );
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`fashion-mnist/prepare: ${(err as Error).message}`);
    process.exit(1);
  });
}
