import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectBackend } from '../../backend';
import { BACKEND_ARG_OPTIONS, backendOptionsFromArgs } from '../backend-options';
import {
  DEFAULT_SHIPPED_MODEL,
  checkEvaluationOutput,
  evaluateCheckpoint,
  evaluateShippedModel,
  formatResultsTable,
  listShippedModels,
  writeCheckpointEvaluation,
  writeShippedEvaluation,
} from '../../train';
import type { Command } from '../command';
import { parseIntegerOption } from '../parse-number';
import { parseOptions } from '../parse-options';

const HELP = `usage: rescom eval [--model M] [--seed S] [--config NAME] [--models-dir DIR] [--out DIR] [--batch-size N] [--backend NAME] [--threads N]
       rescom eval --checkpoint DIR [--split test|val] [--out DIR] [--batch-size N] [--backend NAME] [--threads N]
       rescom eval --list

Without --checkpoint: evaluates a trained model that ships with the repository (models/<config>/<method>-s<seed>/,
default ${DEFAULT_SHIPPED_MODEL.config}/${DEFAULT_SHIPPED_MODEL.method}-s${DEFAULT_SHIPPED_MODEL.seed}: ResCom, seed 0 of the reference protocol) on the
test set its config describes, after checking every file against its SHA256SUMS, and says whether
it reproduces the test accuracy recorded when it was trained (exit status 1 if not).
With --checkpoint: evaluates a checkpoint written by \`rescom train\` on the data its stored config
describes. Prints top-1, top-5 and Many / Medium / Few accuracy; writes eval-<split>.json (every
metric: per-class, confusion matrix, calibration) and per-class-<split>.csv.

  --model M          shipped model's method (default ${DEFAULT_SHIPPED_MODEL.method}; e.g. balsfx, sbs)
  --seed S           shipped model's seed (default ${DEFAULT_SHIPPED_MODEL.seed})
  --config NAME      shipped model's config (default ${DEFAULT_SHIPPED_MODEL.config})
  --models-dir DIR   where shipped models live (default: the repository's models/)
  --list             list the shipped models and their recorded test accuracy
  --checkpoint DIR   a run folder (its newest checkpoint), or one checkpoint folder
  --split S          test (default) or val (the validation split held out of the training data)
  --out DIR          where the files go (default: the run folder; for a shipped model runs/eval-<config>-<method>-s<seed>)
  --batch-size N     images per forward pass (default: the config's evalBatchSize)
  --backend NAME     auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)
  --threads N        wasm threads, 1 to 8 (also: RESCOM_THREADS; default: every core)`;

const pct = (v: number | null | string | undefined) => (typeof v === 'number' ? `${(100 * v).toFixed(2)}%` : 'n/a');

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a shipped model (default: ResCom of the reference protocol) or a checkpoint',
  help: HELP,
  async run(args) {
    type Values = {
      checkpoint?: string;
      model?: string;
      seed?: string;
      config?: string;
      'models-dir'?: string;
      list?: boolean;
      split: string;
      out?: string;
      'batch-size'?: string;
      backend?: string;
      threads?: string;
    };
    const { values } = parseOptions<Values>('eval', args, {
      checkpoint: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
      config: { type: 'string' },
      'models-dir': { type: 'string' },
      list: { type: 'boolean' },
      split: { type: 'string', default: 'test' },
      out: { type: 'string' },
      'batch-size': { type: 'string' },
      ...BACKEND_ARG_OPTIONS,
    });
    if (values.split !== 'test' && values.split !== 'val')
      throw new Error(`rescom eval: --split must be test or val; got '${values.split}'`);
    const batchSize = parseIntegerOption('eval', 'batch-size', values['batch-size'], { min: 1, max: 65_536 });
    // --out is checked before anything is evaluated (its evaluation files only may be replaced).
    if (values.out !== undefined) checkEvaluationOutput(values.out, values.split as 'test' | 'val');
    const modelsDir = values['models-dir'];
    if (values.list) {
      const shipped = listShippedModels(modelsDir);
      if (shipped.length === 0) console.log('no shipped models');
      for (const m of shipped) {
        console.log(
          `${m.id}: ${m.config.backbone}, ${m.recorded.epochs} epochs; recorded test top-1 ${pct(m.recorded.top1)}, Few ${pct(m.recorded.few)}\n  train afresh: ${m.trainCommand}`,
        );
      }
      return 0;
    }
    if (values.checkpoint && (values.model || values.seed || values.config || modelsDir)) {
      throw new Error(
        'rescom eval: --checkpoint evaluates a run folder; --model, --seed, --config and --models-dir select a shipped model instead: give one or the other',
      );
    }
    if (!values.checkpoint) {
      if (values.split !== 'test')
        throw new Error(`rescom eval: a shipped model is evaluated on the test split; got --split ${values.split}`);
      const seed = parseIntegerOption('eval', 'seed', values.seed, { min: 0, max: 2 ** 31 - 1 });
      await selectBackend(backendOptionsFromArgs('eval', values));
      const evaluation = await evaluateShippedModel({
        modelsDir,
        config: values.config,
        method: values.model,
        seed,
        batchSize,
      });
      const { shipped, result } = evaluation;
      console.log(
        `shipped model ${shipped.id} (${shipped.config.backbone}, ${shipped.recorded.epochs} epochs), checksums verified; test split: ${result.numSamples} images`,
      );
      console.log(formatResultsTable([{ label: shipped.method, result }]));
      const outDir = values.out ?? path.join('runs', `eval-${shipped.config.name}-${shipped.method}-s${shipped.seed}`);
      fs.mkdirSync(outDir, { recursive: true });
      console.log(`wrote ${writeShippedEvaluation(evaluation, outDir)}`);
      console.log(`train it afresh: ${shipped.trainCommand}`);
      if (evaluation.reproduced) {
        console.log(
          `recorded test top-1 ${pct(shipped.recorded.top1)}, now ${pct(evaluation.summary.top1)}: reproduced exactly (top-1, top-5, Many, Medium, Few)`,
        );
        return 0;
      }
      console.log(
        `recorded test top-1 ${pct(shipped.recorded.top1)}, now ${pct(evaluation.summary.top1)}: NOT reproduced (${evaluation.differences.join(', ')} differ). ` +
          'A different backend can change a few predictions; on the backend it was trained with the numbers must be equal.',
      );
      return 1;
    }
    if (!fs.existsSync(values.checkpoint))
      throw new Error(`rescom eval: --checkpoint '${values.checkpoint}' does not exist`);
    await selectBackend(backendOptionsFromArgs('eval', values));
    const evaluation = await evaluateCheckpoint({ checkpoint: values.checkpoint, split: values.split, batchSize });
    const { config, result } = evaluation;
    console.log(
      `checkpoint ${evaluation.checkpointDir} (${config.name}, ${config.method}, ${config.backbone}); ${values.split} split: ${result.numSamples} images`,
    );
    console.log(formatResultsTable([{ label: config.method, result }]));
    if (result.meanClassAccuracy !== null)
      console.log(`mean per-class accuracy ${(100 * result.meanClassAccuracy).toFixed(1)}%`);
    const outDir = values.out ?? evaluation.runDir;
    fs.mkdirSync(outDir, { recursive: true });
    const written = writeCheckpointEvaluation(evaluation, outDir);
    console.log(`wrote ${written.json} and ${written.csv}`);
    return 0;
  },
};
