/**
 * Settings of the accuracy benchmark (`npm run bench:accuracy -- --FLAG VALUE`), each also readable
 * from an environment variable (`BENCH_ACCURACY_<FLAG>`, e.g. BENCH_ACCURACY_EPOCHS=4); a flag wins
 * over the variable. Defaults: the fixed-subset protocol (config `fashion-mnist-lt-fixed`:
 * Fashion-MNIST-LT, exp profile, IF 100, n_max 2000, one subset for every seed, ResNet-20, 2 x 128,
 * 30 epochs), ResCom and its three closest baselines, seeds 0-9. n_max, epochs, backbone and batch
 * default to the chosen config's own values.
 */
import {
  BACKBONE_NAMES,
  CONFIG_FIELDS,
  CONFIG_NAMES,
  METHOD_NAMES,
  applyOverrides,
  getConfig,
  type BackboneName,
  type ExperimentConfig,
  type MethodName,
} from '../../configs';

/**
 * The methods of the reference protocol: every method except the single-view baselines `focal` and
 * `ldam-drw` (they train through the same trainer; add them with --methods).
 */
export const PROTOCOL_METHOD_NAMES: MethodName[] = METHOD_NAMES.filter((m) => m !== 'focal' && m !== 'ldam-drw');

/**
 * The methods of the ten-seed fixed-subset evidence: ResCom and the baselines that isolate its
 * contrastive parts (sbs: the same two-view Balanced Softmax without them; supcon-balsfx: plain
 * batch SupCon instead of ResCom's; balsfx: one view). `ce` and the ablations join with --methods.
 */
export const EVIDENCE_METHOD_NAMES: MethodName[] = ['rescom', 'sbs', 'balsfx', 'supcon-balsfx'];

/** A config field and its value as given by `--set field=value` (parsed like the trainer's --set). */
export type ConfigSetting = [keyof ExperimentConfig, string];

export interface AccuracyBenchOptions {
  /** Config every run starts from (a Fashion-MNIST config). Default `fashion-mnist-lt-ref`. */
  config: string;
  /** Head-class size of the long-tailed subset drawn from the 60k training split. Default 2000. */
  nMax: number;
  /** Imbalance factors n_max / n_min. Default [100]. */
  imbalanceFactors: number[];
  /** Training epochs of every run. Default 30 (the reference protocol). */
  epochs: number;
  /** Backbone of every run. Default resnet20. */
  backbone: BackboneName;
  /** Images per batch (per view). Default 128. */
  batchSize: number;
  /** Seeds (model init, batch order, augmentation; the subset too in the per-seed-subset protocol). Default 0-9. */
  seeds: number[];
  /** Methods. Default PROTOCOL_METHOD_NAMES. */
  methods: MethodName[];
  /** Where the tables are written. Default bench/results. */
  outDir: string;
  /** Where the run folders live (git-ignored). Default bench/results/tmp/accuracy. */
  runsDir: string;
  /** Only rebuild the table from the run folders that exist; train nothing. Default false. */
  tableOnly: boolean;
  /**
   * Also copy each finished run's small files (config.json, log.jsonl, test-results.json; no
   * checkpoints) into this committed folder, same layout (see ./publish.ts). Default null (no copy).
   */
  publish: string | null;
  /**
   * Config changes of a variant (`--set conWeight=0.25`): they name a run group of their own
   * (./plan.ts `settingsKey`). Default [] (the config as it is).
   */
  sets: ConfigSetting[];
}

/** The ten-seed fixed-subset protocol: the benchmark's default. */
export const DEFAULT_ACCURACY_BENCH_OPTIONS: AccuracyBenchOptions = {
  config: 'fashion-mnist-lt-fixed',
  nMax: 2000,
  imbalanceFactors: [100],
  epochs: 30,
  backbone: 'resnet20',
  batchSize: 128,
  seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  methods: [...EVIDENCE_METHOD_NAMES],
  outDir: 'bench/results',
  runsDir: 'bench/results/tmp/accuracy',
  tableOnly: false,
  publish: null,
  sets: [],
};

/**
 * The longer budget (#23): config `fashion-mnist-lt-long` (the fixed subset, 100 epochs with 5 warm-up
 * and cosine, AutoAugment-style views + Cutout), ResCom against sbs on seeds 0-4.
 */
export const LONG_BUDGET_OPTIONS: AccuracyBenchOptions = {
  ...DEFAULT_ACCURACY_BENCH_OPTIONS,
  config: 'fashion-mnist-lt-long',
  epochs: 100,
  seeds: [0, 1, 2, 3, 4],
  methods: ['rescom', 'sbs'],
};

/**
 * The validation lead tested once on the test set: lambda 0.25, the best `bench:tune` variant on
 * validation (bench/results/tuning), chosen before any test run; ResCom against sbs (whose run the
 * change cannot affect, so it is the fixed protocol's) on seeds 0-4.
 */
