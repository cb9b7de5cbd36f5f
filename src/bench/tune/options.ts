/**
 * Settings of `npm run bench:tune -- --FLAG VALUE`. The protocol is the per-seed-subset protocol
 * (config `fashion-mnist-lt-ref`, IF 100, n_max 2000, ResNet-20, 30 epochs, 2 x 128), whose committed
 * runs the tuning table was measured beside;
 * the flags choose the variants, methods and seeds.
 */
import { METHOD_NAMES, type MethodName } from '../../configs';
import { PER_SEED_PROTOCOL } from '../accuracy/options';
import { settingsKey } from '../accuracy/plan';
import type { TuneOptions } from './plan';
import { TUNING_VARIANT_NAMES, tuningVariant } from './variants';

// The tuning table was measured on the per-seed-subset protocol (its committed runs are its 'protocol' variant).
const d = PER_SEED_PROTOCOL;

export const DEFAULT_TUNE_OPTIONS: TuneOptions = {
  settings: { config: d.config, nMax: d.nMax, epochs: d.epochs, backbone: d.backbone, batchSize: d.batchSize },
  imbalanceFactor: d.imbalanceFactors[0],
  variants: ['protocol', 'cutout'],
  methods: ['sbs', 'rescom'],
  seeds: [0, 1, 2],
  runsDir: 'bench/results/tmp/tune',
  protocolRunsDir: 'bench/results/protocol',
  outDir: `bench/results/tuning/${settingsKey({ config: d.config, nMax: d.nMax, epochs: d.epochs, backbone: d.backbone, batchSize: d.batchSize })}`,
};

export const TUNE_BENCH_HELP = `usage: npm run bench:tune -- [--variants protocol,cutout] [--methods sbs,rescom] [--seeds 0,1,2]
       [--runs-dir DIR] [--out DIR] [--protocol-runs DIR | --protocol-runs none]

Tries changes to the reference protocol on the validation split only: every (variant, method, seed)
run trains with the test set removed, and the table (OUT/tuning.md, .json) gives each run's final
validation top-1 and, per variant, ResCom minus each other method paired by seed. Runs resume when
interrupted; the 'protocol' variant reuses the committed protocol runs' validation curves.
Variants: ${TUNING_VARIANT_NAMES.join(', ')}.
Defaults: --variants ${DEFAULT_TUNE_OPTIONS.variants.join(',')} --methods ${DEFAULT_TUNE_OPTIONS.methods.join(',')} --seeds ${DEFAULT_TUNE_OPTIONS.seeds.join(',')}
--runs-dir ${DEFAULT_TUNE_OPTIONS.runsDir} --protocol-runs ${DEFAULT_TUNE_OPTIONS.protocolRunsDir} --out ${DEFAULT_TUNE_OPTIONS.outDir}`;

const FLAGS = ['variants', 'methods', 'seeds', 'runs-dir', 'out', 'protocol-runs'] as const;

/** Options from argv (without node and script). Throws naming the bad flag. */
export function parseTuneArgs(argv: string[]): TuneOptions {
  const given: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : '';
    if (!(FLAGS as readonly string[]).includes(name)) {
      throw new Error(`parseTuneArgs: unknown argument '${arg}'; expected one of ${FLAGS.map((f) => `--${f}`).join(', ')}`);
    }
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`parseTuneArgs: --${name} needs a value`);
    given[name] = value;
  }
  const list = (flag: string) => [...new Set(given[flag].split(',').map((s) => s.trim()).filter(Boolean))];
  const variants = given.variants === undefined ? DEFAULT_TUNE_OPTIONS.variants : list('variants');
  for (const v of variants) tuningVariant(v);
  const methods = given.methods === undefined ? DEFAULT_TUNE_OPTIONS.methods : (list('methods') as MethodName[]);
  if (methods.length === 0 || methods.some((m) => !METHOD_NAMES.includes(m))) {
    throw new Error(`parseTuneArgs: --methods must be comma-separated names from ${METHOD_NAMES.join(', ')}; got '${given.methods}'`);
  }
  let seeds = DEFAULT_TUNE_OPTIONS.seeds;
  if (given.seeds !== undefined) {
    seeds = list('seeds').map(Number);
    if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new Error(`parseTuneArgs: --seeds must be comma-separated integers >= 0; got '${given.seeds}'`);
    }
  }
  const protocolRuns = given['protocol-runs'];
  return {
    ...DEFAULT_TUNE_OPTIONS,
    variants,
    methods,
    seeds,
    runsDir: given['runs-dir'] ?? DEFAULT_TUNE_OPTIONS.runsDir,
    outDir: given.out ?? DEFAULT_TUNE_OPTIONS.outDir,
    protocolRunsDir: protocolRuns === undefined ? DEFAULT_TUNE_OPTIONS.protocolRunsDir : protocolRuns === 'none' ? null : protocolRuns,
  };
}
