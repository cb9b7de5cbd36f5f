import { selectBackend, type BackendName } from '../../backend';
import { configFieldOptions, overridesFromTokens, parseCommandArgs } from '../../configs';
import { formatProtocolEvidence, loadProtocolEvidence } from '../../bench/accuracy/index';
import { DEMO_EPOCHS, DEMO_METHODS, liveRunLabel, runDemo } from '../../train';
import type { Command } from '../command';

const HELP = `usage: rescom demo [--epochs N] [--methods balsfx,rescom] [--out DIR] [--sequential] [--backend NAME] [--FIELD VALUE ...]

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
      backend: { type: 'string' },
      'protocol-dir': { type: 'string' },
    });
    const overrides = overridesFromTokens(tokens ?? []).filter(([field]) => field !== 'epochs' && field !== 'method');
    const epochs = values.epochs === undefined ? DEMO_EPOCHS : Number(values.epochs);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`rescom demo: --epochs must be a positive integer; got '${values.epochs}'`);
    const methods = values.methods ? (values.methods as string).split(',').map((m) => m.trim()).filter(Boolean) : [...DEMO_METHODS];
    const backend = await selectBackend(values.backend ? { backend: values.backend as BackendName } : {});
    // The committed multi-seed results are read before training (a few small JSON files), so a
    // broken results folder fails at once rather than after minutes of training.
    const evidence = formatProtocolEvidence(loadProtocolEvidence({ dir: values['protocol-dir'] as string | undefined }));
    const demo = await runDemo({
      evidence,
      epochs,
      methods,
      overrides,
      outDir: values.out as string | undefined,
      parallel: values.sequential ? false : undefined,
      backend: values.backend as string | undefined,
      backendName: backend.name,
    });
    console.log(`\n${liveRunLabel({ epochs, backbone: demo.backbone, trainImages: demo.trainImages, seed: demo.seed, runs: demo.runs })}`);
    console.log(`\nLive short run, test accuracy after ${epochs} epochs (balanced test set, final models):\n${demo.table}`);
    console.log(`\nBeside it, the evidence: the committed multi-seed reference protocol.\n${evidence}`);
    console.log(`\nreport: ${demo.reportPath}\nruns: ${demo.outDir}/<method> (checkpoints, log.jsonl, test-results.json); total ${Math.round(demo.seconds)} s`);
    return 0;
  },
};
