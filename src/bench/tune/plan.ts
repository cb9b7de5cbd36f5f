/**
 * The runs of the tuning benchmark: one per (variant, method, seed), each the reference protocol's
 * config (`benchConfig` of the accuracy benchmark, so the budget is the same) with the variant's
 * fields changed. Run folders: RUNS/<variant>/<method>-s<seed>. The `protocol` variant needs no
 * training when the committed protocol run of that method and seed exists: its log already holds the
 * validation curve (its test result is never read here). Nor does a variant that changes only the
 * contrastive loss, for a method without one (variants.ts `contrastiveOnly`).
 */
import * as path from 'node:path';
import { applyOverrides, type ExperimentConfig, type MethodName } from '../../configs';
import { methodSpec } from '../../losses';
import { LOG_FILE, readJsonl } from '../../train';
import { benchConfig, runDirOf, type BenchSettings } from '../accuracy/plan';
import { tuningVariant } from './variants';

export interface TuneOptions {
  /** The protocol every variant changes. */
  settings: BenchSettings;
  imbalanceFactor: number;
  variants: string[];
  methods: MethodName[];
  seeds: number[];
  /** Where tuning runs train (git-ignored: checkpoints). */
  runsDir: string;
  /** Committed protocol runs (bench/results/protocol) reused for the `protocol` variant; null: train it. */
  protocolRunsDir: string | null;
  /** Where the table and each finished run's config.json + log.jsonl are written (committed). */
  outDir: string;
}

export interface TuningRun {
  variant: string;
  method: MethodName;
  seed: number;
  config: ExperimentConfig;
  /** Where the run trains, or the committed protocol run it reuses. */
  runDir: string;
  /** True when runDir is a committed protocol run (nothing to train). */
  reused: boolean;
}

/** True when the run folder's log holds at least `epochs` epochs (a missing log holds none). */
export function runFinished(runDir: string, epochs: number): boolean {
  return readJsonl(path.join(runDir, LOG_FILE)).length >= epochs;
}

/** Runs in training order: seed, then variant, then method (the data depends on the seed only). */
export function planTuning(options: TuneOptions): TuningRun[] {
  const runs: TuningRun[] = [];
  for (const seed of options.seeds) {
    for (const name of options.variants) {
      const variant = tuningVariant(name);
      for (const method of options.methods) {
        const base = benchConfig(options.settings, options.imbalanceFactor, method, seed);
        const config = applyOverrides(
          base,
          Object.entries(variant.overrides).map(([field, value]) => [field, String(value)]),
        );
        // The protocol's own run stands for the protocol variant, and for a method the variant
        // does not touch (a contrastive-only change to a method without a contrastive loss).
        const asProtocol = name === 'protocol' || (variant.contrastiveOnly === true && !methodSpec(method).contrastive);
        const committed =
          asProtocol && options.protocolRunsDir
            ? runDirOf(options.protocolRunsDir, options.settings, options.imbalanceFactor, method, seed)
            : null;
        const reused = committed !== null && runFinished(committed, config.epochs);
        const runDir = reused ? committed : path.join(options.runsDir, name, `${method}-s${seed}`);
        runs.push({ variant: name, method, seed, config, runDir, reused });
      }
    }
  }
  return runs;
}
