import * as path from 'node:path';
import { selectBackend, type BackendName } from '../../backend';
import {
  CONFIG_NAMES,
  METHOD_NAMES,
  applyOverrides,
  configFieldHelp,
  configFieldOptions,
  getConfig,
  overridesFromTokens,
  parseCommandArgs,
  type ExperimentConfig,
} from '../../configs';
import { findCheckpoint, formatResultsTable, prepareTrainingData, readCheckpointConfig, train } from '../../train';
import type { Command } from '../command';

const HELP = `usage: rescom train [--config NAME] [--method M] [--run-dir DIR] [--resume] [--FIELD VALUE | --set FIELD=VALUE ...]

Trains one run: per-epoch validation on a held-out split of the training data, a checkpoint and a
line of RUN/log.jsonl after every epoch, the test set evaluated once at the end (RUN/test-results.json).

  --config NAME          named config (default fashion-mnist-lt): ${CONFIG_NAMES.join(', ')}
  --method M             ${METHOD_NAMES.join(', ')} (same as --set method=M)
  --run-dir DIR          run folder (default runs/<config>-<method>-s<seed>)
  --resume               continue the run in --run-dir from its last checkpoint; without --config or
                         overrides the checkpoint's own config is used, with them they must match it
  --stop-after-epochs N  stop once N epochs are checkpointed (as if interrupted; continue with --resume)
  --checkpoint-every N   also checkpoint every N steps inside an epoch (a run killed mid-epoch resumes
                         from there, bit-identically); default 0 = after each epoch only
  --workers N            image-list datasets (imagenet-lt, inaturalist2018, places-lt): threads that
                         read, decode and augment (default: the available cores; also RESCOM_DATA_WORKERS)
  --backend NAME         auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)
  --set FIELD=VALUE      override any config field (repeatable); the same as --FIELD VALUE

Config fields (--FIELD VALUE):
${configFieldHelp()}

Examples:
  rescom train --config fashion-mnist-lt --method balsfx --epochs 5
  rescom train --config cifar100-lt-if100 --set dataDir=data/cifar-100-binary --run-dir runs/c100
  rescom train --run-dir runs/c100 --resume`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model with a named method and config',
  help: HELP,
  async run(args) {
    const { values, tokens } = parseCommandArgs('train', args, {
      config: { type: 'string' },
      'run-dir': { type: 'string' },
      resume: { type: 'boolean' },
      'stop-after-epochs': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      workers: { type: 'string' },
      backend: { type: 'string' },
      ...configFieldOptions(),
    });
    const overrides = overridesFromTokens(tokens ?? []);
    const runDirArg = values['run-dir'] as string | undefined;
    let config: ExperimentConfig;
    if (values.resume && runDirArg && !values.config && overrides.length === 0) {
      const checkpoint = findCheckpoint(runDirArg);
      if (!checkpoint) throw new Error(`rescom train: --resume: no checkpoint in '${runDirArg}'`);
      config = readCheckpointConfig(checkpoint);
    } else {
      config = applyOverrides(getConfig((values.config as string | undefined) ?? 'fashion-mnist-lt'), overrides);
    }
    const runDir = runDirArg ?? path.join('runs', `${config.name}-${config.method}-s${config.seed}`);
    const stopRaw = values['stop-after-epochs'] as string | undefined;
    const stopAfterEpochs = stopRaw === undefined ? undefined : Number(stopRaw);
    if (stopAfterEpochs !== undefined && !(Number.isInteger(stopAfterEpochs) && stopAfterEpochs >= 1)) {
      throw new Error(`rescom train: --stop-after-epochs must be a positive integer; got '${stopRaw}'`);
    }

    const everyRaw = values['checkpoint-every'] as string | undefined;
    const checkpointEvery = everyRaw === undefined ? 0 : Number(everyRaw);
    if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 0)) {
      throw new Error(`rescom train: --checkpoint-every must be a non-negative integer (steps); got '${everyRaw}'`);
    }
    const workersRaw = values.workers as string | undefined;
    const workers = workersRaw === undefined ? undefined : Number(workersRaw);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
      throw new Error(`rescom train: --workers must be a non-negative integer; got '${workersRaw}'`);
    }

    await selectBackend(values.backend ? { backend: values.backend as BackendName } : {});
    console.log(`config ${config.name}: method ${config.method}, backbone ${config.backbone}, ${config.epochs} epochs, batch ${config.batchSize}, lr ${config.lr} (${config.schedule}), seed ${config.seed}`);
    const data = await prepareTrainingData(config, { log: (line) => console.log(line), workers });
    console.log(
      `data ${config.dataset}: train ${data.train.labels.length} images (class counts ${formatCounts(data.classCounts)}), validation ${data.val?.labels.length ?? 0}, test ${data.test?.labels.length ?? 0}`,
    );
    console.log(`run folder ${runDir}`);
    let result;
    try {
      result = await train({ config, data, runDir, resume: Boolean(values.resume), stopAfterEpochs, checkpointEvery });
    } finally {
      await data.dispose?.();
    }
    if (!result.finished) {
      console.log(`stopped after epoch ${result.epochsCompleted}/${config.epochs}; continue with: rescom train --run-dir ${runDir} --resume`);
      return 0;
    }
    if (result.test) {
      console.log(`\ntest set (final model, evaluated once):\n${formatResultsTable([{ label: config.method, result: result.test }])}`);
      console.log(`results: ${path.join(runDir, 'test-results.json')}; checkpoint: ${result.checkpoint}`);
    }
    return 0;
  },
};

/** `12/6/3` for a few classes; `1000 classes, 1280..5 per class` for many. */
function formatCounts(counts: number[]): string {
  return counts.length <= 20 ? counts.join('/') : `${counts.length} classes, ${Math.max(...counts)}..${Math.min(...counts)} per class`;
}
