/**
 * Evaluate a saved checkpoint on the test split (or the validation split) of the data its config
 * describes: the model is read back with `tf.loadLayersModel`, the data rebuilt from the stored
 * config (same seed, hence the same long-tailed subset and validation split as in training).
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../configs';
import { perClassRows, writeCsv, type EvaluationResult } from '../eval';
import '../models'; // registers the custom layers (BatchNorm, shortcuts) that loadLayersModel needs
import { writeFileAtomic } from '../util/atomic-write';
import { checkpointsDir, findCheckpoint, readCheckpointConfig } from './checkpoint';
import { prepareTrainingData } from './data-for-config';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import { fileSystemHandler } from './file-io';
import type { TrainingData } from './training-data';

export interface EvaluateCheckpointOptions {
  /** A run folder, its checkpoints/ folder or one checkpoint folder. */
  checkpoint: string;
  /** Default 'test'. */
  split?: 'test' | 'val';
  /** Default: the config's evalBatchSize. */
  batchSize?: number;
  /** Data to use instead of rebuilding it from the config (tests, notebooks). */
  data?: TrainingData;
}

export interface CheckpointEvaluation {
  checkpointDir: string;
  /** The run folder that holds the checkpoint (the checkpoint folder itself when it stands alone). */
  runDir: string;
  config: ExperimentConfig;
  split: 'test' | 'val';
  result: EvaluationResult;
}

export async function evaluateCheckpoint(options: EvaluateCheckpointOptions): Promise<CheckpointEvaluation> {
  const fn = 'evaluateCheckpoint';
  const split = options.split ?? 'test';
  if (split !== 'test' && split !== 'val')
    throw new Error(`${fn}: options.split must be 'test' or 'val'; got '${String(split)}'`);
  const checkpointDir = findCheckpoint(options.checkpoint);
  if (!checkpointDir)
    throw new Error(
      `${fn}: no checkpoint found at '${options.checkpoint}' (expected a run folder or a checkpoint folder with state.json)`,
    );
  const config = readCheckpointConfig(checkpointDir);
  const data = options.data ?? (await prepareTrainingData(config));
  const set = split === 'test' ? data.test : data.val;
  if (!set || set.labels.length === 0) throw new Error(`${fn}: the ${split} split of ${config.dataset} is empty`);
  const model = await tf.loadLayersModel(fileSystemHandler(checkpointDir));
  try {
    const result = await evaluateSplit({ model, data, set, batchSize: options.batchSize ?? config.evalBatchSize });
    const parent = path.dirname(checkpointDir);
    const runDir =
      path.basename(parent) === 'checkpoints' && checkpointsDir(path.dirname(parent)) === parent
        ? path.dirname(parent)
        : checkpointDir;
    return { checkpointDir, runDir, config, split, result };
  } finally {
    model.dispose();
  }
}

/**
 * Write `eval-<split>.json` (summary + full result) and `per-class-<split>.csv` into `outDir`,
 * atomically. Returns the two paths.
 */
export function writeCheckpointEvaluation(
  evaluation: CheckpointEvaluation,
  outDir: string,
): { json: string; csv: string } {
  const json = path.join(outDir, `eval-${evaluation.split}.json`);
  const csv = path.join(outDir, `per-class-${evaluation.split}.csv`);
  writeFileAtomic(
    json,
    `${JSON.stringify({ checkpoint: evaluation.checkpointDir, config: evaluation.config, split: evaluation.split, summary: summarizeEvaluation(evaluation.result), result: evaluation.result }, null, 2)}\n`,
  );
  writeCsv(perClassRows(evaluation.result), csv);
  return { json, csv };
}
