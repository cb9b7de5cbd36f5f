// One test per wrong formula a student is likely to write: each is the solution with one edit
// (unfloored counts, 1 - p*B, one view instead of two, a missing normalisation, ...). Its hidden
// cases, for three grading seeds, must fail the case named to catch it, and the exercise must
// lose points; constant answers must earn nothing (edge cases alone score 0). Needs the compiled
// library (npm test builds it first).
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasTag, readNotebook, SOLUTION_TAG, sourceText } from '../../src/notebook';
import { HIDDEN_SUITES, hiddenSuiteFor } from '../../src/notebook/hidden';
import { REPO_DIR, runHiddenCases } from '../../src/notebook/hidden-run';
import type { HiddenCase, JsonValue } from '../../src/notebook/hidden-tests';
import { scoreCases } from '../../src/notebook/score';
import { Rng } from '../../src/util/rng';
import { TRUSTED as trusted } from './sandbox-support';

interface WrongFormula {
  chapter: string;
  cell: string;
  name: string;
  /** Text of the solution cell replaced ... */
  from: string | RegExp;
  /** ... by this. */
  to: string;
  /** The label of the hidden case that must fail it. */
  catches: string;
}

const W = (chapter: string, cell: string, name: string, from: string | RegExp, to: string, catches: string) => ({
  chapter,
  cell,
  name,
  from,
  to,
  catches,
});

