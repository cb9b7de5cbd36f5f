/**
 * Every environment variable rescom-lab reads, what it accepts, and the strict readers the code
 * reads them with. A value outside what a variable accepts is an error naming the variable, the
 * value and what is allowed: never a silent fallback to a slower or different path (a
 * `RESCOM_ONEDNN=2` used to train on the pure-JS cpu backend, 12x slower, exit 0).
 *
 * `rescom` checks the whole environment once at start (`checkEnvironment`, src/cli/main.ts): a
 * `RESCOM_*` variable that is not in `ENVIRONMENT` (a misspelt `RESCOM_THREADS`, say) is refused
 * too, naming the closest known one. test/reliability/environment.test.ts checks that every
 * `RESCOM_*` name the repository's code reads is listed here.
 */

import { editDistance } from './edit-distance';

/** What reads a variable: every `rescom` command, the benchmarks, the notebooks or the tests. */
export type EnvironmentScope = 'rescom' | 'bench' | 'notebooks' | 'tests';

export interface EnvironmentVariable {
  scope: EnvironmentScope;
  /** What it accepts, in words (used in errors and the docs). */
  accepts: string;
  /** What it does. */
  doc: string;
  /** Whether `raw` (trimmed, not empty) is accepted. */
  valid(raw: string): boolean;
}

/** `process.env`, or nothing where there is no process (a browser page runs the library too). */
function processEnv(): NodeJS.ProcessEnv {
  return typeof process === 'undefined' ? {} : process.env;
}

/** Plain decimal digits only: '0x10', '1e3' and '2.0' are not integers here. */
const PLAIN_INTEGER = /^[0-9]+$/;

function oneOf(values: readonly string[], accepts: string, scope: EnvironmentScope, doc: string): EnvironmentVariable {
  return { scope, doc, accepts, valid: (raw) => values.includes(raw) };
}
const choice = (values: readonly string[], scope: EnvironmentScope, doc: string) =>
  oneOf(values, `one of ${values.join(', ')}`, scope, doc);
const onOff = (scope: EnvironmentScope, doc: string) => oneOf(['0', '1'], '0 or 1', scope, doc);
const integer = (bounds: { min: number; max: number }, scope: EnvironmentScope, doc: string): EnvironmentVariable => ({
  scope,
  doc,
  accepts: `an integer from ${bounds.min} to ${bounds.max}`,
  valid: (raw) => PLAIN_INTEGER.test(raw) && Number(raw) >= bounds.min && Number(raw) <= bounds.max,
});
const text = (scope: EnvironmentScope, doc: string): EnvironmentVariable => ({
  scope,
  doc,
  accepts: 'any text (a path)',
  valid: () => true,
});

/** Values of the choice variables (also what their readers accept). */
export const ENV_CHOICES = {
  RESCOM_BACKEND: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'],
  RESCOM_DECODER: ['auto', 'sharp', 'js'],
  RESCOM_WASM_DX: ['auto', 'conv', 'col2im'],
  RESCOM_CH08_SOURCE: ['shipped', 'checkpoints'],
} as const;

/** Bounds of the integer variables. */
export const ENV_INTEGERS = {
  RESCOM_THREADS: { min: 1, max: 8 },
  RESCOM_DATA_WORKERS: { min: 0, max: 64 },
  RESCOM_READ_TIMEOUT: { min: 1, max: 3600 },
  RESCOM_BENCH_EPOCHS: { min: 1, max: 10_000 },
  RESCOM_BENCH_STEPS: { min: 1, max: 100_000 },
  RESCOM_BENCH_WARMUP: { min: 0, max: 100_000 },
  RESCOM_BENCH_ROUNDS: { min: 1, max: 10_000 },
  RESCOM_BENCH_TORCH_THREADS: { min: 1, max: 1024 },
} as const;

