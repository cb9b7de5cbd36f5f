/**
 * The main job (`npm start` = `rescom demo`): Balanced Softmax and ResCom trained with the same
 * short budget on the embedded Fashion-MNIST-LT (exp profile, IF 100; ResNet-8), each evaluated once
 * on the balanced test set, compared by Many / Medium / Few, and written up as an HTML report.
 *
 * On the wasm backend, on a machine with two or more cores the methods train at the same time, one
 * `rescom train --messages` process each with an equal share of the threads, which tells the demo its
 * log lines and where its results are in JSON messages over IPC (same commands, same results as in
 * sequence: each run is deterministic on its own). With a GPU backend, or `parallel: false`, they
 * run one after another in this process.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyOverrides, getConfig, type ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import { LOG_FILE, readJsonl } from './jsonl-log';
import { formatResultsTable } from './results-table';
import { prepareTrainingData } from './data-for-config';
import { writeDemoReport, type DemoRun } from './demo-report';
import { train } from './trainer';
import { acquireRunLock } from './run-lock';
import { checkOutputFolder } from '../util/own-output';
import { isTrainerMessage, type TrainerMessage } from './trainer-messages';

/**
 * The demo's budget, chosen by measurement (README "Expected times"): with wasm, one epoch of the
 * embedded set costs ~11 CPU-seconds for Balanced Softmax (one view) and ~20 for ResCom (two views),
 * so 15 epochs with the two methods in parallel take about 5-6 minutes on 2 idle cores (about 8
 * one after another on a single core).
 */
export const DEMO_EPOCHS = 15;
export const DEMO_METHODS = ['balsfx', 'rescom'] as const;

export interface DemoOptions {
  /** Output folder (one run folder per method, report.html, summary.json). Default runs/demo-<time>. */
  outDir?: string;
  /** Default DEMO_EPOCHS. */
  epochs?: number;
  /** Default ['balsfx', 'rescom']. */
  methods?: string[];
  /** Further config overrides (field, value), applied to every method. */
  overrides?: Array<[string, string]>;
  /** Train the methods in parallel processes. Default: when the backend is wasm or cpu and there are >= 2 cores. */
  parallel?: boolean;
  /** Backend name forwarded to the child processes (parallel mode). */
  backend?: string;
  /** The backend in use in this process (decides the default of `parallel`). */
  backendName?: string;
  /** Threads of this process's backend; in parallel mode each child process gets an equal share (at least 1). */
  threads?: number;
  /** Output lines; default console.log. */
  log?: (line: string) => void;
  /** The committed multi-seed protocol results as text, added to the HTML report beside the live run. */
  evidence?: string;
}

export interface DemoResult {
  outDir: string;
  reportPath: string;
  runs: DemoRun[];
  table: string;
  seconds: number;
  /** Seed, backbone and training-set size of the live runs (for labelling them). */
  seed: number;
  backbone: string;
  trainImages: number;
}

/** The demo config of one method (validated). */
export function demoConfig(
  method: string,
  epochs = DEMO_EPOCHS,
  overrides: Array<[string, string]> = [],
): ExperimentConfig {
  return applyOverrides(getConfig('fashion-mnist-lt'), [['epochs', String(epochs)], ['method', method], ...overrides]);
}

/**
 * The overrides with the warm-up shortened when `epochs` leaves no room for the config's (a 1-epoch
 * smoke run must not fail on warmupEpochs < epochs); an explicit warmupEpochs override is kept.
 */
export function shortBudgetOverrides(epochs: number, overrides: Array<[string, string]>): Array<[string, string]> {
  const warmup = getConfig('fashion-mnist-lt').warmupEpochs;
  if (warmup < epochs || overrides.some(([field]) => field === 'warmupEpochs')) return overrides;
  return [...overrides, ['warmupEpochs', String(epochs - 1)]];
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const epochs = options.epochs ?? DEMO_EPOCHS;
  const methods = options.methods ?? [...DEMO_METHODS];
  const overrides = shortBudgetOverrides(epochs, options.overrides ?? []);
  const outDir =
    options.outDir ??
    path.join('runs', `demo-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`);
  const configs = methods.map((m) => demoConfig(m, epochs, overrides));
  // The demo writes a new folder: one that holds anything (a user's files, an earlier demo) is refused.
  checkOutputFolder(outDir, 'rescom demo', '--out');
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0)
    throw new Error(
      `rescom demo: --out '${outDir}' is not empty; choose a new folder (the demo writes one run per method there)`,
    );
  const lock = acquireRunLock({ runDir: outDir, command: 'rescom demo', who: 'rescom demo' });
  try {
    return await demoUnderLock({ ...options, log, started, epochs, methods, overrides, outDir, configs });
  } finally {
    lock.release();
  }
}

