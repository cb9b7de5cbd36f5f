import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  PER_SEED_PROTOCOL,
  benchConfig,
  collectFinishedRuns,
  settingsKey,
  parseAccuracyBenchArgs,
  planRuns,
  runAccuracyBench,
  spread,
  type AccuracyBenchOptions,
  type PlannedRun,
} from '../../src/bench/accuracy/index';
import { FASHION_MNIST_LT_IF100, METHOD_NAMES } from '../../src/configs';
import { LOG_FILE, TEST_RESULTS_FILE, prepareTrainingData, rewriteJsonl, type TrainingData } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-accuracy-'));

/** A finished run folder as the trainer leaves it: config.json, log.jsonl, test-results.json. */
function writeRun(run: PlannedRun, acc: { top1: number; many: number; medium: number; few: number }, epochSeconds: number[]): void {
  fs.mkdirSync(run.runDir, { recursive: true });
  writeFileAtomic(path.join(run.runDir, 'config.json'), JSON.stringify(run.config));
  rewriteJsonl(path.join(run.runDir, LOG_FILE), epochSeconds.map((s, i) => ({ epoch: i + 1, seconds: s, cpuSeconds: s / 2 })));
  writeFileAtomic(
    path.join(run.runDir, TEST_RESULTS_FILE),
    JSON.stringify({
      method: run.method,
      summary: { top1: acc.top1, many: acc.many, medium: acc.medium, few: acc.few },
      result: { groups: { rule: 'classes ranked by training count: thirds' }, perClass: [{ trainCount: 30 }, { trainCount: 12 }] },
    }),
  );
}