export const ENVIRONMENT: Readonly<Record<string, EnvironmentVariable>> = {
  RESCOM_BACKEND: choice(ENV_CHOICES.RESCOM_BACKEND, 'rescom', 'TensorFlow.js backend (as --backend)'),
  RESCOM_THREADS: integer(ENV_INTEGERS.RESCOM_THREADS, 'rescom', 'wasm threads (as --threads)'),
  RESCOM_ONEDNN: onOff('rescom', '0 keeps the oneDNN convolution addon out of the wasm backend'),
  RESCOM_PIXELS: onOff('rescom', '0 keeps the C++ pixel addon out (JS pixel loops)'),
  RESCOM_NATIVE_TRAINING: onOff('rescom', '0 keeps the native BatchNorm/SGD addon out of the wasm backend'),
  RESCOM_DECODER: choice(ENV_CHOICES.RESCOM_DECODER, 'rescom', 'image-list decoder; js forces jpeg-js / pngjs'),
  RESCOM_DATA_WORKERS: integer(ENV_INTEGERS.RESCOM_DATA_WORKERS, 'rescom', 'image-list data threads (as --workers)'),
  RESCOM_WASM_DX: choice(ENV_CHOICES.RESCOM_WASM_DX, 'rescom', 'wasm conv input-gradient method (measurements)'),
  RESCOM_DEBUG: onOff('rescom', '1 prints the stack of an error too (as --debug)'),
  RESCOM_READ_TIMEOUT: integer(
    ENV_INTEGERS.RESCOM_READ_TIMEOUT,
    'rescom',
    'seconds report / eval / ship wait for a run being written to hold still (default 60)',
  ),
  RESCOM_FAULT: {
    scope: 'tests',
    doc: 'kill -9 tests: the process SIGKILLs itself at that point (src/train/checkpoint.ts)',
    accepts: 'checkpoint-write:<epoch>',
    valid: (raw) => /^checkpoint-write:[0-9]+$/.test(raw),
  },
  RESCOM_QUICK: oneOf(['0', '1', 'false', 'true'], '0, 1, false or true', 'notebooks', 'notebooks: quick budgets'),
  RESCOM_CH08_SOURCE: choice(ENV_CHOICES.RESCOM_CH08_SOURCE, 'notebooks', 'chapter 08: shipped models or checkpoints'),
  RESCOM_NOTEBOOKS_OUT: text('notebooks', 'npm run notebooks:run: where the executed copies go'),
  RESCOM_BENCH_EPOCHS: integer(ENV_INTEGERS.RESCOM_BENCH_EPOCHS, 'bench', 'bench:protocol epochs'),
  RESCOM_BENCH_STEPS: integer(ENV_INTEGERS.RESCOM_BENCH_STEPS, 'bench', 'bench:step / bench:loss measured steps'),
  RESCOM_BENCH_WARMUP: integer(ENV_INTEGERS.RESCOM_BENCH_WARMUP, 'bench', 'bench:step / bench:loss warm-up steps'),
  RESCOM_BENCH_ROUNDS: integer(ENV_INTEGERS.RESCOM_BENCH_ROUNDS, 'bench', 'bench:step rounds'),
  RESCOM_BENCH_TORCH_THREADS: integer(
    ENV_INTEGERS.RESCOM_BENCH_TORCH_THREADS,
    'bench',
    'bench:protocol PyTorch threads',
  ),
  RESCOM_BENCH_PYTORCH: onOff('bench', '0 skips the PyTorch side of a benchmark'),
  RESCOM_BENCH_PROFILE: onOff('bench', 'bench:step: 1 prints where the ResNet-32 step time goes'),
  RESCOM_BENCH_PROFILE_ALL: onOff('bench', 'bench:step: 1 profiles every case'),
  RESCOM_BENCH_CASES: {
    scope: 'bench',
    doc: 'bench:step: which cases run, comma-separated (default resnet8,resnet32,resnet50)',
    accepts: 'a comma-separated list of resnet8, resnet32, resnet50',
    valid: (raw) => raw.split(',').every((name) => ['resnet8', 'resnet32', 'resnet50'].includes(name)),
  },
  RESCOM_REQUIRE_ONEDNN: onOff('tests', '1: the oneDNN tests fail instead of skipping without the addon (CI)'),
  RESCOM_REQUIRE_PIXELS: onOff('tests', '1: the pixel-addon tests fail instead of skipping (CI)'),
  RESCOM_REQUIRE_NATIVE_TRAINING: onOff('tests', '1: the native BatchNorm/SGD tests fail instead of skipping (CI)'),
  RESCOM_UPDATE_FIXTURES: onOff('tests', '1: the weight-order test rewrites its fixture'),
  RESCOM_REQUIRE_WEBGPU: onOff('tests', '1: the webgpu tests fail instead of skipping (CI)'),
  RESCOM_REQUIRE_CHROMIUM: onOff('tests', '1: the book browser test fails instead of skipping (CI)'),
  RESCOM_REQUIRE_BWRAP: onOff(
    'tests',
    '1: the grader sandbox and attack tests fail instead of skipping without bubblewrap (CI)',
  ),
  RESCOM_WRITE_DOCS: onOff('tests', '1: the bad-input test rewrites docs/bad-inputs.md'),
  RESCOM_BOOK_DIR: text('tests', 'a built book the browser test opens too'),
  RESCOM_CHROMIUM: text('tests', 'the Chromium binary of the browser tests'),
  RESCOM_LIVE_BACKEND: choice(
    ['webgpu', 'webgl', 'wasm', 'cpu'],
    'tests',
    'npm run test:browser: the backend the book pages use (default: what the page picks)',
  ),
  RESCOM_LIVE_FULL: onOff(
    'tests',
    '1: npm run test:browser runs the live cells with full budgets instead of quick ones',
  ),
  RESCOM_BOOK_MINIFY: onOff(
    'notebooks',
    "0: npm run book writes the live cells' bundle unminified (for debugging in the browser)",
  ),
};