const WRONG: WrongFormula[] = [
  W('01-class-imbalance', 'ex-counts', 'unfloored counts', 'Math.floor(', '(', '10 classes, IF 100'),
  W('01-class-imbalance', 'ex-counts', 'rounded counts', 'Math.floor(', 'Math.round(', '100 classes, IF 256'),
  W('01-class-imbalance', 'ex-counts', 'ceiling', 'Math.floor(', 'Math.ceil(', '10 classes, IF 100'),
  W('01-class-imbalance', 'ex-counts', 'exponent c / C', '(numClasses - 1)', 'numClasses', 'two classes'),
  W(
    '01-class-imbalance',
    'ex-counts',
    'head and tail swapped',
    '(-c /',
    '(-(numClasses - 1 - c) /',
    'IF 10, 7 classes',
  ),
  W(
    '01-class-imbalance',
    'ex-absent',
    '1 - p*B',
    '(1 - prior) ** batchSize',
    '1 - prior * batchSize',
    'tiny prior, batch 1024',
  ),
  W(
    '01-class-imbalance',
    'ex-absent',
    '1 - p^B',
    '(1 - prior) ** batchSize',
    '1 - prior ** batchSize',
    'head class, batch 8',
  ),
  W(
    '01-class-imbalance',
    'ex-absent',
    'B - 1 draws',
    '(1 - prior) ** batchSize',
    '(1 - prior) ** (batchSize - 1)',
    'tail class, batch 128',
  ),
  W(
    '01-class-imbalance',
    'ex-absent',
    'Poisson approximation e^(-pB)',
    '(1 - prior) ** batchSize',
    'Math.exp(-prior * batchSize)',
    'tail class, batch 128',
  ),
  W(
    '02-datasets-two-views',
    'ex-stack',
    'one view instead of two',
    '[...view1Labels, ...view1Labels]',
    '[...view1Labels]',
    'batch of 16',
  ),
  W(
    '02-datasets-two-views',
    'ex-stack',
    'views interleaved',
    '[...view1Labels, ...view1Labels]',
    'view1Labels.flatMap((y) => [y, y])',
    'batch of 16',
  ),
  W(
    '02-datasets-two-views',
    'ex-flip',
    'channels reversed with the pixels',
    '+ c] = image.data',
    '+ c] = image.data.length ? image.data',
    'RGB, 3 channels',
  ),
  W(
    '02-datasets-two-views',
    'ex-flip',
    'vertical flip',
    '(y * width + (width - 1 - x))',
    '((height - 1 - y) * width + x)',
    '28x28 grey',
  ),
  W(
    '03-balanced-softmax',
    'exercise-log-prior',
    'missing normalisation (log n_c)',
    'n / total + 1e-9',
    'n + 1e-9',
    '10 classes, IF 100',
  ),
  W('03-balanced-softmax', 'exercise-log-prior', 'log10 instead of ln', 'Math.log(', 'Math.log10(', '3 classes'),
  W(
    '03-balanced-softmax',
    'exercise-log-prior',
    'no 1e-9 (an empty class gives -Infinity)',
    ' + 1e-9',
    '',
    'a class with no images',
  ),
  W(
    '03-balanced-softmax',
    'exercise-log-prior',
    'normalised by the largest count',
    'counts.reduce((a, b) => a + b, 0)',
    'Math.max(...counts)',
    '3 classes',
  ),
  W(
    '03-balanced-softmax',
    'exercise-balanced-softmax',
    'prior subtracted',
    'z + prior[c]',
    'z - prior[c]',
    '10 classes, 32 rows',
  ),
  W(
    '03-balanced-softmax',
    'exercise-balanced-softmax',
    'sum over rows, not the mean',
    'total / logits.length',
    'total',
    '10 classes, 32 rows',
  ),
  W(
    '03-balanced-softmax',
    'exercise-balanced-softmax',
    'no prior (plain cross-entropy)',
    'z + prior[c]',
    'z',
    'small logits, 5 classes',
  ),
  W(
    '03-balanced-softmax',
    'exercise-balanced-softmax',
    'naive log-sum-exp (overflows)',
    'max + Math.log(adjusted.reduce((s, a) => s + Math.exp(a - max), 0))',
    'Math.log(adjusted.reduce((s, a) => s + Math.exp(a), 0))',
    'large logits (|z| up to 1000)',
  ),
  W(
    '03-balanced-softmax',
    'exercise-prediction',
    'argmax started at 0',
    'row.indexOf(Math.max(...row))',
    'row.indexOf(Math.max(0, ...row))',
    'all logits below -40',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-effective-number',
    'no division by 1 - beta',
    'return (1 - beta ** n) / (1 - beta);',
    'return 1 - beta ** n;',
    'beta 0.99, many samples',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-effective-number',
    'n itself (no effective number)',
    'return (1 - beta ** n) / (1 - beta);',
    'return n;',
    'beta near 1 (0.999999)',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-weights',
    'missing normalisation (1 / E_c)',
    'mean / e',
    '1 / e',
    '10 classes, beta 0.99',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-weights',
    'normalised to sum 1',
    'mean / e',
    '(1 / e) / effective.reduce((s, x) => s + 1 / x, 0)',
    '10 classes, beta 0.99',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-weights',
    'inverse frequency (1 / n_c)',
    'mean / e',
    'mean / counts[effective.indexOf(e)]',
    '10 classes, beta 0.99',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-weighted-loss',
    'divided by the sum of the weights',
    'total / perAnchor.length',
    'total / Array.from(labels, (y) => weights[y]).reduce((a, b) => a + b, 0)',
    '3 classes',
  ),
  W(
    '04-supcon-class-weights',
    'exercise-weighted-loss',
    'unweighted mean',
    'weights[labels[i]] * perAnchor[i]',
    'perAnchor[i]',
    '3 classes',
  ),
  W(
    '05-class-balanced-queue',
    'ex-slots',
    'pointer not wrapped',
    '(next[c] + 1) % K',
    'next[c] + 1',
    'one class more than K times (wraps)',
  ),
  W('05-class-balanced-queue', 'ex-slots', 'slot c + pointer', 'c * K + next[c]', 'c + next[c]', '10 classes, K 5'),
  W(
    '06-gradient-decoupling-mining',
    'ex-mine',
    'easiest positives (descending)',
    'similarities[a] - similarities[b]);\n  const other',
    'similarities[b] - similarities[a]);\n  const other',
    'C 10, K 5, Q_p 1, Q_n 40',
  ),
  W(
    '06-gradient-decoupling-mining',
    'ex-mine',
    'easiest negatives (ascending)',
    '.sort((a, b) => similarities[b] - similarities[a]);\n  const mask',
    '.sort((a, b) => similarities[a] - similarities[b]);\n  const mask',
    'C 10, K 5, Q_p 1, Q_n 40',
  ),
  W(
    '07-full-training',
    'ex-lr',
    'warm-up from 0 (step, not step + 1)',
    '(step + 1)',
    'step',
    'first, last warm-up and last steps',
  ),
  W(
    '07-full-training',
    'ex-lr',
    'cosine down to 0 (minLrFactor ignored)',
    'const lrMin = lr * minLrFactor;',
    'const lrMin = 0;',
    'first, last warm-up and last steps',
  ),
  W(
    '07-full-training',
    'ex-lr',
    'cosine over all steps (warm-up not subtracted)',
    '(step - warmupSteps) / (totalSteps - 1 - warmupSteps)',
    'step / (totalSteps - 1)',
    'warm-up and decay, 12 random steps',
  ),
  W(
    '08-evaluation',
    'ex-ece',
    'bin floor(conf * M)',
    'Math.ceil(c * numBins) - 1',
    'Math.floor(c * numBins)',
    'confidences exactly on a bin edge (8 bins)',
  ),
  W(
    '08-evaluation',
    'ex-ece',
    'bins not weighted by their size',
    '(n / probabilities.length) *',
    '(1 / numBins) *',
    '15 bins, 10 classes',
  ),
  W(
    '09-ablation',
    'ex-spread',
    'population std (n, not n - 1)',
    '/ (values.length - 1)',
    '/ values.length',
    'five seeds of top-1 %',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-sbs',
    'prior subtracted',
    'z + logPrior[c]',
    'z - logPrior[c]',
    '10 classes, 2 x 16 rows',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-sbs',
    'one view instead of two',
    'logits.forEach((row, i) => {',
    'logits.slice(0, logits.length / 2).forEach((row, i) => {',
    '10 classes, 2 x 16 rows',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-mine',
    'no normalisation floor (zero row gives NaN)',
    'Math.max(Math.sqrt(row.reduce((s, v) => s + v * v, 0)), 1e-12)',
    'Math.sqrt(row.reduce((s, v) => s + v * v, 0))',
    'normalizeRows, with a zero row',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-supcon',
    'keys ignored (batch pairs only)',
    'if (keyMask[i][k]) candidates',
    'if (false) candidates',
    'weighted SupCon, C 6, K 4',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-supcon',
    'positive logits summed, not averaged',
    'positives.reduce((s, c) => s + c.u, 0) / positives.length',
    'positives.reduce((s, c) => s + c.u, 0)',
    'weighted SupCon, Q_p = K',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-supcon',
    'temperature ignored',
    'u: dot(anchor, other) / tau',
    'u: dot(anchor, other)',
    'weighted SupCon, C 6, K 4',
  ),
  W(
    '10-rescom-step-by-hand',
    'ex-enqueue',
    'both views enqueued',
    'i < z.length / 2',
    'i < z.length',
    'enqueue, C 10, K 5',
  ),
  W(
    '11-training-on-a-gpu',
    'ex-throughput',
    'n steps, not n - 1',
    '(stepTimesMs.length - 1) * batchSize',
    'stepTimesMs.length * batchSize',
    '20 steps, two views',
  ),
  W(
    '11-training-on-a-gpu',
    'ex-throughput',
    'one view counted',
    'batchSize * views) / seconds',
    'batchSize) / seconds',
    '20 steps, two views',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'one view in the classifier loss',
    'tf.mean(tf.sub(tf.logSumExp(adjusted, 1), tf.sum(tf.mul(adjusted, oneHot), 1)))',
    'tf.mean(tf.slice(tf.sub(tf.logSumExp(adjusted, 1), tf.sum(tf.mul(adjusted, oneHot), 1)), 0, rows / 2))',
    'C 10, K 5, Q_p 1, Q_n 20, beta 0.999',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'projections not normalised',
    'const features = tf.div(projections, norms);',
    'const features = projections;',
    'C 10, K 5, Q_p 1, Q_n 20, beta 0.999',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'queue keys left out of the contrast',
    'm && keyLabels[k] === y ? 1 : 0',
    '0',
    'Q_p = K',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'no class weights',
    'labels.map((y) => meanEffective / effective[y])',
    'labels.map(() => 1)',
    'beta near 1 (0.999999)',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'lambda left out',
    'tf.add(cls, tf.mul(con, conWeight))',
    'tf.add(cls, con)',
    'C 10, K 5, Q_p 1, Q_n 20, beta 0.999',
  ),
  W(
    '12-capstone-rescom-step',
    'capstone-step',
    'easiest positives mined',
    '.sort((a, b) => sims[a] - sims[b]);',
    '.sort((a, b) => sims[b] - sims[a]);',
    'C 10, K 5, Q_p 1, Q_n 20, beta 0.999',
  ),
];

