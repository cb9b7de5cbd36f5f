/**
 * Settings of the accuracy benchmark (`npm run bench:accuracy -- --FLAG VALUE`), each also readable
 * from an environment variable (`BENCH_ACCURACY_<FLAG>`, e.g. BENCH_ACCURACY_EPOCHS=4); a flag wins
 * over the variable. Defaults: the reference protocol (config `fashion-mnist-lt-ref`: Fashion-MNIST-LT,
 * exp profile, IF 100, n_max 2000, ResNet-20, 2 x 128, 30 epochs), every method, seeds 0, 1, 2.
 */
import { BACKBONE_NAMES, CONFIG_NAMES, METHOD_NAMES, type BackboneName, type MethodName } from '../../configs';

/**
 * The methods of the reference protocol: every method except the single-view baselines `focal` and
 * `ldam-drw` (they train through the same trainer; add them with --methods).
 */
export const PROTOCOL_METHOD_NAMES: MethodName[] = METHOD_NAMES.filter((m) => m !== 'focal' && m !== 'ldam-drw');

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
  /** Seeds (model init, subset draw, augmentation). Default [0, 1, 2]. */
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
}

export const DEFAULT_ACCURACY_BENCH_OPTIONS: AccuracyBenchOptions = {
  config: 'fashion-mnist-lt-ref',
  nMax: 2000,
  imbalanceFactors: [100],
  epochs: 30,
  backbone: 'resnet20',
  batchSize: 128,
  seeds: [0, 1, 2],
  methods: [...PROTOCOL_METHOD_NAMES],
  outDir: 'bench/results',
  runsDir: 'bench/results/tmp/accuracy',
  tableOnly: false,
  publish: null,
};

export const ACCURACY_BENCH_HELP = `usage: npm run bench:accuracy -- [--config NAME] [--n-max N] [--if 100,10] [--epochs E] [--backbone B]
       [--batch-size B] [--seeds 0,1] [--methods m1,m2] [--out DIR] [--runs-dir DIR] [--table-only]
       [--publish DIR]

Trains every (imbalance factor, seed, method) run on Fashion-MNIST-LT that has no test results yet
(each run folder is resumable: an interrupted run continues from its last epoch), then writes the
table of every finished run with these settings to DIR/accuracy-*.{md,csv,json} (with ResCom against
every method paired by seed in the .md and in accuracy-*-paired.csv).
--publish DIR copies each finished run's config.json, log.jsonl and test-results.json (not the
checkpoints) into DIR in the same layout, for committing; then
  npm run bench:accuracy -- --table-only --runs-dir DIR
rebuilds the table from the committed files (the committed protocol results: bench/results/protocol).
Each flag can also be given as an environment variable BENCH_ACCURACY_<FLAG> (e.g. BENCH_ACCURACY_SEEDS=1).
Defaults (the reference protocol): --config fashion-mnist-lt-ref --n-max 2000 --if 100 --epochs 30
--backbone resnet20 --batch-size 128 --seeds 0,1,2 --methods ${PROTOCOL_METHOD_NAMES.join(',')}
--out bench/results --runs-dir bench/results/tmp/accuracy
The earlier short tables used --config fashion-mnist-lt-if100 --backbone resnet8 --epochs 3 or 8.`;

const FLAGS = ['config', 'n-max', 'if', 'epochs', 'backbone', 'batch-size', 'seeds', 'methods', 'out', 'runs-dir', 'publish'] as const;

/** Options from argv (without node and script) and the environment. Throws on unknown or bad values. */
export function parseAccuracyBenchArgs(argv: string[], env: Record<string, string | undefined> = process.env): AccuracyBenchOptions {
  const given: Record<string, string> = {};
  for (const flag of FLAGS) {
    const value = env[`BENCH_ACCURACY_${flag.toUpperCase().replace('-', '_')}`];
    if (value !== undefined && value !== '') given[flag] = value;
  }
  let tableOnly = env.BENCH_ACCURACY_TABLE_ONLY === '1';
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
    given[name] = value;
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
  const backbone = (given.backbone ?? d.backbone) as BackboneName;
  if (!BACKBONE_NAMES.includes(backbone)) throw new Error(`parseAccuracyBenchArgs: --backbone must be one of ${BACKBONE_NAMES.join(', ')}; got '${backbone}'`);
  const methods = given.methods === undefined ? d.methods : (list('methods') as MethodName[]);
  const unknown = methods.filter((m) => !METHOD_NAMES.includes(m));
  if (unknown.length > 0 || methods.length === 0) {
    throw new Error(`parseAccuracyBenchArgs: --methods must be comma-separated names from ${METHOD_NAMES.join(', ')}; got '${given.methods}'`);
  }
  return {
    config,
    nMax: int('n-max', 1, d.nMax),
    imbalanceFactors: numbers('if', 1, false, d.imbalanceFactors),
    epochs: int('epochs', 1, d.epochs),
    backbone,
    batchSize: int('batch-size', 2, d.batchSize),
    seeds: numbers('seeds', 0, true, d.seeds),
    methods: [...new Set(methods)],
    outDir: given.out ?? d.outDir,
    runsDir: given['runs-dir'] ?? d.runsDir,
    tableOnly,
    publish: given.publish ?? d.publish,
  };
}
