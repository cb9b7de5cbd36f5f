/**
 * The two trainer steps that cross a checkpoint: opening a run (refusing to overwrite one, or
 * loading the state to resume it) and saving the state after an epoch. What is saved is
 * `TrainingState` (src/train/checkpoint.ts); the order of the random streams is in random-streams.ts.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import * as fs from 'node:fs';
import {
  RESUME_FREE_FIELDS,
  configDifferences,
  formatConfigDifferences,
  loadSavedConfig,
  type ExperimentConfig,
} from '../configs';
import { readJsonFile } from '../util/read-file';
import { numericsDifferences, type NumericsStamp } from './backend-numerics';
import type { Rng, RngState } from '../util/rng';
import {
  loadTrainingState,
  loadWeightsInto,
  saveCheckpoint,
  type MidEpochProgress,
  type TrainingState,
} from './checkpoint';
import type { EpochRecord } from './epoch';
import { LOG_FILE, rewriteJsonl } from './jsonl-log';
import { prepareRunFolder } from './run-folder';
import type { SgdWithWeightDecay } from './sgd';
import type { CriterionState, TrainingCriterion } from './train-step';

/** A run folder as found: its newest checkpoint, and that checkpoint's state when resuming. */
export interface OpenedRun {
  /** The newest checkpoint folder, or null for a new run. */
  existing: string | null;
  /** Its state (caller owns the tensors: `disposeTrainingState`), or null when not resuming. */
  saved: TrainingState | null;
  /** When resuming on other numerics (accepted by `allowBackendChange`): what changed, for the log. */
  backendChange: { from: string | null; to: string | null; differences: string[] } | null;
}

/**
 * Step 1a (before anything is built): a run folder holding a checkpoint is refused unless `resume`;
 * when resuming, the checkpoint's config must equal `config` (the differences are named).
 */
export function openRun(options: {
  runDir: string;
  config: ExperimentConfig;
  resume?: boolean;
  /** Accept an existing non-empty folder that is not a run (see `prepareRunFolder`). */
  force?: boolean;
  /** Notes such as a fallback to an older checkpoint or removed temporary files. */
  log?: ((line: string) => void) | null;
  /** The numerics this process trains with (compared with the checkpoint's; null: not compared). */
  numerics?: NumericsStamp | null;
  /** Accept resuming on numerics that differ from the checkpoint's (the result is then not bit-identical). */
  allowBackendChange?: boolean;
  /** `dataFingerprint` of the data given now (compared with the checkpoint's; undefined: not compared). */
  data?: string;
}): OpenedRun {
  // The folder's safety rules (a foreign folder, writability, leftovers of an interrupted write,
  // a corrupt newest checkpoint) live in run-folder.ts.
  const { checkpoint: existing } = prepareRunFolder({
    runDir: options.runDir,
    resume: options.resume ? 'if-present' : false,
    force: options.force,
    log: options.log,
  });
  if (!options.resume || !existing) return { existing, saved: null, backendChange: null };
  const saved = loadTrainingState(existing);
  try {
    const backendChange = checkResume(existing, saved, options);
    return { existing, saved, backendChange };
  } catch (error) {
    disposeTrainingState(saved);
    throw error;
  }
}

/**
 * What a resume must keep (a resumed run is the same experiment, bit for bit, or it says why not):
 * the config, except fields that do not change what is trained (`RESUME_FREE_FIELDS`: paths, the
 * evaluation batch size); the config in the run's config.json too (an edit there is refused as one
 * on the command line is); the data (its fingerprint, wherever dataDir now points); and the backend
 * numerics, unless `allowBackendChange`. Returns the accepted backend change, or null.
 */
function checkResume(
  existing: string,
  saved: TrainingState,
  options: Parameters<typeof openRun>[0],
): OpenedRun['backendChange'] {
  const { config, log } = options;
  const cannot = `train: cannot resume '${existing}'`;
  const differences = configDifferences(saved.config, config);
  const fixed = differences.filter((d) => !(RESUME_FREE_FIELDS as readonly string[]).includes(d.field));
  if (fixed.length > 0)
    throw new Error(`${cannot}: it was written with another config (${formatConfigDifferences(fixed)})`);
  checkRunConfigFile(options.runDir, saved.config, cannot);
  if (options.data !== undefined && saved.data !== undefined && saved.data !== options.data)
    throw new Error(
      `${cannot}: the data at dataDir '${config.dataDir}' differs from the data it trained on (fingerprint ${saved.data.slice(0, 19)}..., now ${options.data.slice(0, 19)}...); point --dataDir at the same data`,
    );
  if (differences.length > 0)
    log?.(`resuming with ${formatConfigDifferences(differences)} (these do not change what is trained)`);
  const now = options.numerics;
  // A finished run has nothing left to train (its test set is evaluated again): no numbers to keep.
  if (!now || !saved.numerics || (saved.epoch >= config.epochs && !saved.partial)) return null;
  const changed = numericsDifferences(saved.numerics, now);
  if (changed.length === 0) return null;
  if (!options.allowBackendChange)
    throw new Error(
      `${cannot} bit-identically: it trained on '${saved.numerics.line}', this process runs '${now.line}' (${changed.join('; ')}); resume with the same backend settings (--backend, --threads, RESCOM_ONEDNN) or pass --allow-backend-change to accept numbers that differ from an uninterrupted run`,
    );
  log?.(`resuming on other numerics (${changed.join('; ')}), accepted by --allow-backend-change: the log records it`);
  return { from: saved.numerics.line, to: now.line, differences: changed };
}

