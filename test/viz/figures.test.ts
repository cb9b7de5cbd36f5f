import test from 'ava';
import {
  pairFrequency,
  simulateBatches,
  type GradientDecoupling,
  type Embedding,
  type PositiveSimilarity,
} from '../../src/analysis';
import { evaluateClassifier, expectedCalibrationError } from '../../src/eval';
import { Rng } from '../../src/util/rng';
import {
  batchSimulationFigure,
  seedsNeededFigure,
  classCountsBar,
  confusionMatrixFigure,
  embeddingScatterFigure,
  gradientCurvesFigure,
  pairFrequencyHeatmap,
  perClassAccuracyBar,
  reliabilityDiagram,
  similarityDensityFigure,
} from '../../src/viz';

const titleOf = (fig: { layout: Record<string, unknown> }) => (fig.layout.title as { text: string }).text;

test('heat map figure carries the r_i r_j matrix and the below-threshold count', (t) => {
  const pf = pairFrequency({ numClasses: 10, imbalanceFactor: 10 });
  const fig = pairFrequencyHeatmap(pf);
  t.is(fig.data[0].type, 'heatmap');
  t.deepEqual(fig.data[0].z, pf.matrix);
  t.regex(titleOf(fig), /45 of 100 cells below 0\.1/);
  t.notThrows(() => JSON.stringify(fig));
});

test('class-count bars switch to a log axis for a large spread', (t) => {
  t.is((classCountsBar({ counts: [5000, 50] }).layout.yaxis as { type: string }).type, 'log');
  t.is((classCountsBar({ counts: [10, 8] }).layout.yaxis as { type: string }).type, 'linear');
  t.deepEqual(classCountsBar({ counts: [3, 1], classNames: ['a', 'b'] }).data[0].x, ['a', 'b']);
});

test('batch-simulation figure has images, pairs and absence per class', (t) => {
  const sim = simulateBatches({ classCounts: [10, 1], batchSize: 8, numBatches: 50, rng: new Rng(1) });
  const fig = batchSimulationFigure(sim);
  t.is(fig.data.length, 4);
  t.deepEqual(
    fig.data[2].y,
    sim.classes.map((c) => c.meanSiamesePairs),
  );
});

test('per-class accuracy bars: one trace per shot group, no bar for an untested class, named in the title', (t) => {
  const r = evaluateClassifier({
    scores: [
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ],
    labels: [0, 1, 1],
    numClasses: 3,
    trainCounts: [500, 50, 5],
    grouping: 'count',
  });
  const fig = perClassAccuracyBar(r);
  t.deepEqual(
    fig.data.map((d) => d.name),
    ['many (100.0%)', 'medium (50.0%)', 'few (n/a)'],
  );
  t.deepEqual(fig.data[1].y, [50]);
  t.deepEqual(fig.data[2].y, [null]);
  t.regex(titleOf(fig), /no test images: 2/);
});

test('confusion matrix figure normalises rows; an empty row stays empty', (t) => {
  const fig = confusionMatrixFigure({
    counts: [
      [3, 1],
      [0, 0],
    ],
  });
  t.deepEqual(fig.data[0].z, [
    [0.75, 0.25],
    [null, null],
  ]);
  t.deepEqual(
    confusionMatrixFigure({
      counts: [
        [3, 1],
        [0, 0],
      ],
      normalize: false,
    }).data[0].z,
    [
      [3, 1],
      [0, 0],
    ],
  );
});

test('reliability diagram: accuracy bars, confidence markers and the diagonal', (t) => {
  const cal = expectedCalibrationError({
    scores: [
      [0.9, 0.1],
      [0.3, 0.7],
    ],
    labels: [0, 0],
    numClasses: 2,
    probabilities: true,
    numBins: 5,
  });
  const fig = reliabilityDiagram(cal);
  t.deepEqual(
    fig.data[0].y,
    cal.bins.map((b) => b.accuracy),
  );
  t.deepEqual(fig.data[2].x, [0, 1]);
  t.regex(titleOf(fig), /ECE/);
});

