import { parseArgs } from 'node:util';
import { SHIPPED_MODELS_DIR, shipRun } from '../../train';
import type { Command } from '../command';

const HELP = `usage: rescom ship RUN_DIR [RUN_DIR ...] [--models-dir DIR]

Copies finished runs (trained to the end, test-results.json written) into the repository's models
folder for committing: models/<config>/<method>-s<seed>/ with the final model (model.json +
weights.bin, TF.js layers format), config.json, log.jsonl, test-results.json and SHA256SUMS.
An earlier copy of the same run is replaced. \`rescom eval\` then evaluates it and checks that it
reproduces the recorded test accuracy.

  --models-dir DIR   destination (default: the repository's models/)`;

export const shipCommand: Command = {
  name: 'ship',
  summary: 'copy finished runs (final model, log, test results, SHA256SUMS) into models/ for committing',
  help: HELP,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { 'models-dir': { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length === 0) throw new Error(`rescom ship: give at least one RUN_DIR\n\n${HELP}`);
    for (const runDir of positionals) {
      const shipped = await shipRun({ runDir, modelsDir: values['models-dir'] ?? SHIPPED_MODELS_DIR });
      console.log(
        `shipped ${runDir} -> ${shipped.dir} (recorded test top-1 ${(100 * shipped.recorded.top1).toFixed(2)}%)`,
      );
    }
    return 0;
  },
};
