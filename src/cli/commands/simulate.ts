import { resolve } from 'node:path';
import { pairFrequency, simulateBatches } from '../../analysis';
import { longTailedClassCounts } from '../../data/imbalance';
import { Rng } from '../../util/rng';
import {
  formatTable,
  pairFrequencyRows,
  simulationReport,
  simulationRows,
  simulationSummary,
  writeHtmlReport,
} from '../../viz';
import type { Command } from '../command';
import { parseIntegerOption, parseNumberOption } from '../parse-number';
import { parseOptions } from '../parse-options';

const HELP = `usage: rescom simulate [--classes C] [--if IF] [--n-max N] [--batch-size B] [--batches K] [--seed S]
                       [--out FILE | --no-html] [--json]

The dual class imbalance (paper Sec. 3.1). Prints the analytic pair-frequency heat map
(cell (i,j) = r_i r_j, r_i = IF^(-(i-1)/(C-1))) and a seeded Monte Carlo of K batches of B images
drawn from the long-tailed class counts floor(n_max * IF^(-c/(C-1))), duplicated into two views:
images, absences and positive pairs per class, per batch and per Siamese batch. Writes both as an
offline HTML report with the heat map.

  --classes C      number of classes (default 10)
  --if IF          imbalance factor n_max / n_min (default 100; the paper's heat map uses --if 10)
  --n-max N        training images of the head class (default 5000, CIFAR-10)
  --batch-size B   images per batch and view (default 128)
  --batches K      simulated batches (default 20000)
  --seed S         seed of the Monte Carlo (default 0)
  --out FILE       the HTML report (default simulate.html)
  --no-html        write no report
  --json           print one JSON object { options, pairFrequency, simulation, summary, html } instead
                   of the tables`;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'the dual class-imbalance simulation (pair-frequency heat map, Monte Carlo batches)',
  help: HELP,
  async run(args) {
    const { values } = parseOptions<Record<string, string | undefined> & { 'no-html': boolean; json: boolean }>(
      'simulate',
      args,
      {
        classes: { type: 'string' },
        if: { type: 'string' },
        'n-max': { type: 'string' },
        'batch-size': { type: 'string' },
        batches: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'no-html': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    ) as { values: Record<string, string | undefined> & { 'no-html': boolean; json: boolean } };
    const int = (name: string, fallback: number, min: number, max: number) =>
      parseIntegerOption('simulate', name, values[name], { min, max }, fallback)!;
    const numClasses = int('classes', 10, 2, 10_000);
    const imbalanceFactor = parseNumberOption('simulate', 'if', values.if, { min: 1, max: 1e6 }, 100)!;
    const nMax = int('n-max', 5000, 1, 10_000_000);
    const batchSize = int('batch-size', 128, 1, 65_536);
    const numBatches = int('batches', 20000, 1, 10_000_000);
    const seed = int('seed', 0, 0, 2 ** 31 - 1);
    if (values.out !== undefined && values['no-html'])
      throw new Error('rescom simulate: --out and --no-html exclude each other');

    const classCounts = longTailedClassCounts({ profile: 'exp', numClasses, nMax, imbalanceFactor });
    const pf = pairFrequency({ numClasses, imbalanceFactor });
    const sim = simulateBatches({ classCounts, batchSize, numBatches, rng: new Rng(seed) });
    const summary = simulationSummary(pf, sim);
    let html: string | null = null;
    if (!values['no-html']) {
      html = resolve(values.out ?? 'simulate.html');
      writeHtmlReport(simulationReport(pf, sim, classCounts), html);
    }
    if (values.json) {
      const options = { classes: numClasses, imbalanceFactor, nMax, batchSize, batches: numBatches, seed };
      console.log(JSON.stringify({ options, classCounts, pairFrequency: pf, simulation: sim, summary, html }));
      return 0;
    }
    console.log(`Pair frequency r_i r_j (${numClasses} classes, IF ${imbalanceFactor}):`);
    console.log(formatTable(pairFrequencyRows(pf)));
    console.log(
      `\nMonte Carlo, ${numBatches} batches of ${batchSize} (seed ${seed}), class counts floor(${nMax} * ${imbalanceFactor}^(-c/${numClasses - 1})):`,
    );
    console.log(formatTable(simulationRows(sim, classCounts)));
    console.log(`\n${summary.join('\n')}`);
    if (html) console.log(`wrote ${html}`);
    return 0;
  },
};