/** `runDemo` once its output folder is locked. */
async function demoUnderLock(
  o: DemoOptions & {
    log: (line: string) => void;
    started: number;
    epochs: number;
    methods: string[];
    overrides: Array<[string, string]>;
    outDir: string;
    configs: ExperimentConfig[];
  },
): Promise<DemoResult> {
  const { log, started, epochs, methods, overrides, outDir, configs } = o;
  const options = o;
  const cpuBackend = !options.backendName || options.backendName === 'wasm' || options.backendName === 'cpu';
  const parallel = options.parallel ?? (cpuBackend && os.cpus().length >= 2 && methods.length > 1);
  const data = await prepareTrainingData(configs[0]);
  log(
    `data: embedded Fashion-MNIST-LT (exp, IF ${configs[0].imbalanceFactor}): train ${data.train.labels.length} images (${data.classCounts.join('/')}), validation ${data.val?.labels.length ?? 0}, balanced test ${data.test?.labels.length ?? 0}`,
  );
  log(
    `budget: ${epochs} epochs of ${configs[0].backbone}, batch ${configs[0].batchSize}, lr ${configs[0].lr} ${configs[0].schedule}; methods ${methods.join(', ')} (${parallel ? 'in parallel, one process each' : 'one after another'})`,
  );
  log(`output: ${outDir}`);

  const runs: DemoRun[] = [];
  const childThreads = Math.max(1, Math.floor((options.threads ?? 1) / configs.length));
  if (parallel) {
    const outcomes = await Promise.all(
      configs.map((config) =>
        runChildTraining({
          config,
          runDir: path.join(outDir, config.method),
          overrides,
          epochs,
          backend: options.backend,
          threads: childThreads,
          log,
        }),
      ),
    );
    configs.forEach((config, i) => runs.push(readRun(config.method, outcomes[i])));
  } else {
    for (const config of configs) {
      const runDir = path.join(outDir, config.method);
      const t0 = Date.now();
      log(`--- ${config.method}`);
      const result = await train({ config, data, runDir, log: (line) => log(`[${config.method}] ${line}`) });
      if (!result.test) throw new Error(`runDemo: ${config.method} finished without a test evaluation`);
      runs.push({
        method: config.method,
        result: result.test,
        log: readJsonl(path.join(runDir, LOG_FILE)),
        seconds: (Date.now() - t0) / 1000,
      });
    }
  }

  const table = formatResultsTable(runs.map((r) => ({ label: r.method, result: r.result })));
  const seconds = (Date.now() - started) / 1000;
  const reportPath = path.join(outDir, 'report.html');
  writeDemoReport(
    {
      title: 'ResCom vs Balanced Softmax on Fashion-MNIST-LT (IF 100)',
      intro: [
        `Embedded long-tailed Fashion-MNIST (exp profile, imbalance factor ${configs[0].imbalanceFactor}): ${data.train.labels.length} training images (${data.classCounts.join(' / ')} per class), ${data.val?.labels.length ?? 0} held out for validation, ${data.test?.labels.length ?? 0} balanced test images.`,
        `Same budget for every method: ${epochs} epochs of ${configs[0].backbone}, batch ${configs[0].batchSize} per view, SGD momentum ${configs[0].momentum}, weight decay ${configs[0].weightDecay}, lr ${configs[0].lr} with ${configs[0].warmupEpochs} warm-up epoch(s) and ${configs[0].schedule} decay, seed ${configs[0].seed}.`,
        `Methods: ${methods.join(', ')}. ResCom: tau ${configs[0].temperature}, lambda ${configs[0].conWeight}, effective-number beta ${configs[0].effectiveNumBeta}, K ${configs[0].queuePerClass} keys per class, Q_p ${configs[0].selectNumPos}, Q_n ${configs[0].selectNumNeg}.`,
        `A live short run: one seed, a short CPU budget. It shows the pipeline and the method's behaviour on the tail classes, not evidence that one method beats the other (no spread with one seed), nor the paper's accuracy. Total wall time ${Math.round(seconds)} s.`,
      ].join('\n\n'),
      classCounts: data.classCounts,
      classNames: data.classNames,
      runs,
      evidence: options.evidence,
    },
    reportPath,
  );
  fs.writeFileSync(
    path.join(outDir, 'summary.json'),
    `${JSON.stringify({ epochs, methods, seconds, runs: runs.map((r) => ({ method: r.method, seconds: r.seconds, top1: r.result.top1, top5: r.result.top5, groups: r.result.groups })) }, null, 2)}\n`,
  );
  return {
    outDir,
    reportPath,
    runs,
    table,
    seconds,
    seed: configs[0].seed,
    backbone: configs[0].backbone,
    trainImages: data.train.labels.length,
  };
}

