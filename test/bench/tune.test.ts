import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchConfig, runDirOf } from '../../src/bench/accuracy/index';
import {
  DEFAULT_TUNE_OPTIONS,
  LAST_EPOCHS,
  parseTuneArgs,
  planTuning,
  readTuningTable,
  runTuningBench,
  tuningScoreRows,
  validationScore,
  type TuneOptions,
  type TuningRun,
} from '../../src/bench/tune/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl, type TrainingData } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tune-'));
const settings = { config: 'fashion-mnist-lt-ref', nMax: 2000, epochs: 6, backbone: 'resnet20' as const, batchSize: 128 };

/** A run folder's log with these validation top-1 values, one per epoch. */
function writeLog(runDir: string, top1s: number[], config: object = {}): void {
  fs.mkdirSync(runDir, { recursive: true });
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify(config));
  rewriteJsonl(
    path.join(runDir, LOG_FILE),
    top1s.map((top1, i) => ({ epoch: i + 1, val: { top1, few: top1 / 2 } })),
  );
}

function options(root: string, over: Partial<TuneOptions> = {}): TuneOptions {
  return {
    ...DEFAULT_TUNE_OPTIONS,
    settings,
    runsDir: path.join(root, 'runs'),
    protocolRunsDir: path.join(root, 'protocol'),
    outDir: path.join(root, 'results', 'tuning', 'k'),
    ...over,
  };
}

test('options: defaults, flags and errors naming the flag', (t) => {
  const d = parseTuneArgs([]);
  t.deepEqual(d, DEFAULT_TUNE_OPTIONS);
  t.is(d.settings.config, 'fashion-mnist-lt-ref');
  t.is(d.settings.epochs, 30);
  const o = parseTuneArgs(['--variants', 'lambda-0.25,tau-0.1', '--methods=rescom', '--seeds', '4', '--protocol-runs', 'none']);
  t.deepEqual(o.variants, ['lambda-0.25', 'tau-0.1']);
  t.deepEqual(o.methods, ['rescom']);
  t.deepEqual(o.seeds, [4]);
  t.is(o.protocolRunsDir, null);
  t.throws(() => parseTuneArgs(['--variants', 'cutout,nope']), { message: /unknown variant 'nope'; expected one of protocol, cutout/ });
  t.throws(() => parseTuneArgs(['--methods', 'ce,nope']), { message: /--methods .*got 'ce,nope'/ });
  t.throws(() => parseTuneArgs(['--seeds', '1,-2']), { message: /--seeds must be comma-separated integers >= 0; got '1,-2'/ });
  t.throws(() => parseTuneArgs(['--lr', '1']), { message: /unknown argument '--lr'/ });
  t.throws(() => parseTuneArgs(['--seeds']), { message: /--seeds needs a value/ });
});

