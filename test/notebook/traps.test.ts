// Forbidden library calls (src/notebook/traps.ts, HiddenExercise.forbidden): trapped however they
// are reached, a call scores 0 for the exercise with a note, and the ways around the traps that a
// student is likely to try fail. Needs the compiled library (npm test builds it first): the traps
// work on tsc's CommonJS output, where a module holds its functions as plain properties.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Notebook } from '../../src/notebook';
import { writeNotebook } from '../../src/notebook';
import { gradeSubmission, loadReleasedExercise, type ReleasedExercise } from '../../src/notebook/grader';
import { LIBRARY_DIR, REPO_DIR, runHiddenCases } from '../../src/notebook/hidden-run';
import { Rng } from '../../src/util/rng';
import { TRUSTED as trusted } from './sandbox-support';

const notebooks = path.join(REPO_DIR, 'notebooks');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-traps-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('armTraps: the defining module, deep requires and other library functions all reach the trap', (t) => {
  // A fresh copy of the compiled library in this test's own process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rc = require(path.join(LIBRARY_DIR, 'index.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { armTraps, forbiddenNames } = require(path.join(LIBRARY_DIR, 'notebook', 'traps.js'));
  t.throws(() => forbiddenNames(rc, ['nope.x']), { message: /no folder 'nope'/ });
  t.throws(() => forbiddenNames(rc, ['losses.nothing']), { message: /rc\.losses\.nothing is not a library function/ });
  t.throws(() => forbiddenNames(rc, ['losses']), { message: /'folder\.name' or 'folder\.\*'/ });
  t.true(forbiddenNames(rc, ['contrast.*']).includes('contrast.ClassBalancedQueue'));
  const calls: string[] = [];
  const trapped = armTraps({
    library: rc,
    modules: require.cache,
    patterns: ['losses.balancedSoftmaxLoss'],
    onCall: (n: string) => calls.push(n),
  });
  t.deepEqual(trapped, ['rc.losses.balancedSoftmaxLoss']);
  const logits = tf.tensor2d([[1, 2]]);
  const options = { logits, labels: [0], classCounts: [5, 1] };
  t.throws(() => rc.losses.balancedSoftmaxLoss(options), { message: /not allowed in this exercise/ });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const deep = require(path.join(LIBRARY_DIR, 'losses', 'logit-adjusted.js'));
  t.throws(() => deep.balancedSoftmaxLoss(options), { message: /not allowed/ }, 'a deep require is trapped too');
  t.throws(() => rc.losses.classifierLoss('balanced-softmax', options), undefined, 'so is another module calling it');
  t.deepEqual(calls, [
    'rc.losses.balancedSoftmaxLoss',
    'rc.losses.balancedSoftmaxLoss',
    'rc.losses.balancedSoftmaxLoss',
  ]);
  t.notThrows(() => rc.losses.crossEntropyLoss({ logits, labels: [0] }).dispose(), 'what is not forbidden works');
  logits.dispose();
});

const released03 = loadReleasedExercise(path.join(notebooks, '03-balanced-softmax.exercise.ipynb'));
const bsExercise = released03.suite.exercises.find((e) => e.cell === 'exercise-balanced-softmax')!;

/** Run the Balanced Softmax exercise's hidden cases on `source` with its forbidden list. */
function tryAnswer(source: string) {
  const cases = bsExercise.cases(new Rng(3));
  return runHiddenCases({
    cells: [{ id: bsExercise.cell, source }],
    calls: cases.map((c) => ({ call: c.call, args: c.args })),
    forbidden: bsExercise.forbidden,
    timeLimitS: 30,
    trusted,
  });
}

