/**
 * Trained models that ship with the repository, so a learner can study fully trained networks on
 * any laptop without training them: one folder per finished run,
 *
 *   models/<config>/<method>-s<seed>/
 *     model.json + weights.bin   the final model (TF.js layers format, outputs [features, logits, projections])
 *     config.json                the run's full config (rebuilds the same data: subset, validation split, test set)
 *     log.jsonl                  one record per epoch (losses, validation accuracy, times)
 *     test-results.json          the test evaluation recorded when training ended
 *     SHA256SUMS                 sha256 of the five files above (`sha256sum -c SHA256SUMS` checks them too)
 *
 * `shipRun` makes such a folder from a finished run (`rescom ship`); `listShippedModels`,
 * `loadShippedModel` and `evaluateShippedModel` read it back after checking every checksum, and the
 * evaluation reports whether it reproduces the recorded test accuracy. Only the model is shipped,
 * not the optimiser state: a shipped model is for evaluation and analysis, not for resuming.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configDifferences, getConfig, type ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import '../models'; // registers the custom layers (BatchNorm, shortcuts) that loadLayersModel needs
import { writeDirAtomic, writeFileAtomic } from '../util/atomic-write';
import { findCheckpoint } from './checkpoint';
import { checkEvaluationOutput } from './evaluate-checkpoint';
import { readRunConsistently } from './run-read';
import { checkOutputFolder } from '../util/own-output';
import { prepareTrainingData } from './data-for-config';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import { MODEL_JSON, WEIGHTS_BIN, fileSystemHandler } from './file-io';
import { LOG_FILE } from './jsonl-log';
import { TEST_RESULTS_FILE } from './trainer';
import type { TrainingData } from './training-data';

/** The repository's models folder (resolved from this file, so it works from src/ and lib/). */
export const SHIPPED_MODELS_DIR = path.resolve(__dirname, '..', '..', 'models');
export const SHIPPED_MANIFEST = 'SHA256SUMS';
export const RUN_CONFIG_FILE = 'config.json';
/** The files of a shipped model, each listed in SHA256SUMS. */
export const SHIPPED_FILES = [MODEL_JSON, WEIGHTS_BIN, RUN_CONFIG_FILE, LOG_FILE, TEST_RESULTS_FILE] as const;
/** What `rescom eval` evaluates without --checkpoint: ResCom, seed 0 of the reference protocol. */
export const DEFAULT_SHIPPED_MODEL = { config: 'fashion-mnist-lt-ref', method: 'rescom', seed: 0 } as const;

/** The summary numbers recorded in test-results.json (accuracies in [0, 1]). */
export interface RecordedTestResults {
  top1: number;
  top5: number | null;
  many: number | null;
  medium: number | null;
  few: number | null;
  epochs: number;
}

export interface ShippedModel {
  /** `<config>/<method>-s<seed>`. */
  id: string;
  dir: string;
  config: ExperimentConfig;
  method: string;
  seed: number;
  recorded: RecordedTestResults;
  /** The command that trains this model afresh. */
  trainCommand: string;
}

export interface ShippedModelSelector {
  /** Default SHIPPED_MODELS_DIR. */
  modelsDir?: string;
  /** Config name; default DEFAULT_SHIPPED_MODEL.config. */
  config?: string;
  /** Default DEFAULT_SHIPPED_MODEL.method. */
  method?: string;
  /** Default DEFAULT_SHIPPED_MODEL.seed. */
  seed?: number;
}

