import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pairFrequency, simulateBatches } from '../../analysis';
import { longTailedClassCounts } from '../../data/imbalance';
import { Rng } from '../../util/rng';
import { formatTable, pairFrequencyRows, simulationReport, simulationRows, simulationSummary, writeHtmlReport } from '../../viz';
import type { Command } from '../command';

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

function numberOption(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || !check(v)) throw new Error(`rescom simulate: --${name} must be ${expected}; got '${raw}'`);
  return v;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'the dual class-imbalance simulation (pair-frequency heat map, Monte Carlo batches)',
  help: HELP,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
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
      strict: true,
      allowPositionals: false,
    });
    const int = (v: number) => Number.isInteger(v) && v >= 1;
    const numClasses = numberOption('classes', values.classes, 10, (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2');
    const imbalanceFactor = numberOption('if', values.if, 100, (v) => v >= 1, 'a number >= 1');
    const nMax = numberOption('n-max', values['n-max'], 5000, int, 'a positive integer');
    const batchSize = numberOption('batch-size', values['batch-size'], 128, int, 'a positive integer');
    const numBatches = numberOption('batches', values.batches, 20000, int, 'a positive integer');
    const seed = numberOption('seed', values.seed, 0, Number.isInteger, 'an integer');
    if (values.out !== undefined && values['no-html']) throw new Error('rescom simulate: --out and --no-html exclude each other');

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
    console.log(`\nMonte Carlo, ${numBatches} batches of ${batchSize} (seed ${seed}), class counts floor(${nMax} * ${imbalanceFactor}^(-c/${numClasses - 1})):`);
    console.log(formatTable(simulationRows(sim, classCounts)));
    console.log(`\n${summary.join('\n')}`);
    if (html) console.log(`wrote ${html}`);
    return 0;
  },
};
