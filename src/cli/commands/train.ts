import * as path from 'node:path';
import { selectBackend } from '../../backend';
import { BACKEND_ARG_OPTIONS, backendOptionsFromArgs } from '../backend-options';
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
import {
  TEST_RESULTS_FILE,
  formatResultsTable,
  acquireRunLock,
  checkRunLockFree,
  prepareRunFolder,
  prepareTrainingData,
  readCheckpointConfig,
  sendTrainerMessage,
  train,
} from '../../train';
import { parseIntegerOption } from '../parse-number';
import type { Command } from '../command';

const HELP = `usage: rescom train [--config NAME] [--method M] [--run-dir DIR] [--resume] [--FIELD VALUE | --set FIELD=VALUE ...]

Trains one run: per-epoch validation on a held-out split of the training data, a checkpoint and a
line of RUN/log.jsonl after every epoch, the test set evaluated once at the end (RUN/test-results.json).

  --config NAME          named config (default fashion-mnist-lt): ${CONFIG_NAMES.join(', ')}
  --method M             ${METHOD_NAMES.join(', ')} (same as --set method=M)
  --run-dir DIR          run folder (default runs/<config>-<method>-s<seed>)
  --resume               continue the run in --run-dir from its last checkpoint, with the checkpoint's
                         config; only fields that do not change training may be given anew (--dataDir
                         where the data moved, --evalBatchSize); any other differing field is refused
  --allow-backend-change with --resume: accept a backend whose numbers differ from the checkpoint's
                         (engine, threads, oneDNN, CPU with oneDNN): refused otherwise, since the run
                         would not end as an uninterrupted one; the log records the change
  --force                accept an existing non-empty --run-dir that is not a rescom run (its config.json
                         and log.jsonl are replaced)
  --debug                print the stack of an error too
  --stop-after-epochs N  stop once N epochs are checkpointed (as if interrupted; continue with --resume)
  --checkpoint-every N   also checkpoint every N steps inside an epoch (a run killed mid-epoch resumes
                         from there, bit-identically); default 0 = after each epoch only
  --workers N            image-list datasets (imagenet-lt, inaturalist2018, places-lt): threads that
                         read, decode and augment (default: the available cores; also RESCOM_DATA_WORKERS)
  --backend NAME         auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)
  --messages             send JSON messages to the parent process over IPC instead of printing the results (rescom demo)
  --threads N            wasm threads, 1 to 8 (also: RESCOM_THREADS; default: every core; 1 = single-threaded)
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
      'allow-backend-change': { type: 'boolean' },
      force: { type: 'boolean' },
      'stop-after-epochs': { type: 'string' },
      messages: { type: 'boolean' },
      ...BACKEND_ARG_OPTIONS,
      'checkpoint-every': { type: 'string' },
      workers: { type: 'string' },
      ...configFieldOptions(),
    });
    const overrides = overridesFromTokens(tokens ?? []);
    if (values['allow-backend-change'] && !values.resume)
      throw new Error(
        'rescom train: --allow-backend-change applies to --resume only (a fresh run has no numbers to keep)',
      );
    const runDirArg = values['run-dir'] as string | undefined;
    // A run folder another live process writes is refused first, naming it (run-lock.ts).
    if (runDirArg) checkRunLockFree(runDirArg, 'rescom train');
    let config: ExperimentConfig;
    if (values.resume && runDirArg && !values.config) {
      // Resuming: the checkpoint's config, with the overrides given (a moved --dataDir, another
      // --evalBatchSize; any field that changes training is refused by the trainer, named).
      const { checkpoint } = prepareRunFolder({ runDir: runDirArg, resume: true, dryRun: true, log: null });
      config = applyOverrides(readCheckpointConfig(checkpoint!), overrides);
    } else {
      config = applyOverrides(getConfig((values.config as string | undefined) ?? 'fashion-mnist-lt'), overrides);
    }
    const runDir = runDirArg ?? path.join('runs', `${config.name}-${config.method}-s${config.seed}`);
    const stopAfterEpochs = parseIntegerOption(
      'train',
      'stop-after-epochs',
      values['stop-after-epochs'] as string | undefined,
      { min: 1, max: 10_000 },
    );
    // Every run-folder problem (no checkpoint to resume, a foreign folder, not writable) before any data is read.
    checkRunLockFree(runDir, 'rescom train');
    prepareRunFolder({ runDir, resume: Boolean(values.resume), force: Boolean(values.force), dryRun: true, log: null });

    const checkpointEvery = parseIntegerOption(
      'train',
      'checkpoint-every',
      values['checkpoint-every'] as string | undefined,
      { min: 0, max: 10_000_000 },
      0,
    )!;
    const workers = parseIntegerOption('train', 'workers', values.workers as string | undefined, { min: 0, max: 64 });
    // --messages: a parent process (rescom demo) reads JSON messages over IPC instead of printed text.
    const messages = Boolean(values.messages);
    // The parent (rescom demo) is gone, even by kill -9: its IPC channel closed. Stop, do not
    // train on as an orphan (the 'exit' handlers release the run folder's lock).
    if (messages) process.on('disconnect', () => process.exit(1));
    const say = messages
      ? (line: string) => sendTrainerMessage({ type: 'log', line })
      : (line: string) => console.log(line);
    await selectBackend(backendOptionsFromArgs('train', values));
    // One writer per run folder from here on: a second `rescom train` on it is refused. A failed
    // command releases it on exit, and removes the folder when the lock created it and it is empty.
    const lock = acquireRunLock({ runDir, command: 'rescom train', who: 'rescom train' });
    say(
      `config ${config.name}: method ${config.method}, backbone ${config.backbone}, ${config.epochs} epochs, batch ${config.batchSize}, lr ${config.lr} (${config.schedule}), seed ${config.seed}`,
    );
    const data = await prepareTrainingData(config, { log: say, workers });
    say(
      `data ${config.dataset}: train ${data.train.labels.length} images (class counts ${formatCounts(data.classCounts)}), validation ${data.val?.labels.length ?? 0}, test ${data.test?.labels.length ?? 0}`,
    );
    say(`run folder ${runDir}`);
    let result;
    try {
      result = await train({
        config,
        data,
        runDir,
        resume: Boolean(values.resume),
        force: Boolean(values.force),
        allowBackendChange: Boolean(values['allow-backend-change']),
        stopAfterEpochs,
        checkpointEvery,
        log: say,
      });
    } finally {
      await data.dispose?.();
      lock.release();
    }
    if (messages) {
      const testResultsFile = result.test ? path.join(runDir, TEST_RESULTS_FILE) : null;
      const { checkpoint, epochsCompleted, finished } = result;
      sendTrainerMessage({ type: 'finished', runDir, checkpoint, epochsCompleted, finished, testResultsFile });
      return 0;
    }
    if (!result.finished) {
      console.log(
        `stopped after epoch ${result.epochsCompleted}/${config.epochs}; continue with: rescom train --run-dir ${runDir} --resume`,
      );
      return 0;
    }
    if (result.test) {
      console.log(
        `\ntest set (final model, evaluated once):\n${formatResultsTable([{ label: config.method, result: result.test }])}`,
      );
      console.log(`results: ${path.join(runDir, 'test-results.json')}; checkpoint: ${result.checkpoint}`);
    }
    return 0;
  },
};

/** `12/6/3` for a few classes; `1000 classes, 1280..5 per class` for many. */
function formatCounts(counts: number[]): string {
  return counts.length <= 20
    ? counts.join('/')
    : `${counts.length} classes, ${Math.max(...counts)}..${Math.min(...counts)} per class`;
}
