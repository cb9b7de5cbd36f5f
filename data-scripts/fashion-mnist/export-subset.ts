/**
 * Writes the long-tailed subset a config trains on as a subset list (the format of
 * data/subsets/*.json), so that another code, e.g. the authors' ResCom code, trains on the very
 * same images: the reverse of authors-subset.py. See README.md beside this file.
 *
 *   npx tsx data-scripts/fashion-mnist/export-subset.ts                         # fashion-mnist-lt-fixed
 *   npx tsx data-scripts/fashion-mnist/export-subset.ts --config NAME [--set FIELD=VALUE ...] [--out FILE]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyOverrides, getConfig } from '../../src/configs';
import { makeSubsetList, subsetListsDir, writeSubsetList } from '../../src/data';
import { prepareTrainingData } from '../../src/train';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'fashion-mnist-lt-fixed' },
      set: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
    },
  });
  const sets = values.set.map((s): [string, string] => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`export-subset: --set takes FIELD=VALUE; got '${s}'`);
    return [s.slice(0, eq), s.slice(eq + 1)];
  });
  const config = applyOverrides(getConfig(values.config), sets);
  const data = await prepareTrainingData(config, { log: (line) => console.log(line) });
  if (!data.subset || !data.subsetRows)
    throw new Error(
      `export-subset: config ${config.name} trains on its dataset's whole training split (${config.dataset}); there is no subset to export`,
    );
  const name = `${config.name}-if${config.imbalanceFactor}-nmax${config.nMax}`;
  const list = makeSubsetList({
    name,
    dataset: config.dataset,
    rule: `config ${config.name}${sets.length ? ` with ${sets.map(([f, v]) => `${f}=${v}`).join(', ')}` : ''}: ${data.subset.source} (${config.imbalanceProfile} profile, IF ${config.imbalanceFactor}, n_max ${config.nMax}); rows in training order, grouped by class`,
    madeBy: 'data-scripts/fashion-mnist/export-subset.ts',
    rows: data.subsetRows.train,
    rowLabels: data.train.labels,
    splitSize: data.subsetRows.splitSize,
    numClasses: data.classCounts.length,
  });
  const file = path.resolve(values.out ?? path.join(subsetListsDir(), `${name}.json`));
  writeSubsetList(file, list);
  console.log(`${file}: ${list.rows.length} rows, class counts [${list.classCounts}], rowsSha256 ${list.rowsSha256}`);
  await data.dispose?.();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
