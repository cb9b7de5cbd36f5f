/**
 * CIFAR-10 / CIFAR-100 (binary versions): download the official archive, verify its published MD5,
 * extract it (through a temporary folder), and read it back once as a check. See README.md.
 *
 *   npx tsx data-scripts/cifar/prepare.ts --variant cifar10            # download + verify + extract to data/raw/
 *   npx tsx data-scripts/cifar/prepare.ts --variant cifar100 --from cifar-100-binary.tar.gz
 *   options: --out DIR (default data/raw), --keep-archive
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CifarVariant,
  classCounts,
  downloadVerified,
  extractTarGz,
  installVerified,
  loadCifar,
} from '../../src/data';

const ROOT = path.resolve(__dirname, '..', '..');

/** Archive name, official URL and the MD5 published on the CIFAR page. */
export const CIFAR_ARCHIVES: Record<CifarVariant, { archive: string; url: string; md5: string; folder: string }> = {
  cifar10: {
    archive: 'cifar-10-binary.tar.gz',
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    folder: 'cifar-10-batches-bin',
  },
  cifar100: {
    archive: 'cifar-100-binary.tar.gz',
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    md5: '03b5dce01913d631647c71ecec9e9cb8',
    folder: 'cifar-100-binary',
  },
};

/**
 * Fetches (or takes `from`) the archive into `out`, verifies its MD5 (`md5` overrides the published
 * one: tests use it with small generated archives), extracts it to `out/<variant>/`, reads both splits.
 */
export async function prepareCifar(options: {
  variant: CifarVariant;
  out: string;
  from?: string;
  md5?: string;
  keepArchive?: boolean;
  log?: (line: string) => void;
}): Promise<{ dir: string; train: number; test: number }> {
  const { variant, out, from, keepArchive = false, log = console.log } = options;
  const spec = CIFAR_ARCHIVES[variant];
  if (!spec) throw new Error(`prepareCifar: variant must be 'cifar10' or 'cifar100'; got ${JSON.stringify(variant)}`);
  const checksum = { md5: options.md5 ?? spec.md5 };
  const archive = path.join(out, spec.archive);
  const dir = path.join(out, variant);
  if (fs.existsSync(path.join(dir, spec.folder))) {
    log(`${dir} already holds ${spec.folder}; checking it`);
  } else {
    if (from) {
      log(`verifying ${from} (md5 ${checksum.md5})`);
      await installVerified({ source: from, dest: archive, checksum });
    } else if (!fs.existsSync(archive)) {
      log(`downloading ${spec.url}`);
      await downloadVerified({
        url: spec.url,
        dest: archive,
        checksum,
        onProgress: (got, total) =>
          log(`  ${(got / 2 ** 20).toFixed(0)}${total ? ` / ${(total / 2 ** 20).toFixed(0)}` : ''} MB`),
      });
    } else {
      log(`verifying ${archive}`);
      await installVerified({ source: archive, dest: archive, checksum });
    }
    log(`extracting to ${dir}`);
    await extractTarGz({ archive, dest: dir });
    if (!keepArchive) fs.rmSync(archive);
  }
  const train = await loadCifar({ dir, variant, split: 'train' });
  const test = await loadCifar({ dir, variant, split: 'test' });
  log(
    `${variant}: train ${train.labels.length} images (per class ${classCounts(train).slice(0, 5).join(', ')}, ...), test ${test.labels.length}`,
  );
  return { dir, train: train.labels.length, test: test.labels.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string', default: 'cifar10' },
      out: { type: 'string', default: path.join(ROOT, 'data', 'raw') },
      from: { type: 'string' },
      'keep-archive': { type: 'boolean', default: false },
    },
  });
  await prepareCifar({
    variant: values.variant as CifarVariant,
    out: values.out,
    from: values.from,
    keepArchive: values['keep-archive'],
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`cifar/prepare: ${(err as Error).message}`);
    process.exit(1);
  });
}
