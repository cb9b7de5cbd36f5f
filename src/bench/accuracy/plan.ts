/**
 * The runs of the accuracy benchmark: one config and one run folder per (imbalance factor, seed,
 * method). Every run starts from the benchmark's config (default `fashion-mnist-lt-ref`, the
 * reference protocol; full Fashion-MNIST files, exp profile) and changes only the benchmark's
 * settings, so all methods share architecture, epochs, batch, schedule and augmentation.
 */
import * as path from 'node:path';
import { applyOverrides, getConfig, type ExperimentConfig, type MethodName } from '../../configs';
import type { AccuracyBenchOptions } from './options';

export interface PlannedRun {
  imbalanceFactor: number;
  seed: number;
  method: MethodName;
  config: ExperimentConfig;
  runDir: string;
}

/** Settings that make two runs comparable; they name the folder that holds the runs and the table. */
export type BenchSettings = Pick<AccuracyBenchOptions, 'config' | 'nMax' | 'epochs' | 'backbone' | 'batchSize'>;

/**
 * `fashion-mnist-lt-ref-nmax2000-resnet20-e30-b128`: the name of the run group and of its table
 * files. The `fashion-mnist-lt-if*` configs keep the earlier tables' prefix `fashion-mnist-lt`.
 */
export function settingsKey(s: BenchSettings): string {
  const prefix = s.config.startsWith('fashion-mnist-lt-if') ? 'fashion-mnist-lt' : s.config;
  return `${prefix}-nmax${s.nMax}-${s.backbone}-e${s.epochs}-b${s.batchSize}`;
}

/** Folder of one run: RUNS/<settings>/if<IF>/<method>-s<seed>. */
export function runDirOf(runsDir: string, s: BenchSettings, imbalanceFactor: number, method: string, seed: number): string {
  return path.join(runsDir, settingsKey(s), `if${imbalanceFactor}`, `${method}-s${seed}`);
}

/** The config of one run. A run shorter than the config's warm-up gets epochs - 1 warm-up epochs (the trainer needs warmupEpochs < epochs). */
export function benchConfig(s: BenchSettings, imbalanceFactor: number, method: MethodName, seed: number): ExperimentConfig {
  const base = getConfig(s.config);
  const warmup = Math.min(base.warmupEpochs, s.epochs - 1);
  const name = s.config.startsWith('fashion-mnist-lt-if') ? `fashion-mnist-lt-if${imbalanceFactor}` : base.name;
  return applyOverrides({ ...base, name }, [
    ['imbalanceFactor', String(imbalanceFactor)],
    ['nMax', String(s.nMax)],
    ['epochs', String(s.epochs)],
    ['warmupEpochs', String(warmup)],
    ['backbone', s.backbone],
    ['batchSize', String(s.batchSize)],
    ['method', method],
    ['seed', String(seed)],
  ]);
}

/**
 * What a run's training data depends on: every config field but the method (the subset, split and
 * augmentation come from the dataset fields, the seed and the preset). Runs with the same key share
 * one `prepareTrainingData`.
 */
export function trainingDataKey(config: ExperimentConfig): string {
  const { method: _method, ...dataFields } = config;
  return JSON.stringify(dataFields);
}

/**
 * Runs in the order they are trained: by imbalance factor, then seed, then method, so the training
 * data (which depends on IF and seed only) is prepared once per 8 methods.
 */
export function planRuns(options: AccuracyBenchOptions): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const imbalanceFactor of options.imbalanceFactors) {
    for (const seed of options.seeds) {
      for (const method of options.methods) {
        runs.push({
          imbalanceFactor,
          seed,
          method,
          config: benchConfig(options, imbalanceFactor, method, seed),
          runDir: runDirOf(options.runsDir, options, imbalanceFactor, method, seed),
        });
      }
    }
  }
  return runs;
}
