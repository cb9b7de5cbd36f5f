import test from 'ava';
import {
  CONFIG_FIELDS,
  CONFIG_SCHEMA,
  CONFIG_VERSION,
  getConfig,
  loadSavedConfig,
  savedConfig,
} from '../../src/configs';

test('a saved config loads back equal; older versions get the later fields with the earlier behaviour', (t) => {
  const config = getConfig('fashion-mnist-lt');
  const saved = savedConfig(config);
  t.is(saved.version, CONFIG_VERSION);
  t.deepEqual(loadSavedConfig(JSON.parse(JSON.stringify(saved))), config);
  // Version 1 (no version field, written before nMax and valPerClass existed).
  const v1: Record<string, unknown> = { ...config };
  delete v1.nMax;
  delete v1.valPerClass;
  const loaded = loadSavedConfig(v1);
  t.is(loaded.nMax, 0);
  t.is(loaded.valPerClass, 0);
  // Version 2 had nMax but not valPerClass.
  const v2: Record<string, unknown> = { ...config, version: 2, nMax: 500 };
  delete v2.valPerClass;
  t.is(loadSavedConfig(v2).nMax, 500);
  t.is(loadSavedConfig(v2).valPerClass, 0);
  // Every field added later says since when and what it was before; the first-version fields do not.
  const later = CONFIG_FIELDS.filter((f) => CONFIG_SCHEMA[f].since !== undefined);
  t.deepEqual(later, ['nMax', 'valPerClass', 'subsetSeed', 'subsetList']);
  for (const f of later) t.true(CONFIG_SCHEMA[f].since! <= CONFIG_VERSION && CONFIG_SCHEMA[f].default !== undefined, f);
});

test('a field missing although its version had it, a newer version or a non-object is an error naming the place', (t) => {
  const config: Record<string, unknown> = { ...getConfig('fashion-mnist-lt'), version: 3 };
  delete config.valPerClass;
  t.throws(() => loadSavedConfig(config, 'here'), {
    message: /here: invalid config .*\n.*field 'valPerClass' is missing/,
  });
  const v1: Record<string, unknown> = { ...getConfig('fashion-mnist-lt') };
  delete v1.lr;
  t.throws(() => loadSavedConfig(v1), { message: /field 'lr' is missing/ });
  t.throws(() => loadSavedConfig({ ...getConfig('fashion-mnist-lt'), version: CONFIG_VERSION + 1 }, 'there'), {
    message: new RegExp(
      `there: config version must be an integer in 1\\.\\.${CONFIG_VERSION} \\(this rescom-lab\\); got ${CONFIG_VERSION + 1}`,
    ),
  });
  t.throws(() => loadSavedConfig(null), { message: /loadSavedConfig: a saved config must be an object; got null/ });
});