/**
 * The run's config.json, when present, must hold the checkpoint's config up to the free fields: an
 * edit there (epochs 1 -> 2) is refused, naming the file.
 */
function checkRunConfigFile(runDir: string, stored: ExperimentConfig, cannot: string): void {
  const file = path.join(runDir, 'config.json');
  if (!fs.existsSync(file)) return;
  let onDisk: ExperimentConfig;
  try {
    onDisk = loadSavedConfig(readJsonFile(file, 'train', 'the run config'), `${cannot}: '${file}'`);
  } catch (error) {
    throw new Error(`${(error as Error).message} (restore it, or remove it: it is rewritten from the checkpoint)`);
  }
  const edited = configDifferences(stored, onDisk).filter(
    (d) => !(RESUME_FREE_FIELDS as readonly string[]).includes(d.field),
  );
  if (edited.length > 0)
    throw new Error(
      `${cannot}: '${file}' was edited (${formatConfigDifferences(edited).replace(/requested/g, 'config.json')}); a run's training settings cannot change: restore the file, or train afresh in a new folder`,
    );
}

/**
 * Step 1b (after the model, criterion and optimiser are built): copy the checkpoint's weights,
 * momentum buffers and criterion state in, and rewrite log.jsonl from its history (a run killed
 * between checkpoint and log line leaves no gap). Disposes `saved`. Returns the history.
 */
export async function restoreRun(options: {
  runDir: string;
  checkpoint: string;
  saved: TrainingState;
  model: tf.LayersModel;
  optimizer: SgdWithWeightDecay;
  criterion: TrainingCriterion;
}): Promise<EpochRecord[]> {
  const { saved } = options;
  try {
    await loadWeightsInto(options.model, options.checkpoint);
    await options.optimizer.restore(saved.optimizer);
    options.criterion.restore(saved.criterion);
    const history = saved.history as EpochRecord[];
    rewriteJsonl(path.join(options.runDir, LOG_FILE), history);
    return history;
  } finally {
    disposeTrainingState(saved);
  }
}

/**
 * Step 3 (after each epoch): the checkpoint of `history.length` completed epochs; returns its folder.
 * With `partial` (every `checkpointEvery` steps): a mid-epoch checkpoint of the epoch after
 * `history`, whose `epochStart` is the epoch stream root's state before that epoch's fork.
 */
export async function checkpointEpoch(options: {
  runDir: string;
  config: ExperimentConfig;
  model: tf.LayersModel;
  optimizer: SgdWithWeightDecay;
  criterion: TrainingCriterion;
  /** The epoch stream root (`RunStreams.epochs`) after this epoch's fork. */
  epochs: Rng;
  history: EpochRecord[];
  keep?: number;
  partial?: { progress: MidEpochProgress; epochStart: RngState };
  /** The numerics and data fingerprint to store (compared at resume). */
  numerics?: NumericsStamp;
  data?: string;
}): Promise<string> {
  const { optimizer, criterion, history, partial } = options;
  const optimizerState = await optimizer.state();
  try {
    const state: TrainingState = {
      epoch: history.length,
      config: options.config,
      rng: options.epochs.state(),
      optimizer: optimizerState,
      criterion: criterion.state(),
      history,
    };
    if (options.numerics) state.numerics = options.numerics;
    if (options.data) state.data = options.data;
    if (partial) {
      state.rng = partial.epochStart;
      state.partial = partial.progress;
    }
    return await saveCheckpoint({ runDir: options.runDir, model: options.model, keep: options.keep, state });
  } finally {
    tf.dispose(optimizerState.buffers);
  }
}

/** Disposes the tensors of a loaded state (momentum buffers and any tensor in the criterion state). */
export function disposeTrainingState(state: TrainingState): void {
  tf.dispose(state.optimizer.buffers);
  const tensors: tf.Tensor[] = [];
  const walk = (node: CriterionState) => {
    if (node instanceof tf.Tensor) tensors.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(state.criterion);
  tf.dispose(tensors);
}