export const LAMBDA_LEAD_OPTIONS: AccuracyBenchOptions = {
  ...DEFAULT_ACCURACY_BENCH_OPTIONS,
  seeds: [0, 1, 2, 3, 4],
  methods: ['rescom', 'sbs'],
  sets: [['conWeight', '0.25']],
};

/**
 * The reference code's own subset (config `fashion-mnist-lt-authors`, rows made by
 * data-scripts/fashion-mnist/authors-subset.py) under the project's schedule: ResCom against sbs on
 * seeds 0-3, the seeds the reference code was run on beside it.
 */
export const AUTHORS_SUBSET_OPTIONS: AccuracyBenchOptions = {
  ...DEFAULT_ACCURACY_BENCH_OPTIONS,
  config: 'fashion-mnist-lt-authors',
  seeds: [0, 1, 2, 3],
  methods: ['rescom', 'sbs'],
};

/**
 * The gap hunt's first hypothesis: the same subset under the reference code's learning rate as its
 * CIFAR path is written (the warm-up and steps are computed but never assigned to the optimiser, so
 * it trains at a constant 0.1 with no warm-up). Here: schedule 'step' with no steps, warmupEpochs 0.
 * Stopped after seeds 0-1: runs that end at a constant 0.1 reach 70-79% top-1, far below the
 * reference's reported 86-87%, so the reference runs cannot have trained that way (docs/evidence-audit.md).
 */
export const AUTHORS_CONSTANT_LR_OPTIONS: AccuracyBenchOptions = {
  ...AUTHORS_SUBSET_OPTIONS,
  seeds: [0, 1],
  sets: [
    ['schedule', 'step'],
    ['warmupEpochs', '0'],
  ],
};

/** The per-seed-subset protocol of the first 27 committed runs (config `fashion-mnist-lt-ref`, seeds 0-2, every protocol method). */
export const PER_SEED_PROTOCOL: AccuracyBenchOptions = {
  ...DEFAULT_ACCURACY_BENCH_OPTIONS,
  config: 'fashion-mnist-lt-ref',
  seeds: [0, 1, 2],
  methods: [...PROTOCOL_METHOD_NAMES],
};

export const ACCURACY_BENCH_HELP = `usage: npm run bench:accuracy -- [--config NAME] [--n-max N] [--if 100,10] [--epochs E] [--backbone B]
       [--batch-size B] [--seeds 0,1] [--methods m1,m2] [--set FIELD=VALUE ...] [--out DIR] [--runs-dir DIR]
       [--table-only] [--publish DIR]

Trains every (imbalance factor, seed, method) run on Fashion-MNIST-LT that has no test results yet
(each run folder is resumable: an interrupted run continues from its last epoch), then writes the
table of every finished run with these settings to DIR/accuracy-*.{md,csv,json} (with ResCom against
every method paired by seed in the .md and in accuracy-*-paired.csv).
--publish DIR copies each finished run's config.json, log.jsonl and test-results.json (not the
checkpoints) into DIR in the same layout, for committing; then
  npm run bench:accuracy -- --table-only --runs-dir DIR
rebuilds the table from the committed files (the committed protocol results: bench/results/protocol).
--set FIELD=VALUE (repeatable) changes a config field for every run: the runs form a group of their own
(e.g. --set conWeight=0.25 -> <group>-set-conWeight0.25); a method that the change cannot affect
(a change of the contrastive loss alone for a method without one, e.g. sbs) takes its run from the
group without the change instead of training an identical one.
Each flag can also be given as an environment variable BENCH_ACCURACY_<FLAG> (e.g. BENCH_ACCURACY_SEEDS=1).
Defaults (the fixed-subset protocol): --config fashion-mnist-lt-fixed --if 100 --seeds 0-9
--methods ${EVIDENCE_METHOD_NAMES.join(',')} --out bench/results --runs-dir bench/results/tmp/accuracy;
--n-max, --epochs, --backbone and --batch-size default to the config's (2000, 30, resnet20, 128 for the
fixed, per-seed (fashion-mnist-lt-ref) and authors' (fashion-mnist-lt-authors) protocols; 100 epochs for
fashion-mnist-lt-long). The per-seed-subset protocol's 27 runs: --config fashion-mnist-lt-ref --seeds 0,1,2
--methods ${PROTOCOL_METHOD_NAMES.join(',')}.
The earlier short tables used --config fashion-mnist-lt-if100 --backbone resnet8 --epochs 3 or 8.`;

const FLAGS = ['config', 'n-max', 'if', 'epochs', 'backbone', 'batch-size', 'seeds', 'methods', 'out', 'runs-dir', 'publish', 'set'] as const;

