/**
 * The runs of the accuracy benchmark: one config and one run folder per (imbalance factor, seed,
 * method). Every run starts from the `fashion-mnist-lt-if*` config (full Fashion-MNIST files, exp
 * profile) and changes only the benchmark's settings, so all methods share architecture, epochs,
 * batch, schedule and augmentation.
 */
import * as path from 'node:path';
import { FASHION_MNIST_LT_IF100, applyOverrides, type ExperimentConfig, type MethodName } from '../../configs';
import type { AccuracyBenchOptions } from './options';

export interface PlannedRun {
  imbalanceFactor: number;
  seed: number;
  method: MethodName;
  config: ExperimentConfig;
  runDir: string;
}

/** Settings that make two runs comparable; they name the folder that holds the runs and the table. */
export type BenchSettings = Pick<AccuracyBenchOptions, 'nMax' | 'epochs' | 'backbone' | 'batchSize'>;

/** `fashion-mnist-lt-nmax2000-resnet8-e4-b128`: the name of the run group and of its table files. */
export function settingsKey(s: BenchSettings): string {
  return `fashion-mnist-lt-nmax${s.nMax}-${s.backbone}-e${s.epochs}-b${s.batchSize}`;
}

/** Folder of one run: RUNS/<settings>/if<IF>/<method>-s<seed>. */
export function runDirOf(runsDir: string, s: BenchSettings, imbalanceFactor: number, method: string, seed: number): string {
  return path.join(runsDir, settingsKey(s), `if${imbalanceFactor}`, `${method}-s${seed}`);
}

/** The config of one run. A 1-epoch run gets no warm-up (the trainer needs warmupEpochs < epochs). */
export function benchConfig(s: BenchSettings, imbalanceFactor: number, method: MethodName, seed: number): ExperimentConfig {
  const warmup = Math.min(FASHION_MNIST_LT_IF100.warmupEpochs, s.epochs - 1);
  return applyOverrides({ ...FASHION_MNIST_LT_IF100, name: `fashion-mnist-lt-if${imbalanceFactor}` }, [
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
