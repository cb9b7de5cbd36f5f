/**
 * Generates an image tree with list files in the official layout of ImageNet-LT, iNaturalist 2018
 * or Places-LT (long-tailed train list, balanced test list, JPEGs of random sizes): for trying the
 * streaming pipeline, the benchmark (`npm run bench:data -- --list` makes its own) and tests.
 * With --repeat N, also rewrites the train list to N entries cycling over its files (memory tests).
 *
 *   npx tsx data-scripts/image-lists/make-synthetic.ts --dir /tmp/inet-mini --format imagenet-lt \
 *     [--classes 30] [--n-max 24] [--imbalance 12] [--test-per-class 2] [--min-side 40] [--max-side 72] [--repeat 100000]
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { writeRepeatedList, writeSyntheticImageLists, type ListFormat } from '../../src/data';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      format: { type: 'string', default: 'imagenet-lt' },
      classes: { type: 'string', default: '30' },
      'n-max': { type: 'string', default: '24' },
      imbalance: { type: 'string', default: '12' },
      'test-per-class': { type: 'string', default: '2' },
      'min-side': { type: 'string', default: '40' },
      'max-side': { type: 'string', default: '72' },
      repeat: { type: 'string' },
      seed: { type: 'string', default: '0' },
    },
  });
  if (!values.dir)
    throw new Error(
      'usage: make-synthetic.ts --dir DIR [--format imagenet-lt|inaturalist2018|places-lt] [--classes N] [--n-max N] [--imbalance F] [--repeat ENTRIES]',
    );
  const started = Date.now();
  const made = await writeSyntheticImageLists({
    dir: values.dir,
    format: values.format as ListFormat,
    numClasses: Number(values.classes),
    nMax: Number(values['n-max']),
    imbalanceFactor: Number(values.imbalance),
    testPerClass: Number(values['test-per-class']),
    sideRange: [Number(values['min-side']), Number(values['max-side'])],
    seed: Number(values.seed),
  });
  console.log(
    `${made.images} JPEGs in ${values.dir} (${((Date.now() - started) / 1000).toFixed(1)} s); train ${made.trainList} (${made.trainCounts.join('/')}), test ${made.testList}`,
  );
  if (values.repeat) {
    const tmp = `${made.trainList}.source`;
    fs.copyFileSync(made.trainList, tmp);
    writeRepeatedList(tmp, made.trainList, Number(values.repeat));
    fs.rmSync(tmp);
    console.log(`${made.trainList}: rewritten to ${values.repeat} entries (files repeat)`);
  }
}

main().catch((err) => {
  console.error(`image-lists/make-synthetic: ${(err as Error).message}`);
  process.exit(1);
});