test('plan: each variant changes only its own fields of the protocol config; the protocol variant reuses a complete committed run only', (t) => {
  const root = tmpDir();
  // seed 0 committed with every epoch, seed 1 interrupted after 2 of 6.
  writeLog(runDirOf(path.join(root, 'protocol'), settings, 100, 'rescom', 0), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  writeLog(runDirOf(path.join(root, 'protocol'), settings, 100, 'rescom', 1), [0.1, 0.2]);
  const runs = planTuning(options(root, { variants: ['protocol', 'cutout', 'lambda-0.25'], methods: ['rescom'], seeds: [0, 1] }));
  t.deepEqual(
    runs.map((r) => `${r.variant}/${r.seed}/${r.reused}`),
    ['protocol/0/true', 'cutout/0/false', 'lambda-0.25/0/false', 'protocol/1/false', 'cutout/1/false', 'lambda-0.25/1/false'],
  );
  t.is(runs[0].runDir, runDirOf(path.join(root, 'protocol'), settings, 100, 'rescom', 0));
  t.is(runs[3].runDir, path.join(root, 'runs', 'protocol', 'rescom-s1'));
  const protocol = benchConfig(settings, 100, 'rescom', 0);
  t.deepEqual(runs[0].config, protocol);
  t.deepEqual(runs[1].config, { ...protocol, augment: 'fashion-mnist' });
  t.not(protocol.augment, 'fashion-mnist');
  t.deepEqual(runs[2].config, { ...protocol, conWeight: 0.25 });
  t.is(runs[4].config.seed, 1);
});

test('plan: a contrastive-only variant (lambda, tau) reuses the protocol run of a method without a contrastive loss (sbs), and trains ResCom', (t) => {
  const root = tmpDir();
  for (const method of ['sbs', 'rescom'] as const) writeLog(runDirOf(path.join(root, 'protocol'), settings, 100, method, 0), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  const runs = planTuning(options(root, { variants: ['cutout', 'lambda-0.25', 'tau-0.3'], methods: ['sbs', 'rescom'], seeds: [0] }));
  t.deepEqual(
    runs.map((r) => `${r.variant}/${r.method}/${r.reused}`),
    ['cutout/sbs/false', 'cutout/rescom/false', 'lambda-0.25/sbs/true', 'lambda-0.25/rescom/false', 'tau-0.3/sbs/true', 'tau-0.3/rescom/false'],
  );
  t.is(runs[2].runDir, runDirOf(path.join(root, 'protocol'), settings, 100, 'sbs', 0));
  t.is(runs[3].runDir, path.join(root, 'runs', 'lambda-0.25', 'rescom-s0'));
  // Without a committed protocol run, sbs trains under the variant's folder.
  const fresh = planTuning(options(tmpDir(), { variants: ['lambda-0.25'], methods: ['sbs'], seeds: [0] }));
  t.false(fresh[0].reused);
});

test('validationScore: the final epoch, the mean of the last epochs, and a clear error without validation', (t) => {
  const root = tmpDir();
  const top1s = [0.1, 0.5, 0.6, 0.7, 0.8, 0.9, 0.85];
  writeLog(root, top1s);
  const score = validationScore(root, 7)!;
  t.is(score.top1, 0.85);
  t.is(score.few, 0.425);
  // By hand: the last LAST_EPOCHS (5) values 0.6, 0.7, 0.8, 0.9, 0.85.
  t.is(LAST_EPOCHS, 5);
  t.true(Math.abs(score.lastMeanTop1 - (0.6 + 0.7 + 0.8 + 0.9 + 0.85) / 5) < 1e-12);
  t.is(validationScore(root, 8), null, 'fewer epochs logged than asked: not finished');
  rewriteJsonl(path.join(root, LOG_FILE), [{ epoch: 1, val: null }]);
  t.throws(() => validationScore(root, 1), { message: /epoch 1 has no validation top-1/ });
});

test('runTuningBench: trains without the test set, pairs ResCom with each method by seed within a variant, copies the small files, resumes', async (t) => {
  const root = tmpDir();
  // The committed protocol runs of both methods on seeds 0 and 1.
  const finalTop1: Record<string, number> = {
    'protocol/sbs/0': 0.88,
    'protocol/rescom/0': 0.87,
    'protocol/sbs/1': 0.86,
    'protocol/rescom/1': 0.875,
    'cutout/sbs/0': 0.85,
    'cutout/rescom/0': 0.89,
    'cutout/sbs/1': 0.84,
    'cutout/rescom/1': 0.86,
  };
  for (const method of ['sbs', 'rescom']) {
    for (const seed of [0, 1]) {
      const dir = runDirOf(path.join(root, 'protocol'), settings, 100, method, seed);
      writeLog(dir, [0.5, 0.6, 0.7, 0.8, 0.8, finalTop1[`protocol/${method}/${seed}`]]);
      writeFileAtomic(path.join(dir, TEST_RESULTS_FILE), '{"never read": true}');
    }
  }
  const fakeTest = { labels: new Int32Array(3) };
  const prepared: string[] = [];
  const trained: TuningRun[] = [];
  const seenTest: unknown[] = [];
  const trainRun = async (run: TuningRun, data: TrainingData) => {
    trained.push(run);
    seenTest.push(data.test);
    writeLog(run.runDir, [0.5, 0.6, 0.7, 0.8, 0.8, finalTop1[`${run.variant}/${run.method}/${run.seed}`]], run.config);
  };
  const prepareData = async (config: { seed: number; augment: string }) => {
    prepared.push(`${config.seed}/${config.augment}`);
    return { test: fakeTest } as unknown as TrainingData;
  };
  const o = options(root, { variants: ['protocol', 'cutout'], methods: ['sbs', 'rescom'], seeds: [0, 1] });
  const result = await runTuningBench({ options: o, trainRun, prepareData: prepareData as never, log: () => {} });

  t.deepEqual(
    trained.map((r) => `${r.variant}/${r.method}/${r.seed}`),
    ['cutout/sbs/0', 'cutout/rescom/0', 'cutout/sbs/1', 'cutout/rescom/1'],
  );
  t.deepEqual(seenTest, [null, null, null, null], 'no run is handed the test set');
  t.deepEqual(prepared, ['0/fashion-mnist', '1/fashion-mnist'], 'data prepared once per seed');

  const protocol = result.table.comparisons.find((c) => c.variant === 'protocol' && c.method === 'sbs')!;
  const cutout = result.table.comparisons.find((c) => c.variant === 'cutout' && c.method === 'sbs')!;
  // By hand: protocol 0.87 - 0.88 = -0.01 and 0.875 - 0.86 = +0.015; cutout +0.04 and +0.02.
  t.deepEqual(protocol.top1.differences.map((d) => +d.toFixed(6)), [-0.01, 0.015]);
  t.deepEqual(cutout.top1.differences.map((d) => +d.toFixed(6)), [0.04, 0.02]);
  t.is(cutout.top1.verdict, 'needs more seeds');
  t.true(Math.abs(cutout.top1.mean! - 0.03) < 1e-12);
  t.regex(result.markdown, /\| cutout \| rescom \| 89\.0 \(.*\) \| 86\.0 \(.*\) \| 87\.5 \|/);
  t.regex(result.markdown, /\| cutout \| sbs \| \+4\.0, \+2\.0 \|/);
  t.notRegex(result.markdown, /never read/);
  t.true(fs.existsSync(path.join(root, 'results', 'tuning', 'k', 'tuning.md')));
  t.true(fs.existsSync(path.join(root, 'results', 'tuning', 'k', 'tuning.json')));
  const copied = path.join(root, 'results', 'tuning', 'k', 'cutout', 'rescom-s1', LOG_FILE);
  t.deepEqual(fs.readFileSync(copied), fs.readFileSync(path.join(root, 'runs', 'cutout', 'rescom-s1', LOG_FILE)));
  t.false(fs.existsSync(path.join(root, 'results', 'tuning', 'k', 'protocol')), 'committed protocol runs are not copied again');

  // Read back as notebooks do: the same differences, and score rows by hand.
  const saved = readTuningTable(path.join(root, 'results'))!;
  t.deepEqual(saved.comparisons, JSON.parse(JSON.stringify(result.table.comparisons)));
  t.regex(saved.command, /^npm run bench:tune -- --variants protocol,cutout/);
  const rows = tuningScoreRows(saved);
  t.deepEqual(rows.find((r) => r.variant === 'cutout' && r.method === 'rescom'), {
    variant: 'cutout',
    method: 'rescom',
    'val top-1 seed 0': 89,
    'val top-1 seed 1': 86,
    mean: 87.5,
  });
  t.is(readTuningTable(path.join(root, 'nothing-here')), null);
  writeFileAtomic(path.join(root, 'results', 'tuning', 'k', 'tuning.json'), '{"rows": 3}');
  t.throws(() => readTuningTable(path.join(root, 'results')), { message: /tuning\.json is not a bench:tune table/ });

  // A second invocation finds every run finished and trains nothing.
  trained.length = 0;
  await runTuningBench({ options: o, trainRun, prepareData: prepareData as never, log: () => {} });
  t.is(trained.length, 0);
});