const signature = 'function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number';
const ways: [string, string, RegExp][] = [
  [
    'the forbidden function itself',
    `${signature} { return rc.losses.balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]; }`,
    /rc\.losses\.balancedSoftmaxLoss/,
  ],
  [
    'its Siamese twin on the same rows',
    `${signature} { return rc.losses.siameseBalancedSoftmaxLoss({ logits: tf.tensor2d([...logits, ...logits]), labels: [...labels, ...labels], classCounts: counts }).dataSync()[0]; }`,
    /rc\.losses\.siameseBalancedSoftmaxLoss/,
  ],
  [
    "a deep require of the loss's file",
    `const mod = require('../lib/losses/logit-adjusted.js');\n${signature} { return mod.balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]; }`,
    /rc\.losses\.balancedSoftmaxLoss/,
  ],
  [
    'the trap caught and a fallback returned',
    `${signature} { try { return rc.losses.balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]; } catch { return 0; } }`,
    /rc\.losses\.balancedSoftmaxLoss/,
  ],
];

for (const [name, source, call] of ways) {
  test(`forbidden call is recorded and gets no value: ${name}`, async (t) => {
    const run = await tryAnswer(source);
    t.regex(run.forbiddenCalls.join(' '), call);
    t.false(
      run.answers.some((a) => 'value' in a && a.value !== 0),
      'no answer carries the library value',
    );
  });
}

test('the real module loader and a fresh module system are out of reach', async (t) => {
  const run = await tryAnswer(
    [
      `const loaded: string[] = [];`,
      `try { (process as any).mainModule.require('/work/lib/index.js'); loaded.push('mainModule'); } catch {}`,
      `try { require('module'); loaded.push('module'); } catch {}`,
      `try { require('vm'); loaded.push('vm'); } catch {}`,
      `try { require('fs').readFileSync('/work/lib/losses/logit-adjusted.js'); loaded.push('fs'); } catch {}`,
      `try { delete (require as any).cache['x']; if ((require as any).cache) loaded.push('cache'); } catch {}`,
      `${signature} { return loaded.length; }`,
    ].join('\n'),
  );
  t.deepEqual(
    run.answers.map((a) => ('value' in a ? a.value : a.error)),
    run.answers.map(() => 0),
    'none of them loaded',
  );
  t.deepEqual([...run.refused].sort(), ['fs', 'module', 'vm']);
});

/** Chapter 10 answered entirely with library calls (correct values: the library's own). */
const LIBRARY_ANSWERS: Record<string, string> = {
  'ex-sbs': `function sbsByHand(logits: number[][], labels: number[], counts: number[]): number {
  return tf.tidy(() => rc.losses.siameseBalancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]);
}`,
  'ex-mine': `function normalizeRows(rows: number[][]): number[][] {
  return tf.tidy(() => rc.losses.l2NormalizeRows(tf.tensor2d(rows)).arraySync() as number[][]);
}
function miningMask(z: number[][], labels: number[], keys: number[][], keyLabels: number[], numPositives: number, numNegatives: number): number[][] {
  const numClasses = Math.max(...keyLabels) + 1;
  const perClass = keys.length / numClasses;
  const similarities = z.flatMap((a) => keys.map((k) => a.reduce((s, v, d) => s + v * k[d], 0)));
  const mined = rc.contrast.mineHardPairsFromSimilarities({ numClasses, perClass, numPositives, numNegatives, similarities, labels });
  return z.map((_, i) => Array.from(mined.keyMask.slice(i * keys.length, (i + 1) * keys.length)) as number[]);
}`,
  'ex-supcon': `function classWeights(counts: number[], beta: number): number[] {
  return Array.from(rc.contrast.effectiveNumberWeights({ classCounts: counts, beta }));
}
function weightedSupConWithKeys(z: number[][], labels: number[], keys: number[][], keyLabels: number[], keyMask: number[][], weights: number[], temperature: number): number {
  return tf.tidy(() => rc.losses.supConLoss({ anchors: tf.tensor2d(z), labels, keys: tf.tensor2d(keys), keyLabels,
    keyMask: Float32Array.from(keyMask.flat()), classWeights: weights, temperature }).dataSync()[0]);
}`,
  'ex-enqueue': `function totalLoss(cls: number, con: number, conWeight: number): number { return cls + conWeight * con; }
function enqueueByHand(state: { keys: number[][]; pointers: number[]; perClass: number }, z: number[][], labels: number[]) {
  const numClasses = state.pointers.length;
  const dim = z[0].length;
  const queue = new rc.contrast.ClassBalancedQueue({ numClasses, perClass: state.perClass, dim, rng: new rc.util.Rng(0) });
  queue.restore({ numClasses, perClass: state.perClass, dim, keys: state.keys, pointers: state.pointers });
  const view1 = labels.slice(0, labels.length / 2);
  queue.enqueue({ keys: Float32Array.from(z.slice(0, view1.length).flat()), labels: view1 });
  const out = { keys: queue.keys().arraySync() as number[][], pointers: Array.from(queue.pointers()) };
  queue.dispose();
  return out;
}`,
};

