import { selectBackend } from '../../backend';
import { BACKEND_ARG_OPTIONS, backendOptionsFromArgs } from '../backend-options';
import { METHOD_NAMES, configFieldOptions, overridesFromTokens, parseCommandArgs } from '../../configs';
import { formatEvidence, loadEvidence } from '../../bench/accuracy/index';
import { parseIntegerOption } from '../parse-number';
import { DEMO_EPOCHS, DEMO_METHODS, liveRunLabel, runDemo } from '../../train';
import type { Command } from '../command';

const HELP = `usage: rescom demo [--epochs N] [--methods balsfx,rescom] [--out DIR] [--sequential] [--backend NAME] [--threads N] [--FIELD VALUE ...]

The main job (npm start): trains Balanced Softmax and ResCom with the same short budget on the
embedded Fashion-MNIST-LT (IF 100, ResNet-8, runs offline), evaluates each once on the balanced test
set, prints a Many / Medium / Few table and writes an HTML report with plotly charts. This live run
is one seed on a short budget (a demonstration, labelled so); beside it the demo prints the committed
multi-seed results of the reference protocol (bench/results/protocol), with ResCom paired by seed
against each method and what they do and do not show.
About 5-6 minutes on 2 idle CPU cores with wasm (the methods train in parallel, one process each).

  --epochs N         epochs per method (default ${DEMO_EPOCHS})
  --methods LIST     comma-separated methods (default ${DEMO_METHODS.join(',')}); see rescom train --help
  --out DIR          output folder (default runs/demo-<date>-<time>)
  --sequential       train the methods one after another in this process (default on GPU backends)
  --backend NAME     auto (default), tensorflow, webgpu, wasm or cpu (also: RESCOM_BACKEND)
  --threads N        wasm threads, 1 to 8 (also: RESCOM_THREADS; default: every core, shared out
                     between the parallel training processes)
  --protocol-dir DIR the committed protocol results printed beside the live run (default bench/results/protocol)
  --FIELD VALUE      any config field of fashion-mnist-lt (see rescom train --help), e.g. --batchSize 32`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job: Balanced Softmax vs ResCom on the embedded Fashion-MNIST-LT, with an HTML report',
  help: HELP,
  async run(args) {
    const { values, tokens } = parseCommandArgs('demo', args, {
      ...configFieldOptions(),
      epochs: { type: 'string' },
      methods: { type: 'string' },
      out: { type: 'string' },
      sequential: { type: 'boolean' },
      ...BACKEND_ARG_OPTIONS,
      'protocol-dir': { type: 'string' },
    });
    const overrides = overridesFromTokens(tokens ?? []).filter(([field]) => field !== 'epochs' && field !== 'method');
    const epochs = parseIntegerOption(
      'demo',
      'epochs',
      values.epochs as string | undefined,
      { min: 1, max: 10_000 },
      DEMO_EPOCHS,
    )!;
    const methods =
      values.methods === undefined
        ? [...DEMO_METHODS]
        : (values.methods as string)
            .split(',')
            .map((m) => m.trim())
            .filter(Boolean);
    const unknown = methods.filter((m) => !(METHOD_NAMES as readonly string[]).includes(m));
    if (methods.length === 0 || unknown.length > 0 || new Set(methods).size !== methods.length) {
      throw new Error(
        `rescom demo: --methods must be a comma-separated list of distinct methods among ${METHOD_NAMES.join(', ')}; got '${values.methods}'`,
      );
    }
    const backend = await selectBackend(backendOptionsFromArgs('demo', values));
    // The committed multi-seed results are read before training (a few small JSON files), so a
    // broken results folder fails at once rather than after minutes of training.
    const evidence = formatEvidence(loadEvidence({ dir: values['protocol-dir'] as string | undefined }));
    const demo = await runDemo({
      evidence,
      epochs,
      methods,
      overrides,
      outDir: values.out as string | undefined,
      parallel: values.sequential ? false : undefined,
      backend: values.backend as string | undefined,
      backendName: backend.name,
      threads: backend.threads ?? undefined,
    });
    console.log(
      `\n${liveRunLabel({ epochs, backbone: demo.backbone, trainImages: demo.trainImages, seed: demo.seed, runs: demo.runs })}`,
    );
    console.log(
      `\nLive short run, test accuracy after ${epochs} epochs (balanced test set, final models):\n${demo.table}`,
    );
    console.log(`\nBeside it, the evidence: the committed multi-seed results of each protocol.\n${evidence}`);
    console.log(
      `\nreport: ${demo.reportPath}\nruns: ${demo.outDir}/<method> (checkpoints, log.jsonl, test-results.json); total ${Math.round(demo.seconds)} s`,
    );
    return 0;
  },
};