/**
 * The value of `name` in `env`, trimmed; undefined when unset or empty. Throws `who: NAME must be
 * ...; got 'VALUE'` when the value is not one `ENVIRONMENT[name]` accepts.
 */
export function readEnvironment(name: string, who: string, env: NodeJS.ProcessEnv = processEnv()): string | undefined {
  const spec = ENVIRONMENT[name];
  if (!spec) throw new Error(`readEnvironment: '${name}' is not listed in ENVIRONMENT (src/util/environment.ts)`);
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!spec.valid(raw)) throw new Error(`${who}: ${name} must be ${spec.accepts}; got '${env[name]}'`);
  return raw;
}

/** A 0/1 switch: true for 1, false for 0, `fallback` when unset. */
export function readEnvironmentSwitch(
  name: string,
  who: string,
  fallback: boolean,
  env: NodeJS.ProcessEnv = processEnv(),
): boolean {
  const raw = readEnvironment(name, who, env);
  return raw === undefined ? fallback : raw === '1' || raw === 'true';
}

/** An integer variable; `fallback` when unset. */
export function readEnvironmentInteger(
  name: string,
  who: string,
  fallback: number,
  env: NodeJS.ProcessEnv = processEnv(),
): number {
  const raw = readEnvironment(name, who, env);
  return raw === undefined ? fallback : Number(raw);
}

/**
 * Checks every `RESCOM_*` variable of `env` (what `rescom` does at start): each must be listed in
 * `ENVIRONMENT` and hold a value it accepts. Throws one line naming the first that does not.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv = processEnv(), who = 'rescom'): void {
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('RESCOM_')) continue;
    if (ENVIRONMENT[name]) {
      readEnvironment(name, who, env);
      continue;
    }
    const known = Object.keys(ENVIRONMENT);
    const closest = known.reduce((best, k) => (editDistance(k, name) < editDistance(best, name) ? k : best));
    throw new Error(
      `${who}: unknown environment variable ${name}='${env[name]}'; did you mean ${closest}? (rescom reads ${known.filter((k) => ENVIRONMENT[k].scope === 'rescom').join(', ')}; unset it)`,
    );
  }
}