export function shippedModelDir(modelsDir: string, configName: string, method: string, seed: number): string {
  return path.join(modelsDir, configName, `${method}-s${seed}`);
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * `npx rescom train --config NAME --method M --seed S [--FIELD VALUE ...] --run-dir runs/...`: the
 * one command that trains a run with this config afresh (fields that differ from the named config
 * are given explicitly; machine-specific dataDir is left to the config).
 */
export function trainCommandFor(config: ExperimentConfig): string {
  let base: ExperimentConfig | null = null;
  try {
    base = getConfig(config.name);
  } catch {
    base = null;
  }
  const parts = [
    'npx rescom train',
    `--config ${base ? config.name : 'fashion-mnist-lt'}`,
    `--method ${config.method}`,
    `--seed ${config.seed}`,
  ];
  const differences = configDifferences(base ?? getConfig('fashion-mnist-lt'), config).filter(
    // `version` is the saved file's format stamp (configs/version.ts), not a setting to pass on.
    (d) => !['name', 'method', 'seed', 'dataDir', 'version'].includes(d.field),
  );
  for (const d of differences)
    parts.push(`--set ${d.field}=${Array.isArray(d.requested) ? d.requested.join(',') : String(d.requested)}`);
  parts.push(`--run-dir runs/${config.name}-${config.method}-s${config.seed}`);
  return parts.join(' ');
}

function readRecorded(file: string): RecordedTestResults {
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { epochs?: number; summary?: Record<string, unknown> };
  const s = saved.summary ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  if (typeof s.top1 !== 'number') throw new Error(`readRecorded: '${file}' has no summary.top1`);
  return {
    top1: s.top1,
    top5: num(s.top5),
    many: num(s.many),
    medium: num(s.medium),
    few: num(s.few),
    epochs: typeof saved.epochs === 'number' ? saved.epochs : NaN,
  };
}

function describe(dir: string, modelsDir: string): ShippedModel {
  const config = JSON.parse(fs.readFileSync(path.join(dir, RUN_CONFIG_FILE), 'utf8')) as ExperimentConfig;
  return {
    id: path.relative(modelsDir, dir).split(path.sep).join('/'),
    dir,
    config,
    method: config.method,
    seed: config.seed,
    recorded: readRecorded(path.join(dir, TEST_RESULTS_FILE)),
    trainCommand: trainCommandFor(config),
  };
}

/**
 * Copy a finished run (test-results.json written, final checkpoint present) into
 * `modelsDir/<config>/<method>-s<seed>/` with its SHA256SUMS; an earlier copy is replaced. The
 * checkpoint copied is the one test-results.json was computed from (its epoch must be the last).
 */
export async function shipRun(options: { runDir: string; modelsDir?: string }): Promise<ShippedModel> {
  const fn = 'shipRun';
  const { runDir } = options;
  const modelsDir = options.modelsDir ?? SHIPPED_MODELS_DIR;
  checkOutputFolder(modelsDir, 'rescom ship', '--models-dir');
  // Every file at once, between two writes of a run that is still being written (run-read.ts).
  const { config, files } = readRunConsistently(runDir, () => readFinishedRun(runDir), { who: fn });
  const target = shippedModelDir(modelsDir, config.name, config.method, config.seed);
  // Only an earlier shipped copy is replaced: anything else at that path is someone else's.
  if (fs.existsSync(target) && !fs.existsSync(path.join(target, SHIPPED_MANIFEST)) && fs.readdirSync(target).length > 0)
    throw new Error(
      `${fn}: '${target}' exists and is not a shipped model (no ${SHIPPED_MANIFEST}); move it away or choose another --models-dir`,
    );
  const old = fs.existsSync(target) ? `${target}.old-${process.pid}` : null;
  if (old) fs.renameSync(target, old);
  try {
    await writeDirAtomic(target, async (tmp) => {
      for (const name of SHIPPED_FILES) fs.writeFileSync(path.join(tmp, name), files[name]);
      fs.writeFileSync(
        path.join(tmp, SHIPPED_MANIFEST),
        SHIPPED_FILES.map((name) => `${sha256(path.join(tmp, name))}  ${name}\n`).join(''),
      );
    });
  } catch (error) {
    if (old) fs.renameSync(old, target);
    throw error;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
  return describe(target, modelsDir);
}

/**
 * The files to ship of a finished run (test-results.json written, final checkpoint present), read
 * into memory. The checkpoint is the one test-results.json was computed from (its epoch is the last).
 */
function readFinishedRun(runDir: string): {
  config: ExperimentConfig;
  files: Record<(typeof SHIPPED_FILES)[number], Buffer>;
} {
  const fn = 'shipRun';
  const resultsFile = path.join(runDir, TEST_RESULTS_FILE);
  if (!fs.existsSync(resultsFile))
    throw new Error(
      `${fn}: options.runDir '${runDir}' is not a finished run (no ${TEST_RESULTS_FILE}); train it to the end first`,
    );
  const configFile = path.join(runDir, RUN_CONFIG_FILE);
  if (!fs.existsSync(configFile)) throw new Error(`${fn}: options.runDir '${runDir}' has no ${RUN_CONFIG_FILE}`);
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as ExperimentConfig;
  const recorded = readRecorded(resultsFile);
  const checkpoint = findCheckpoint(runDir);
  const expected = `epoch-${String(config.epochs).padStart(4, '0')}`;
  if (!checkpoint || path.basename(checkpoint) !== expected || recorded.epochs !== config.epochs) {
    throw new Error(
      `${fn}: the final checkpoint of '${runDir}' must be ${expected} (the model test-results.json was computed from); got '${checkpoint ?? 'none'}' and ${recorded.epochs} recorded epochs`,
    );
  }
  const sources: Record<(typeof SHIPPED_FILES)[number], string> = {
    [MODEL_JSON]: path.join(checkpoint, MODEL_JSON),
    [WEIGHTS_BIN]: path.join(checkpoint, WEIGHTS_BIN),
    [RUN_CONFIG_FILE]: configFile,
    [LOG_FILE]: path.join(runDir, LOG_FILE),
    [TEST_RESULTS_FILE]: resultsFile,
  };
  const files = {} as Record<(typeof SHIPPED_FILES)[number], Buffer>;
  for (const name of SHIPPED_FILES) {
    if (!fs.existsSync(sources[name])) throw new Error(`${fn}: '${sources[name]}' is missing`);
    files[name] = fs.readFileSync(sources[name]);
  }
  return { config, files };
}

/**
 * Check every file of a shipped model against its SHA256SUMS. Throws an Error naming the file,
 * the expected and the actual checksum (or the missing file).
 */
export function verifyShippedModel(dir: string): void {
  const fn = 'verifyShippedModel';
  const manifestFile = path.join(dir, SHIPPED_MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new Error(`${fn}: '${dir}' is not a shipped model (no ${SHIPPED_MANIFEST})`);
  const listed = new Map<string, string>();
  for (const line of fs.readFileSync(manifestFile, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) listed.set(m[2], m[1]);
  }
  for (const name of SHIPPED_FILES) {
    const expected = listed.get(name);
    if (!expected) throw new Error(`${fn}: ${SHIPPED_MANIFEST} in '${dir}' does not list ${name}`);
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${fn}: '${file}' is missing (listed in ${SHIPPED_MANIFEST})`);
    const got = sha256(file);
    if (got !== expected) {
      throw new Error(
        `${fn}: checksum mismatch for '${file}': expected sha256 ${expected}, got ${got}; the file was changed or corrupted (restore it with git checkout, or train the model afresh)`,
      );
    }
  }
}

/** Every shipped model under `modelsDir` (not verified; `loadShippedModel` verifies), sorted by id. */
export function listShippedModels(modelsDir: string = SHIPPED_MODELS_DIR): ShippedModel[] {
  if (!fs.existsSync(modelsDir)) return [];
  const out: ShippedModel[] = [];
  for (const group of fs.readdirSync(modelsDir).sort()) {
    const groupDir = path.join(modelsDir, group);
    if (!fs.statSync(groupDir).isDirectory()) continue;
    for (const name of fs.readdirSync(groupDir).sort()) {
      const dir = path.join(groupDir, name);
      if (/^[^.].*-s\d+$/.test(name) && fs.existsSync(path.join(dir, SHIPPED_MANIFEST)))
        out.push(describe(dir, modelsDir));
    }
  }
  return out;
}

/** The shipped model a selector names (defaults: DEFAULT_SHIPPED_MODEL); throws listing what is shipped. */
export function findShippedModel(selector: ShippedModelSelector = {}): ShippedModel {
  const modelsDir = selector.modelsDir ?? SHIPPED_MODELS_DIR;
  const config = selector.config ?? DEFAULT_SHIPPED_MODEL.config;
  const method = selector.method ?? DEFAULT_SHIPPED_MODEL.method;
  const seed = selector.seed ?? DEFAULT_SHIPPED_MODEL.seed;
  const dir = shippedModelDir(modelsDir, config, method, seed);
  if (!fs.existsSync(path.join(dir, SHIPPED_MANIFEST))) {
    const shipped = listShippedModels(modelsDir).map((m) => m.id);
    let command = `npx rescom train --config ${config} --method ${method} --seed ${seed} --run-dir runs/${config}-${method}-s${seed}`;
    try {
      getConfig(config);
    } catch {
      command = `npx rescom train --config CONFIG --method ${method} --seed ${seed}`;
    }
    throw new Error(
      `findShippedModel: no shipped model ${config}/${method}-s${seed} in '${modelsDir}' (shipped: ${shipped.join(', ') || 'none'}). ` +
        `Train it with \`${command}\`, then ship it with \`npx rescom ship runs/${config}-${method}-s${seed}\`, or evaluate the run with \`rescom eval --checkpoint DIR\`.`,
    );
  }
  return describe(dir, modelsDir);
}

/** Verify the checksums, then load the model (the caller disposes `model`). */
export async function loadShippedModel(
  selector: ShippedModelSelector = {},
): Promise<{ shipped: ShippedModel; model: tf.LayersModel }> {
  const shipped = findShippedModel(selector);
  verifyShippedModel(shipped.dir);
  const model = await tf.loadLayersModel(fileSystemHandler(shipped.dir));
  return { shipped, model };
}

export interface ShippedEvaluation {
  shipped: ShippedModel;
  result: EvaluationResult;
  /** The same summary as test-results.json's, from this evaluation. */
  summary: Record<string, number | null | string>;
  /** True when top-1, top-5, Many, Medium and Few equal the recorded ones exactly. */
  reproduced: boolean;
  /** Names of the recorded numbers that differ (empty when reproduced). */
  differences: string[];
}

/**
 * Evaluate a shipped model on the test split of the data its config describes (rebuilt from the
 * config, or `data`), and compare with the recorded test results.
 */
export async function evaluateShippedModel(
  options: ShippedModelSelector & { data?: TrainingData; batchSize?: number },
): Promise<ShippedEvaluation> {
  const { shipped, model } = await loadShippedModel(options);
  try {
    const data = options.data ?? (await prepareTrainingData(shipped.config));
    if (!data.test || data.test.labels.length === 0)
      throw new Error(`evaluateShippedModel: the test split of ${shipped.config.dataset} is empty`);
    const result = await evaluateSplit({
      model,
      data,
      set: data.test,
      batchSize: options.batchSize ?? shipped.config.evalBatchSize,
    });
    const summary = summarizeEvaluation(result);
    const differences = (['top1', 'top5', 'many', 'medium', 'few'] as const).filter(
      (k) => (summary[k] ?? null) !== shipped.recorded[k],
    );
    return { shipped, result, summary, reproduced: differences.length === 0, differences };
  } finally {
    model.dispose();
  }
}

/** Write `eval-test.json` of a shipped-model evaluation into `outDir` (atomically); returns the path. */
export function writeShippedEvaluation(evaluation: ShippedEvaluation, outDir: string): string {
  checkEvaluationOutput(outDir, 'test');
  const file = path.join(outDir, 'eval-test.json');
  writeFileAtomic(
    file,
    `${JSON.stringify({ shipped: evaluation.shipped.id, recorded: evaluation.shipped.recorded, reproduced: evaluation.reproduced, differences: evaluation.differences, summary: evaluation.summary, result: evaluation.result }, null, 2)}\n`,
  );
  return file;
}
