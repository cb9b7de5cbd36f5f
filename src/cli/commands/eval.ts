import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../backend';
import { BACKEND_ARG_OPTIONS, backendOptionsFromArgs } from '../backend-options';
import { evaluateCheckpoint, formatResultsTable, writeCheckpointEvaluation } from '../../train';
import type { Command } from '../command';

const HELP = `usage: rescom eval --checkpoint DIR [--split test|val] [--out DIR] [--batch-size N] [--backend NAME] [--threads N]

Evaluates a checkpoint written by \`rescom train\` on the data its stored config describes. Prints
top-1, top-5 and Many / Medium / Few accuracy; writes eval-<split>.json (every metric: per-class,
confusion matrix, calibration) and per-class-<split>.csv.

  --checkpoint DIR   a run folder (its newest checkpoint), or one checkpoint folder
  --split S          test (default) or val (the validation split held out of the training data)
  --out DIR          where the files go (default: the run folder)
  --batch-size N     images per forward pass (default: the config's evalBatchSize)
  --backend NAME     auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)
  --threads N        wasm threads, 1 to 8 (also: RESCOM_THREADS; default: every core)`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a checkpoint: top-1, top-5, Many/Medium/Few, per-class results',
  help: HELP,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        checkpoint: { type: 'string' },
        split: { type: 'string', default: 'test' },
        out: { type: 'string' },
        'batch-size': { type: 'string' },
        ...BACKEND_ARG_OPTIONS,
      },
      strict: true,
      allowPositionals: false,
    });
    if (!values.checkpoint) throw new Error(`rescom eval: --checkpoint DIR is required\n\n${HELP}`);
    if (values.split !== 'test' && values.split !== 'val') throw new Error(`rescom eval: --split must be test or val; got '${values.split}'`);
    const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
    if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new Error(`rescom eval: --batch-size must be a positive integer; got '${values['batch-size']}'`);
    }
    await selectBackend(backendOptionsFromArgs('eval', values));
    const evaluation = await evaluateCheckpoint({ checkpoint: values.checkpoint, split: values.split, batchSize });
    const { config, result } = evaluation;
    console.log(`checkpoint ${evaluation.checkpointDir} (${config.name}, ${config.method}, ${config.backbone}); ${values.split} split: ${result.numSamples} images`);
    console.log(formatResultsTable([{ label: config.method, result }]));
    if (result.meanClassAccuracy !== null) console.log(`mean per-class accuracy ${(100 * result.meanClassAccuracy).toFixed(1)}%`);
    const outDir = values.out ?? evaluation.runDir;
    fs.mkdirSync(outDir, { recursive: true });
    const written = writeCheckpointEvaluation(evaluation, outDir);
    console.log(`wrote ${written.json} and ${written.csv}`);
    return 0;
  },
};
