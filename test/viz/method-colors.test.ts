import test from 'ava';
import { METHOD_NAMES } from '../../src/losses/methods';
import { methodComparisonFigure } from '../../src/train/demo-report';
import type { EvaluationResult } from '../../src/eval';
import {
  confusionLabelMargin,
  confusionMatrixFigure,
  METHOD_PALETTE,
  methodColor,
  seedPointsFigure,
} from '../../src/viz';

test('every method has its own colour, from the one palette', (t) => {
  const colours = METHOD_NAMES.map((m) => methodColor(m));
  t.is(new Set(colours).size, METHOD_NAMES.length);
  for (const c of colours) t.true((METHOD_PALETTE as readonly string[]).includes(c));
  t.is(methodColor('not-a-method'), methodColor('not-a-method'));
});

test('the ablation bar chart gives each of five methods a different colour', (t) => {
  const result = { top1: 0.5, groups: null } as unknown as EvaluationResult;
  const methods = ['rescom', 'rescom-no-sbs', 'rescom-no-cbweights', 'rescom-no-queue', 'rescom-no-mining'];
  const fig = methodComparisonFigure(methods.map((method) => ({ method, result, seconds: 1 })) as never);
  const colours = fig.data.map((d) => (d.marker as { color: string }).color);
  t.is(new Set(colours).size, 5);
  t.deepEqual(colours, methods.map(methodColor));
});

test('the confusion matrix leaves room for its longest class name', (t) => {
  const names = ['T-shirt/top', 'trouser', 'ankle boot'];
  const fig = confusionMatrixFigure({
    counts: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    classNames: names,
  });
  const margin = (fig.layout.margin as { l: number }).l;
  t.is(margin, confusionLabelMargin(names));
  t.true(margin >= 7 * 'T-shirt/top'.length + 40, String(margin));
  t.is(confusionLabelMargin(['0', '1']), 60);
  t.true((fig.layout.yaxis as { automargin: boolean }).automargin);
});

test('seedPointsFigure: one dot per seed and the mean per method, in the method colour', (t) => {
  const runs = [
    { method: 'balsfx', seed: 0, top1: 0.8, few: 0.5 },
    { method: 'rescom', seed: 1, top1: 0.84, few: null },
    { method: 'rescom', seed: 0, top1: 0.82, few: 0.6 },
  ];
  const fig = seedPointsFigure(runs, { methods: ['rescom', 'balsfx', 'ce'] });
  t.deepEqual(
    fig.data.map((d) => d.name),
    ['rescom', 'rescom mean', 'balsfx', 'balsfx mean'],
  );
  t.deepEqual(fig.data[0].y, [82, 84]);
  t.deepEqual(fig.data[0].text, ['seed 0', 'seed 1']);
  t.true(Math.abs((fig.data[1].y as number[])[0] - 83) < 1e-9);
  t.is((fig.data[2].marker as { color: string }).color, methodColor('balsfx'));
  const few = seedPointsFigure(runs, { metric: 'few' });
  t.deepEqual(few.data[2].y, [60]);
  t.throws(() => seedPointsFigure(runs, { metric: 'many' as never }), { message: /metric must be/ });
});

test('seedPointsFigure: a gap of 0.15 points is not stretched over the whole axis (at least 2 points shown)', (t) => {
  const fig = seedPointsFigure([
    { method: 'balsfx', seed: 0, top1: 0.8641, few: null },
    { method: 'rescom', seed: 0, top1: 0.8656, few: null },
  ]);
  const [lo, hi] = (fig.layout.yaxis as { range: [number, number] }).range;
  t.true(hi - lo >= 2, `${lo}..${hi}`);
  t.true(lo < 86.41 && hi > 86.56);
  const wide = seedPointsFigure([
    { method: 'ce', seed: 0, top1: 0.7, few: null },
    { method: 'rescom', seed: 0, top1: 0.86, few: null },
  ]);
  const [a, b] = (wide.layout.yaxis as { range: [number, number] }).range;
  t.true(a < 70 && b > 86 && b - a < 20, `${a}..${b}`);
});