function readRun(
  method: string,
  outcome: { seconds: number; finished: Extract<TrainerMessage, { type: 'finished' }> },
): DemoRun {
  const file = outcome.finished.testResultsFile;
  if (!file || !fs.existsSync(file))
    throw new Error(`runDemo: ${method} wrote no test results (${file ?? 'none reported'})`);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { result: EvaluationResult };
  return {
    method,
    result: saved.result,
    log: readJsonl(path.join(outcome.finished.runDir, LOG_FILE)),
    seconds: outcome.seconds,
  };
}

/**
 * Runs `rescom train --messages` for one config in a child process. Its messages (JSON over IPC)
 * carry its log lines and where its results are; its printed output (progress, warnings) is passed
 * on with the method as prefix. Resolves to its wall time and its `finished` message.
 */
function runChildTraining(o: {
  config: ExperimentConfig;
  runDir: string;
  overrides: Array<[string, string]>;
  epochs: number;
  backend?: string;
  threads: number;
  log: (line: string) => void;
}): Promise<{ seconds: number; finished: Extract<TrainerMessage, { type: 'finished' }> }> {
  const main = path.join(__dirname, '..', 'cli', `main${path.extname(__filename)}`);
  const args = [
    ...process.execArgv,
    main,
    'train',
    '--config',
    'fashion-mnist-lt',
    '--method',
    o.config.method,
    '--epochs',
    String(o.epochs),
    '--run-dir',
    o.runDir,
    '--messages',
    ...o.overrides.flatMap(([field, value]) => ['--set', `${field}=${value}`]),
    ...(o.backend ? ['--backend', o.backend] : []),
    '--threads',
    String(o.threads),
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let finished: Extract<TrainerMessage, { type: 'finished' }> | null = null;
    child.on('message', (message: unknown) => {
      if (!isTrainerMessage(message)) return;
      if (message.type === 'log') o.log(`[${o.config.method}] ${message.line}`);
      else finished = message;
    });
    // If the demo is stopped (Ctrl-C, kill), its training processes stop with it instead of running on.
    const stopChild = (signal: NodeJS.Signals) => {
      child.kill('SIGTERM');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    const onExit = () => child.kill('SIGTERM');
    process.once('SIGINT', stopChild);
    process.once('SIGTERM', stopChild);
    process.once('exit', onExit);
    const tail: string[] = [];
    const forward = (chunk: Buffer, buffer: { text: string }) => {
      buffer.text += chunk.toString('utf8');
      const lines = buffer.text.split(/\r?\n|\r/);
      buffer.text = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim() || line.startsWith('Warning: maxDynamic')) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        o.log(`[${o.config.method}] ${line}`);
      }
    };
    const out = { text: '' };
    const err = { text: '' };
    child.stdout!.on('data', (c: Buffer) => forward(c, out));
    child.stderr!.on('data', (c: Buffer) => forward(c, err));
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', stopChild);
      process.off('SIGTERM', stopChild);
      process.off('exit', onExit);
      if (code === 0 && finished) resolve({ seconds: (Date.now() - started) / 1000, finished });
      else if (code === 0)
        reject(
          new Error(
            `runDemo: training ${o.config.method} ended without its 'finished' message:\n  ${tail.join('\n  ')}`,
          ),
        );
      else reject(new Error(`runDemo: training ${o.config.method} failed (exit ${code}):\n  ${tail.join('\n  ')}`));
    });
  });
}