test('chapter 10 answered by calling the library: full marks with nothing forbidden, 0 with the traps', async (t) => {
  const released = loadReleasedExercise(path.join(notebooks, '10-rescom-step-by-hand.exercise.ipynb'));
  const nb: Notebook = JSON.parse(JSON.stringify(released.notebook));
  for (const [id, source] of Object.entries(LIBRARY_ANSWERS)) nb.cells.find((c) => c.id === id)!.source = source;
  const file = path.join(scratch, '10-library.ipynb');
  writeNotebook(file, nb);
  const open: ReleasedExercise = {
    ...released,
    suite: { ...released.suite, exercises: released.suite.exercises.map((e) => ({ ...e, forbidden: [] })) },
  };
  const unguarded = await gradeSubmission({ submission: file, released: open, seed: 4, run: false, trusted });
  t.is(unguarded.earned, unguarded.possible, 'the library calls are right: only the traps can tell');
  const guarded = await gradeSubmission({ submission: file, released, seed: 4, run: false, trusted });
  t.deepEqual(
    guarded.exercises.map((e) => [e.cell, e.earned, e.forbiddenCalls.length > 0]),
    released.suite.exercises.map((e) => [e.cell, 0, true]),
  );
  t.true(
    guarded.notes.some((n) =>
      /called rc\.losses\.siameseBalancedSoftmaxLoss, which this exercise forbids: 0 points/.test(n),
    ),
  );
  t.is(guarded.flags.filter((f) => f.startsWith('forbidden call')).length, 4);
  // The honest solution is not flagged.
  const honest = await gradeSubmission({
    submission: path.join(notebooks, '10-rescom-step-by-hand.ipynb'),
    released,
    seed: 4,
    run: false,
    trusted,
  });
  t.is(honest.earned, honest.possible);
  t.deepEqual(honest.flags, []);
});

test("capstone: an answer built on the library's criterion is trapped", async (t) => {
  const released = loadReleasedExercise(path.join(REPO_DIR, 'assignments', '12-capstone-rescom-step.exercise.ipynb'));
  const [exercise] = released.suite.exercises;
  const cases = exercise.cases(new Rng(5)).slice(0, 2);
  const run = await runHiddenCases({
    cells: [
      {
        id: exercise.cell,
        source: `function rescomStepLoss(logits: any, projections: any, batch: any) {
  const C = batch.classCounts.length;
  const criterion = new rc.losses.ResComCriterion({ method: 'rescom', numClasses: C, classCounts: batch.classCounts,
    projectionDim: batch.keys[0].length, queuePerClass: batch.keys.length / C, selectNumPos: batch.numPositives,
    selectNumNeg: batch.numNegatives, temperature: batch.temperature, conWeight: batch.conWeight,
    effectiveNumBeta: batch.beta, rng: new rc.util.Rng(0) });
  criterion.queue.restore({ numClasses: C, perClass: batch.keys.length / C, dim: batch.keys[0].length, keys: batch.keys, pointers: new Array(C).fill(0) });
  return criterion.loss({ logits, projections, labels: batch.labels }).total;
}`,
      },
    ],
    calls: cases.map((c) => ({ call: c.call, args: c.args })),
    forbidden: exercise.forbidden,
    timeLimitS: 60,
    trusted,
  });
  t.deepEqual(run.forbiddenCalls, ['rc.losses.ResComCriterion']);
  t.true(run.answers.every((a) => 'error' in a && /not allowed in this exercise/.test(a.error)));
});
