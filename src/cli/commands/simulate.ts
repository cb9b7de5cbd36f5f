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
  HTML_REPORT_OUTPUT,
} from '../../viz';
import { checkOwnOutput } from '../../util/own-output';
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

  --classes C      number of classes, 2 to 1000 (default 10)
  --if IF          imbalance factor n_max / n_min (default 100; the paper's heat map uses --if 10)
  --n-max N        training images of the head class (default 5000, CIFAR-10)
  --batch-size B   images per batch and view (default 128)
  --batches K      simulated batches (default 20000; batches x batch size at most 1e9 draws)
  --seed S         seed of the Monte Carlo (default 0)
  --out FILE       the HTML report (default simulate.html)
  --no-html        write no report
  --json           print one JSON object { options, pairFrequency, simulation, summary, html } instead
                   of the tables`;

/** Most images one simulation draws (batches x batch size). */
const MAX_DRAWS = 1e9;

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
    // Limits a user can wait for (measured on 2 busy cores, load ~30): --classes 1000 takes ~13 s and
    // prints an 8 MB table; 2.6e8 draws take ~22 s, so 1e9 draws stay under two minutes.
    const numClasses = int('classes', 10, 2, 1000);
    const imbalanceFactor = parseNumberOption('simulate', 'if', values.if, { min: 1, max: 1e6 }, 100)!;
    const nMax = int('n-max', 5000, 1, 10_000_000);
    const batchSize = int('batch-size', 128, 1, 65_536);
    const numBatches = int('batches', 20000, 1, 10_000_000);
    const seed = int('seed', 0, 0, 2 ** 31 - 1);
    if (numBatches * batchSize > MAX_DRAWS)
      throw new Error(
        `rescom simulate: --batches ${numBatches} x --batch-size ${batchSize} = ${(numBatches * batchSize).toExponential(2)} draws; at most ${MAX_DRAWS.toExponential(0)} (about two minutes here): lower one of them`,
      );
    if (values.out !== undefined && values['no-html'])
      throw new Error('rescom simulate: --out and --no-html exclude each other');
    // A path that holds something else than a report is refused before the simulation runs.
    const html = values['no-html'] ? null : resolve(values.out ?? 'simulate.html');
    if (html) checkOwnOutput(html, { ...HTML_REPORT_OUTPUT, who: 'rescom simulate', option: '--out' });

    const classCounts = longTailedClassCounts({ profile: 'exp', numClasses, nMax, imbalanceFactor });
    const pf = pairFrequency({ numClasses, imbalanceFactor });
    const sim = simulateBatches({ classCounts, batchSize, numBatches, rng: new Rng(seed) });
    const summary = simulationSummary(pf, sim);
    if (html) writeHtmlReport(simulationReport(pf, sim, classCounts), html, { option: '--out' });
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