/** Options from argv (without node and script) and the environment. Throws on unknown or bad values. */
export function parseAccuracyBenchArgs(argv: string[], env: Record<string, string | undefined> = process.env): AccuracyBenchOptions {
  const given: Record<string, string> = {};
  for (const flag of FLAGS) {
    const value = env[`BENCH_ACCURACY_${flag.toUpperCase().replace('-', '_')}`];
    if (value !== undefined && value !== '') given[flag] = value;
  }
  let tableOnly = env.BENCH_ACCURACY_TABLE_ONLY === '1';
  const setArgs: string[] = given.set === undefined ? [] : [given.set];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--table-only') {
      tableOnly = true;
      continue;
    }
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : '';
    if (!(FLAGS as readonly string[]).includes(name)) {
      throw new Error(`parseAccuracyBenchArgs: unknown argument '${arg}'; expected one of ${FLAGS.map((f) => `--${f}`).join(', ')}, --table-only`);
    }
    const inline = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined;
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`parseAccuracyBenchArgs: --${name} needs a value`);
    if (name === 'set') setArgs.push(value);
    else given[name] = value;
  }
  const d = DEFAULT_ACCURACY_BENCH_OPTIONS;
  const int = (flag: string, min: number, fallback: number) => {
    if (given[flag] === undefined) return fallback;
    const n = Number(given[flag]);
    if (!Number.isInteger(n) || n < min) throw new Error(`parseAccuracyBenchArgs: --${flag} must be an integer >= ${min}; got '${given[flag]}'`);
    return n;
  };
  const list = (flag: string) => given[flag]!.split(',').map((s) => s.trim()).filter(Boolean);
  const numbers = (flag: string, min: number, integer: boolean, fallback: number[]) => {
    if (given[flag] === undefined) return fallback;
    const values = list(flag).map(Number);
    if (values.length === 0 || values.some((n) => !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))) {
      throw new Error(`parseAccuracyBenchArgs: --${flag} must be comma-separated ${integer ? 'integers' : 'numbers'} >= ${min}; got '${given[flag]}'`);
    }
    return [...new Set(values)];
  };
  const config = given.config ?? d.config;
  if (!CONFIG_NAMES.includes(config) || !config.startsWith('fashion-mnist-lt-') ) {
    throw new Error(`parseAccuracyBenchArgs: --config must be a Fashion-MNIST-LT config with full files (${CONFIG_NAMES.filter((n) => n.startsWith('fashion-mnist-lt-')).join(', ')}); got '${config}'`);
  }
  const base = getConfig(config);
  const sets = parseSets(setArgs, base);
  const backbone = (given.backbone ?? base.backbone) as BackboneName;
  if (!BACKBONE_NAMES.includes(backbone)) throw new Error(`parseAccuracyBenchArgs: --backbone must be one of ${BACKBONE_NAMES.join(', ')}; got '${backbone}'`);
  const methods = given.methods === undefined ? d.methods : (list('methods') as MethodName[]);
  const unknown = methods.filter((m) => !METHOD_NAMES.includes(m));
  if (unknown.length > 0 || methods.length === 0) {
    throw new Error(`parseAccuracyBenchArgs: --methods must be comma-separated names from ${METHOD_NAMES.join(', ')}; got '${given.methods}'`);
  }
  return {
    config,
    nMax: int('n-max', 1, base.nMax > 0 ? base.nMax : d.nMax),
    imbalanceFactors: numbers('if', 1, false, d.imbalanceFactors),
    epochs: int('epochs', 1, base.epochs),
    backbone,
    batchSize: int('batch-size', 2, base.batchSize),
    seeds: numbers('seeds', 0, true, d.seeds),
    methods: [...new Set(methods)],
    outDir: given.out ?? d.outDir,
    runsDir: given['runs-dir'] ?? d.runsDir,
    tableOnly,
    publish: given.publish ?? d.publish,
    sets,
  };
}

/** Fields the benchmark sets itself (its own flags): --set may not change them. */
const BENCH_FIELDS: readonly string[] = ['name', 'imbalanceFactor', 'nMax', 'epochs', 'backbone', 'batchSize', 'method', 'seed'];

/**
 * `--set FIELD=VALUE` arguments as settings, checked by applying them to the config (the trainer's
 * parser: an unknown field or a value out of range throws, naming it). Sorted by field, one per field.
 */
function parseSets(args: string[], base: ExperimentConfig): ConfigSetting[] {
  const fn = 'parseAccuracyBenchArgs';
  const sets = new Map<keyof ExperimentConfig, string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const field = arg.slice(0, Math.max(eq, 0)) as keyof ExperimentConfig;
    if (eq < 1 || !(CONFIG_FIELDS as readonly string[]).includes(field))
      throw new Error(`${fn}: --set must be FIELD=VALUE with a config field (${CONFIG_FIELDS.join(', ')}); got '${arg}'`);
    if (BENCH_FIELDS.includes(field))
      throw new Error(`${fn}: --set ${field} is set by the benchmark itself; use its own flag (--config, --if, --n-max, --epochs, --backbone, --batch-size, --methods, --seeds)`);
    if (sets.has(field)) throw new Error(`${fn}: --set ${field} given twice`);
    sets.set(field, arg.slice(eq + 1));
  }
  const sorted = [...sets.entries()].sort(([a], [b]) => a.localeCompare(b));
  applyOverrides(base, sorted);
  return sorted;
}
