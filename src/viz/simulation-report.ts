/**
 * Tables and the HTML report of the dual-imbalance simulation (paper Sec. 3.1): the analytic pair
 * heat map and the Monte Carlo batch statistics, as used by `rescom simulate` and the notebooks.
 */
import type { BatchSimulation } from '../analysis/batch-simulation';
import type { PairFrequency } from '../analysis/pair-frequency';
import { batchSimulationFigure, classCountsBar, pairFrequencyHeatmap } from './figures-data';
import type { Report } from './html-report';
import type { Cell } from './text-table';

/** One row per class of the Monte Carlo (rounded for reading; the full numbers are in the result). */
export function simulationRows(sim: BatchSimulation, classCounts: ArrayLike<number>): Record<string, Cell>[] {
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return sim.classes.map((c) => ({
    class: c.class,
    count: classCounts[c.class],
    prior: +c.prior.toPrecision(3),
    images: r2(c.meanImages),
    'images (exp.)': r2(c.expectedImages),
    'absent %': r2(100 * c.absentFraction),
    'absent % (exp.)': r2(100 * c.expectedAbsentFraction),
    'no pair in batch %': r2(100 * c.noBatchPairFraction),
    'pairs/batch': r2(c.meanBatchPairs),
    'pairs/Siamese batch': r2(c.meanSiamesePairs),
    'pairs/Siamese (exp.)': r2(c.expectedSiamesePairs),
  }));
}

/** The heat map as rows: class i, then r_i r_j for every j. */
export function pairFrequencyRows(pf: PairFrequency): Record<string, Cell>[] {
  return pf.matrix.map((row, i) =>
    Object.fromEntries([['i', i + 1], ...row.map((v, j) => [`j=${j + 1}`, +v.toPrecision(2)])]),
  );
}

/** Headline numbers of both analyses, one line each. */
export function simulationSummary(pf: PairFrequency, sim: BatchSimulation): string[] {
  const head = sim.classes[0];
  const tail = sim.classes[sim.classes.length - 1];
  return [
    `heat map: ${pf.numClasses} classes, IF ${pf.imbalanceFactor}: cell (1,2) = ${pf.matrix[0][1].toFixed(2)}, ${pf.cellsBelowThreshold} of ${pf.numClasses ** 2} cells below ${+pf.threshold.toPrecision(3)}, span ${+pf.span.toPrecision(4)}`,
    `Monte Carlo: ${sim.numBatches} batches of ${sim.batchSize}: head ${head.meanImages.toFixed(2)} images and ${head.meanSiamesePairs.toFixed(0)} Siamese positive pairs per batch; ` +
      `tail ${tail.meanImages.toFixed(2)} images, absent from ${(100 * tail.absentFraction).toFixed(1)}% of batches, ${tail.meanSiamesePairs.toFixed(2)} pairs`,
    `head/tail ratio: samples ${+sim.headTailSampleRatio.toPrecision(4)}, Siamese positive pairs ${+sim.headTailSiamesePairRatio.toPrecision(4)}`,
  ];
}

export function simulationReport(pf: PairFrequency, sim: BatchSimulation, classCounts: ArrayLike<number>): Report {
  const summary = simulationSummary(pf, sim);
  return {
    title: 'The dual class imbalance of supervised contrastive learning',
    sections: [
      {
        heading: 'Pair frequency (analytic)',
        text: `A positive pair needs two samples of one class, so pairs of classes (i, j) occur in proportion to r_i r_j with r_i = IF^(-(i-1)/(C-1)): the pair frequencies span IF^2 where the classes span IF (paper Sec. 3.1).\n\n${summary[0]}`,
        figure: pairFrequencyHeatmap(pf),
      },
      {
        heading: 'Training images per class',
        figure: classCountsBar({ counts: classCounts, title: 'Class counts used by the Monte Carlo' }),
      },
      {
        heading: 'Monte Carlo batches',
        text: `Batches drawn as multinomial(B, pi) and duplicated into two views; ordered positive pairs counted as n(n-1) per batch and 2n(2n-1) per Siamese batch. Expected values (exp.) are exact binomial expectations.\n\n${summary[1]}\n\n${summary[2]}`,
        figure: batchSimulationFigure(sim),
        table: simulationRows(sim, classCounts),
      },
    ],
  };
}
