/**
 * The runs of the accuracy benchmark: one config and one run folder per (imbalance factor, seed,
 * method). Every run starts from the benchmark's config (default `fashion-mnist-lt-ref`, the
 * reference protocol; full Fashion-MNIST files, exp profile) and changes only the benchmark's
 * settings, so all methods share architecture, epochs, batch, schedule and augmentation.
 */
import * as path from 'node:path';
import { applyOverrides, getConfig, onlyContrastiveFields, type ExperimentConfig, type MethodName } from '../../configs';
import { methodSpec } from '../../losses';
import type { AccuracyBenchOptions } from './options';

export interface PlannedRun {
  imbalanceFactor: number;
  seed: number;
  method: MethodName;
  config: ExperimentConfig;
  runDir: string;
}

/**
 * Settings that make two runs comparable; they name the folder that holds the runs and the table.
 * `sets` (config changes of a variant, --set) is optional: absent or [] is the config as it is.
 */
export type BenchSettings = Pick<AccuracyBenchOptions, 'config' | 'nMax' | 'epochs' | 'backbone' | 'batchSize'> &
  Partial<Pick<AccuracyBenchOptions, 'sets'>>;

/**
 * `fashion-mnist-lt-fixed-nmax2000-resnet20-e30-b128`: the name of the run group and of its table
 * files; a variant appends its changes (`...-b128-set-conWeight0.25`). The `fashion-mnist-lt-if*`
 * configs keep the earlier tables' prefix `fashion-mnist-lt`.
 */
export function settingsKey(s: BenchSettings): string {
  const prefix = s.config.startsWith('fashion-mnist-lt-if') ? 'fashion-mnist-lt' : s.config;
  const sets = (s.sets ?? []).map(([field, value]) => `-${field}${value.replace(/[^A-Za-z0-9.,_-]/g, '_')}`).join('');
  return `${prefix}-nmax${s.nMax}-${s.backbone}-e${s.epochs}-b${s.batchSize}${sets ? `-set${sets}` : ''}`;
}

/** The settings without the variant's changes: the group a variant's unaffected methods come from. */
export function baseSettings(s: BenchSettings): BenchSettings {
  return { config: s.config, nMax: s.nMax, epochs: s.epochs, backbone: s.backbone, batchSize: s.batchSize };
}

/**
 * True when the variant's changes cannot change how `method` trains (they touch the contrastive loss
 * alone and the method has none: src/configs/contrastive-fields.ts): its run is the base group's.
 */
export function unaffectedByVariant(s: BenchSettings, method: string): boolean {
  const sets = s.sets ?? [];
  return sets.length > 0 && onlyContrastiveFields(sets.map(([f]) => f)) && !methodSpec(method as MethodName).contrastive;
}

/**
 * Folder of one run: RUNS/<settings>/if<IF>/<method>-s<seed>; for a method the variant cannot affect,
 * the base group's folder (the same training, done once).
 */
export function runDirOf(runsDir: string, s: BenchSettings, imbalanceFactor: number, method: string, seed: number): string {
  const group = unaffectedByVariant(s, method) ? baseSettings(s) : s;
  return path.join(runsDir, settingsKey(group), `if${imbalanceFactor}`, `${method}-s${seed}`);
}

/**
 * The config of one run: the variant's changes, then the benchmark's settings (a method the variant
 * cannot affect gets the base group's config, as its run is that group's). A run shorter than the
 * config's warm-up gets epochs - 1 warm-up epochs (the trainer needs warmupEpochs < epochs).
 */
export function benchConfig(s: BenchSettings, imbalanceFactor: number, method: MethodName, seed: number): ExperimentConfig {
  const sets = unaffectedByVariant(s, method) ? [] : (s.sets ?? []);
  const base = applyOverrides(getConfig(s.config), sets);
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
