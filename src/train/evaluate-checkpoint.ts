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
import { checkOutputFolder, checkOwnOutput } from '../util/own-output';
import { isEvaluationFile, isPerClassCsvFile } from './run-files';
import { checkpointsDir, findCheckpoint, readCheckpointConfig } from './checkpoint';
import { prepareTrainingData } from './data-for-config';
import { evaluateSplit, summarizeEvaluation } from './evaluate-split';
import { memoryModelHandler, readModelFiles } from './file-io';
import { readRunConsistently, runFolderOf } from './run-read';
import { throttledProgress } from './progress';
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
  // A snapshot of the newest checkpoint, read between two writes of a run being trained (run-read.ts).
  const { checkpointDir, config, files } = readRunConsistently(
    runFolderOf(options.checkpoint),
    () => {
      const dir = findCheckpoint(options.checkpoint);
      if (!dir)
        throw new Error(
          `${fn}: no checkpoint found at '${options.checkpoint}' (expected a run folder or a checkpoint folder with state.json)`,
        );
      return { checkpointDir: dir, config: readCheckpointConfig(dir), files: readModelFiles(dir) };
    },
    { who: fn },
  );
  const data = options.data ?? (await prepareTrainingData(config));
  const set = split === 'test' ? data.test : data.val;
  if (!set || set.labels.length === 0) throw new Error(`${fn}: the ${split} split of ${config.dataset} is empty`);
  const model = await tf.loadLayersModel(memoryModelHandler(files));
  try {
    // A large split takes minutes: a progress line on stderr every 10 s.
    const tick = throttledProgress((line) => console.error(line));
    const result = await evaluateSplit({
      model,
      data,
      set,
      batchSize: options.batchSize ?? config.evalBatchSize,
      onProgress: (done, total) => tick(() => `evaluating the ${split} split: ${done}/${total} images`),
    });
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
 * Throws unless `outDir` can take `eval-<split>.json` and `per-class-<split>.csv`: a folder (or a
 * path that can become one) where those names are absent or hold an earlier evaluation.
 */
export function checkEvaluationOutput(outDir: string, split: 'test' | 'val', option = '--out'): void {
  const who = 'rescom eval';
  checkOutputFolder(outDir, who, option);
  const what = (kind: string) => `${kind} written by rescom eval`;
  checkOwnOutput(path.join(outDir, `eval-${split}.json`), {
    who,
    option,
    what: what('an evaluation JSON'),
    isOurs: isEvaluationFile,
  });
  checkOwnOutput(path.join(outDir, `per-class-${split}.csv`), {
    who,
    option,
    what: what('a per-class CSV'),
    isOurs: isPerClassCsvFile,
  });
}

/**
 * Write `eval-<split>.json` (summary + full result) and `per-class-<split>.csv` into `outDir`,
 * atomically. Returns the two paths.
 */
export function writeCheckpointEvaluation(
  evaluation: CheckpointEvaluation,
  outDir: string,
): { json: string; csv: string } {
  checkEvaluationOutput(outDir, evaluation.split);
  const json = path.join(outDir, `eval-${evaluation.split}.json`);
  const csv = path.join(outDir, `per-class-${evaluation.split}.csv`);
  writeFileAtomic(
    json,
    `${JSON.stringify({ checkpoint: evaluation.checkpointDir, config: evaluation.config, split: evaluation.split, summary: summarizeEvaluation(evaluation.result), result: evaluation.result }, null, 2)}\n`,
  );
  writeCsv(perClassRows(evaluation.result), csv);
  return { json, csv };
}