const notebooks = path.join(REPO_DIR, 'notebooks');
const solutions = new Map<string, ReturnType<typeof readNotebook>>();
function solution(chapter: string) {
  const folder = fs.existsSync(path.join(notebooks, `${chapter}.ipynb`))
    ? notebooks
    : path.join(REPO_DIR, 'assignments');
  if (!solutions.has(chapter)) solutions.set(chapter, readNotebook(path.join(folder, `${chapter}.ipynb`)));
  return solutions.get(chapter)!;
}

/** The exercise's cases for three grading seeds. */
function casesFor(chapter: string, cell: string): HiddenCase[] {
  const suite = hiddenSuiteFor(chapter)!;
  const index = suite.exercises.findIndex((e) => e.cell === cell);
  return [11, 12, 13].flatMap((seed) => {
    const rng = new Rng(seed);
    // The grader forks one stream per exercise, in order.
    const streams = suite.exercises.map(() => rng.fork());
    return suite.exercises[index].cases(streams[index]);
  });
}

/** Run `source` as the cell (with the solution's earlier cells) on the cases; the exercise's score. */
async function grade(chapter: string, cell: string, source: string) {
  const suite = hiddenSuiteFor(chapter)!;
  const exercise = suite.exercises.find((e) => e.cell === cell)!;
  const cells = solution(chapter)
    .cells.filter((c) => c.cell_type === 'code' && hasTag(c, SOLUTION_TAG))
    .map((c) => ({ id: c.id, source: c.id === cell ? source : sourceText(c) }));
  const upTo = cells.findIndex((c) => c.id === cell);
  const cases = casesFor(chapter, cell);
  const run = await runHiddenCases({
    cells: cells.slice(0, upTo + 1),
    calls: cases.map((c) => ({ call: c.call, args: c.args })),
    forbidden: exercise.forbidden,
    timeLimitS: 60,
    trusted,
  });
  return {
    ...scoreCases({ cases, answers: run.answers, points: exercise.points, error: run.error }),
    points: exercise.points,
    error: run.error,
  };
}

