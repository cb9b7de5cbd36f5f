/**
 * The two trainer steps that cross a checkpoint: opening a run (refusing to overwrite one, or
 * loading the state to resume it) and saving the state after an epoch. What is saved is
 * `TrainingState` (src/train/checkpoint.ts); the order of the random streams is in random-streams.ts.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { configDifferences, formatConfigDifferences, type ExperimentConfig } from '../configs';
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
}): OpenedRun {
  const { config } = options;
  // The folder's safety rules (a foreign folder, writability, leftovers of an interrupted write,
  // a corrupt newest checkpoint) live in run-folder.ts.
  const { checkpoint: existing } = prepareRunFolder({
    runDir: options.runDir,
    resume: options.resume ? 'if-present' : false,
    force: options.force,
    log: options.log,
  });
  if (!options.resume || !existing) return { existing, saved: null };
  const saved = loadTrainingState(existing);
  const differences = configDifferences(saved.config, config);
  if (differences.length > 0) {
    disposeTrainingState(saved);
    throw new Error(
      `train: cannot resume '${existing}': it was written with another config (${formatConfigDifferences(differences)})`,
    );
  }
  return { existing, saved };
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