test('similarity densities skip empty groups; gradient curves scale by 1e3; embedding has train and test traces', (t) => {
  const sim: PositiveSimilarity = {
    grouping: 'count',
    similarities: { many: [0.5, 0.7], medium: [], few: [0.9] },
    classMean: [],
  };
  const dens = similarityDensityFigure(sim, { bins: 4 });
  t.is(dens.data.length, 2);
  t.regex(String(dens.data[0].name), /many \(mean 0\.600, 2 pairs\)/);
  const all = [...sim.similarities.many, ...sim.similarities.medium, ...sim.similarities.few];
  const [lo, hi] = (dens.layout.xaxis as { range: [number, number] }).range;
  t.true(
    lo <= Math.min(...all) && hi >= Math.max(...all) && hi - lo <= Math.max(...all) - Math.min(...all) + 0.1,
    `x range ${lo}..${hi} spans the data to 0.05`,
  );

  const g: GradientDecoupling = {
    positives: { rank: [1, 2], meanAbsGradient: [0.001, 0.004], anchors: [2, 1] },
    negatives: { rank: [1], meanAbsGradient: [0.002], anchors: [2] },
    threshold: 0.001,
    shareBelowThreshold: { positives: 0.5, negatives: 0 },
    pairCounts: { positives: 3, negatives: 2 },
  };
  const gfig = gradientCurvesFigure(g);
  t.deepEqual(gfig.data[0].y, [1, 4]);
  t.regex(titleOf(gfig), /50\.0% of positives, 0\.0% of negatives/);

  const e: Embedding = {
    method: 'umap',
    train: { x: [0, 1, 2], y: [0, 1, 2], labels: [0, 1, 0] },
    test: { x: [5], y: [5], labels: [1] },
  };
  const efig = embeddingScatterFigure(e, { classNames: ['cat', 'dog'] });
  t.deepEqual(
    efig.data.map((d) => [d.name, d.showlegend, d.legendgroup]),
    [
      ['cat', true, '0'],
      ['dog', true, '1'],
      ['dog', false, '1'],
    ],
    'one legend entry per class; the test crosses share it',
  );
  // A class with test points only still gets its legend entry.
  const onlyTest = embeddingScatterFigure(
    { ...e, test: { x: [5, 6], y: [5, 6], labels: [1, 2] } },
    { classNames: ['cat', 'dog', 'eel'] },
  );
  t.deepEqual(
    onlyTest.data.filter((d) => d.showlegend).map((d) => d.name),
    ['cat', 'dog', 'eel'],
  );
  t.deepEqual(efig.data[0].x, [0, 2]);
});

test('seedsNeededFigure: one curve per sd with the closed-form seed counts, markers at 0.5 and 1.0 point, the seeds run', (t) => {
  const fig = seedsNeededFigure(
    [
      { label: 'sd 0.6', sd: 0.6 },
      { label: 'sd 0.3', sd: 0.3 },
    ],
    { seedsRun: 10 },
  );
  const [curve, markers, , , run] = fig.data as unknown as Array<{
    x: number[];
    y: number[];
    text?: string[];
    name?: string;
  }>;
  t.is(fig.data.length, 5);
  // sd 0.6 points: 0.5 points need 14 seeds, 1.0 point 6 (cf. seedsToResolve's tests).
  t.deepEqual(markers.y, [14, 6]);
  t.deepEqual(markers.text, ['14', '6']);
  t.is(curve.y[curve.x.findIndex((x) => Math.abs(x - 1) < 1e-9)], 6);
  for (let i = 1; i < curve.y.length; i++)
    t.true(curve.y[i] <= curve.y[i - 1], 'a larger difference never needs more seeds');
  t.deepEqual(run.y, [10, 10]);
  t.is((fig.layout.yaxis as { type: string }).type, 'log');
  t.throws(() => seedsNeededFigure([]), { message: /curves must hold at least one/ });
  t.throws(() => seedsNeededFigure([{ label: 'x', sd: 0 }]), { message: /curve 'x' needs an sd > 0/ });
});