for (const wrong of WRONG) {
  test(`${wrong.chapter} ${wrong.cell}: "${wrong.name}" fails '${wrong.catches}' and loses points`, async (t) => {
    // Without the BEGIN/END SOLUTION lines, whose hints may repeat the code.
    const original = sourceText(solution(wrong.chapter).cells.find((c) => c.id === wrong.cell)!)
      .split('\n')
      .filter((line) => !/\/\/\s*(BEGIN|END) SOLUTION/.test(line))
      .join('\n');
    const source = original.replace(wrong.from, wrong.to);
    t.not(source, original, 'the edit applies to the solution');
    const score = await grade(wrong.chapter, wrong.cell, source);
    t.is(score.error, null);
    const caught = score.cases.filter((c) => c.label === wrong.catches);
    t.true(caught.length > 0, `a case labelled '${wrong.catches}' exists`);
    t.true(
      caught.every((c) => !c.passed),
      `'${wrong.catches}' fails for every seed: ${caught.map((c) => c.reason).join(' | ')}`,
    );
    t.true(score.earned < score.points, `${score.earned} of ${score.points}`);
  });
}

/** `expected` with every number replaced by `k` (the strongest constant answer: the right shape). */
function constantLike(expected: JsonValue, k: number): JsonValue {
  if (typeof expected === 'number' || expected === 'NaN' || expected === 'Infinity' || expected === '-Infinity')
    return k;
  if (Array.isArray(expected)) return expected.map((x) => constantLike(x, k));
  if (expected && typeof expected === 'object')
    return Object.fromEntries(Object.entries(expected).map(([key, x]) => [key, constantLike(x, k)]));
  return expected;
}

for (const suite of HIDDEN_SUITES) {
  test(`${suite.notebook}: constant answers of the right shape earn nothing (edge cases alone score 0)`, (t) => {
    for (const exercise of suite.exercises) {
      const cases = casesFor(suite.notebook, exercise.cell);
      for (const k of [0, 1, -1, 0.5, 2, 42, 100]) {
        const answers = cases.map((c) => ({ value: constantLike(c.expected, k) }));
        const score = scoreCases({ cases, answers, points: exercise.points });
        t.is(score.earned, 0, `${exercise.cell} answering ${k} everywhere`);
      }
    }
  });
}