test('options: the fixed-subset protocol by default, flags, environment variables, and errors naming the flag', (t) => {
  const d = parseAccuracyBenchArgs([], {});
  t.deepEqual(d, DEFAULT_ACCURACY_BENCH_OPTIONS);
  t.is(d.config, 'fashion-mnist-lt-fixed');
  t.is(d.nMax, 2000);
  t.deepEqual(d.imbalanceFactors, [100]);
  t.is(d.epochs, 30);
  t.is(d.backbone, 'resnet20');
  t.deepEqual(d.methods, ['rescom', 'sbs', 'balsfx', 'supcon-balsfx']);
  t.deepEqual(d.seeds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual(d.sets, []);
  // The per-seed-subset protocol's 27 runs: every method but the single-view baselines focal and ldam-drw.
  t.deepEqual(PER_SEED_PROTOCOL.methods, METHOD_NAMES.filter((m) => m !== 'focal' && m !== 'ldam-drw'));
  t.is(PER_SEED_PROTOCOL.config, 'fashion-mnist-lt-ref');
  // The config's own budget unless a flag says otherwise.
  t.is(parseAccuracyBenchArgs(['--config', 'fashion-mnist-lt-long'], {}).epochs, 100);
  t.is(parseAccuracyBenchArgs(['--config', 'fashion-mnist-lt-long', '--epochs', '4'], {}).epochs, 4);
  // --set: a variant group, sorted by field; checked like the trainer's --set.
  const variant = parseAccuracyBenchArgs(['--set', 'temperature=0.1', '--set=conWeight=0.25'], {});
  t.deepEqual(variant.sets, [['conWeight', '0.25'], ['temperature', '0.1']]);
  t.is(settingsKey(variant), 'fashion-mnist-lt-fixed-nmax2000-resnet20-e30-b128-set-conWeight0.25-temperature0.1');
  t.throws(() => parseAccuracyBenchArgs(['--set', 'conweight=0.25'], {}), { message: /--set must be FIELD=VALUE with a config field .*got 'conweight=0.25'/ });
  t.throws(() => parseAccuracyBenchArgs(['--set', 'conWeight=-1'], {}), { message: /conWeight/ });
  t.throws(() => parseAccuracyBenchArgs(['--set', 'epochs=3'], {}), { message: /--set epochs is set by the benchmark itself/ });
  // A constant learning rate (the reference code's CIFAR schedule, computed but never applied): no warm-up, no decay.
  const constant = parseAccuracyBenchArgs(['--config', 'fashion-mnist-lt-authors', '--set', 'schedule=step', '--set', 'warmupEpochs=0'], {});
  const [run] = planRuns(constant);
  t.deepEqual([run.config.schedule, run.config.warmupEpochs, run.config.stepEpochs, run.config.epochs], ['step', 0, [], 30]);
  t.regex(run.runDir, /fashion-mnist-lt-authors-nmax2000-resnet20-e30-b128-set-schedulestep-warmupEpochs0\//);
  t.throws(() => parseAccuracyBenchArgs(['--set', 'conWeight=0.25', '--set', 'conWeight=0.1'], {}), { message: /--set conWeight given twice/ });
  t.throws(() => parseAccuracyBenchArgs(['--config', 'cifar10-lt-if100'], {}), { message: /--config must be a Fashion-MNIST-LT config .*got 'cifar10-lt-if100'/ });
  const o = parseAccuracyBenchArgs(['--n-max', '500', '--if=50', '--seeds', '3,4', '--methods', 'ce,rescom', '--table-only'], { BENCH_ACCURACY_EPOCHS: '7', BENCH_ACCURACY_N_MAX: '100' });
  t.is(o.nMax, 500, 'a flag wins over the environment');
  t.is(o.epochs, 7);
  t.deepEqual(o.imbalanceFactors, [50]);
  t.deepEqual(o.seeds, [3, 4]);
  t.deepEqual(o.methods, ['ce', 'rescom']);
  t.true(o.tableOnly);
  t.throws(() => parseAccuracyBenchArgs(['--methods', 'ce,nope'], {}), { message: /--methods .*got 'ce,nope'/ });
  t.throws(() => parseAccuracyBenchArgs(['--epochs', '0'], {}), { message: /--epochs must be an integer >= 1; got '0'/ });
  t.throws(() => parseAccuracyBenchArgs(['--backbone', 'vgg'], {}), { message: /--backbone must be one of/ });
  t.throws(() => parseAccuracyBenchArgs(['--lr', '1'], {}), { message: /unknown argument '--lr'/ });
});

test('plan: one run per (IF, seed, method); configs differ only in those fields', (t) => {
  const options: AccuracyBenchOptions = { ...DEFAULT_ACCURACY_BENCH_OPTIONS, imbalanceFactors: [100, 10], seeds: [0, 1], methods: ['ce', 'rescom'], runsDir: 'R' };
  const runs = planRuns(options);
  t.is(runs.length, 8);
  t.is(new Set(runs.map((r) => r.runDir)).size, 8);
  const stripped = runs.map(({ config }) => JSON.stringify({ ...config, name: '', method: '', seed: 0, imbalanceFactor: 0 }));
  t.is(new Set(stripped).size, 1, 'architecture, epochs, batch, schedule and augmentation are shared');
  const c = runs[0].config;
  t.is(c.dataset, 'fashion-mnist');
  t.is(c.imbalanceProfile, 'exp');
  t.is(c.nMax, 2000);
  t.is(c.epochs, options.epochs);
  t.is(c.batchSize, 128);
  t.is(benchConfig({ ...options, epochs: 1 }, 10, 'ce', 0).warmupEpochs, 0, 'a 1-epoch run has no warm-up');
});

test('runs with test results are skipped, the others trained; the table holds every finished run', async (t) => {
  const dir = tmpDir();
  const options: AccuracyBenchOptions = {
    ...DEFAULT_ACCURACY_BENCH_OPTIONS,
    imbalanceFactors: [100],
    seeds: [0, 1],
    methods: ['ce', 'rescom'],
    epochs: 2,
    runsDir: path.join(dir, 'runs'),
    outDir: path.join(dir, 'results'),
  };
  const [ce0, rescom0, ce1, rescom1] = planRuns(options);
  writeRun(ce0, { top1: 0.7, many: 0.9, medium: 0.7, few: 0.5 }, [10, 14]);
  writeRun(ce1, { top1: 0.74, many: 0.92, medium: 0.72, few: 0.56 }, [12, 12]);
  // An interrupted run: log but no test results. It must be trained (resumed), not skipped.
  fs.mkdirSync(rescom0.runDir, { recursive: true });
  rewriteJsonl(path.join(rescom0.runDir, LOG_FILE), [{ epoch: 1, seconds: 20, cpuSeconds: 20 }]);

  const trainedNow: string[] = [];
  const prepared: number[] = [];
  const fakeData = {} as TrainingData;
  const rescomAcc: Record<number, number> = { 0: 0.8, 1: 0.9 };
  const result = await runAccuracyBench({
    options,
    command: 'npm run bench:accuracy -- --test',
    log: () => {},
    prepareData: async (config) => {
      prepared.push(config.seed);
      return fakeData;
    },
    trainRun: async (run, data) => {
      t.is(data, fakeData);
      trainedNow.push(run.runDir);
      writeRun(run, { top1: rescomAcc[run.seed], many: 1, medium: 0.8, few: rescomAcc[run.seed] - 0.2 }, [30, 30]);
    },
  });
  t.deepEqual(trainedNow, [rescom0.runDir, rescom1.runDir]);
  t.deepEqual(prepared, [0, 1], 'data prepared once per (IF, seed) with runs to train');
  t.deepEqual(result.skipped.map((r) => r.runDir), [ce0.runDir, ce1.runDir]);
  t.is(result.table.runs.length, 4);
  const ce = result.table.rows.find((r) => r.method === 'ce')!;
  // Hand-computed: mean(0.70, 0.74) = 0.72, sample std = sqrt(2 * 0.02^2 / 1) = 0.028284.
  t.true(Math.abs(ce.top1.mean! - 0.72) < 1e-12);
  t.true(Math.abs(ce.top1.std! - 0.0282843) < 1e-6);
  t.true(Math.abs(ce.secondsPerEpoch.mean! - 12) < 1e-12, 'seconds per epoch: mean of each run\'s epoch mean (12, 12)');
  t.deepEqual(result.table.rows.map((r) => r.method), ['ce', 'rescom'], 'rows in METHOD_NAMES order');
  const md = fs.readFileSync(result.files.markdown, 'utf8');
  t.true(md.includes('| 100 | ce | 0,1 | 72.0 ± 2.8 | 91.0 ± 1.4 | 71.0 ± 1.4 | 53.0 ± 4.2 | 12.0 | 6.0 |'), md);
  t.true(md.includes('| 100 | rescom | 0,1 | 85.0 ± 7.1 |'));
  t.true(md.includes('n_max = 2000') && md.includes('2 epochs') && md.includes('batch 128') && md.includes('resnet20') && md.includes('the fashion-mnist-lt-fixed config'));
  t.true(md.includes('classes ranked by training count: thirds'), 'the grouping is named');
  t.true(md.includes('npm run bench:accuracy -- --config fashion-mnist-lt-fixed --n-max 2000 --if 100 --epochs 2 --backbone resnet20 --batch-size 128 --seeds 0,1 --methods ce,rescom'), md);
  t.is(fs.readFileSync(result.files.csv, 'utf8').trim().split('\n').length, 5);
  t.is(JSON.parse(fs.readFileSync(result.files.json, 'utf8')).rows.length, 2);

  // A second invocation (e.g. the other process, or after a restart) trains nothing.
  const again = await runAccuracyBench({
    options,
    command: 'x',
    log: () => {},
    prepareData: async () => t.fail('no data needed') as never,
    trainRun: async () => t.fail('nothing left to train'),
  });
  t.is(again.trained.length, 0);
  t.is(again.skipped.length, 4);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a variant (--set of contrastive-only fields) trains its contrastive methods in a group of its own and takes the others from the base group', (t) => {
  const dir = tmpDir();
  const base: AccuracyBenchOptions = { ...DEFAULT_ACCURACY_BENCH_OPTIONS, seeds: [0], methods: ['rescom', 'sbs'], runsDir: dir };
  const variant: AccuracyBenchOptions = { ...base, sets: [['conWeight', '0.25']] };
  const [rescomBase, sbsBase] = planRuns(base);
  const [rescomVariant, sbsVariant] = planRuns(variant);
  t.not(rescomVariant.runDir, rescomBase.runDir);
  t.regex(rescomVariant.runDir, /fashion-mnist-lt-fixed-nmax2000-resnet20-e30-b128-set-conWeight0\.25\/if100\/rescom-s0$/);
  t.is(rescomVariant.config.conWeight, 0.25);
  t.is(sbsVariant.runDir, sbsBase.runDir, 'sbs has no contrastive loss: the base run stands for it');
  t.deepEqual(sbsVariant.config, sbsBase.config);
  // A change that reaches every method (the views) gives every method its own run.
  const views = planRuns({ ...base, sets: [['augment', 'fashion-mnist']] });
  t.not(views[1].runDir, sbsBase.runDir);
  t.is(views[1].config.augment, 'fashion-mnist');
  // The variant's table: its own rescom and the base group's sbs (not the base rescom).
  for (const run of [rescomBase, sbsBase, rescomVariant]) writeRun(run, { top1: run === rescomVariant ? 0.9 : 0.8, many: 1, medium: 1, few: 1 }, [1]);
  const runs = collectFinishedRuns(dir, variant);
  t.deepEqual(runs.map((r) => [r.method, r.top1]).sort(), [['rescom', 0.9], ['sbs', 0.8]]);
  // The base group's runs of other methods or seeds are not the variant's, even where it could borrow them.
  const [balsfxBase] = planRuns({ ...base, methods: ['balsfx'] });
  const [sbsSeed1] = planRuns({ ...base, seeds: [1], methods: ['sbs'] });
  for (const run of [balsfxBase, sbsSeed1]) writeRun(run, { top1: 0.7, many: 1, medium: 1, few: 1 }, [1]);
  t.deepEqual(collectFinishedRuns(dir, variant).map((r) => [r.method, r.seed]).sort(), [['rescom', 0], ['sbs', 0]]);
  t.deepEqual(
    collectFinishedRuns(dir, { ...variant, methods: undefined, seeds: undefined } as never).map((r) => [r.method, r.seed]).sort(),
    [['balsfx', 0], ['rescom', 0], ['sbs', 0], ['sbs', 1]],
    'without a plan every unaffected run of the base group is borrowed',
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('spread: mean and sample standard deviation; a single seed has spread 0', (t) => {
  t.deepEqual(spread([]), { mean: null, std: null, n: 0 });
  t.deepEqual(spread([0.5]), { mean: 0.5, std: 0, n: 1 });
  const s = spread([1, 2, 3, 4, null]);
  t.is(s.mean, 2.5);
  t.true(Math.abs(s.std! - Math.sqrt(5 / 3)) < 1e-12);
});

const FMNIST = '/usr/share/datasets/fashion-mnist';
(fs.existsSync(FMNIST) ? test : test.skip)('nMax sets the head class of the subset drawn from the real 60k split', async (t) => {
  const config = { ...benchConfig({ ...DEFAULT_ACCURACY_BENCH_OPTIONS, nMax: 200 }, 10, 'ce', 0), dataDir: FASHION_MNIST_LT_IF100.dataDir };
  const data = await prepareTrainingData(config);
  const perClass = new Array(10).fill(0);
  for (const label of data.train.labels) perClass[label]++;
  // exp profile by hand: n_c = floor(200 * 10^(-c/9)), head 200, tail 20; the whole subset trains.
  const expected = [200, 154, 119, 92, 71, 55, 43, 33, 25, 20];
  t.deepEqual([...perClass].sort((a, b) => b - a), expected);
  // The reference protocol validates on 100 images per class that the subset left unused.
  const valPerClass = new Array(10).fill(0);
  for (const label of data.val!.labels) valPerClass[label]++;
  t.deepEqual(valPerClass, new Array(10).fill(100));
  t.is(data.test!.labels.length, 10000);
});
