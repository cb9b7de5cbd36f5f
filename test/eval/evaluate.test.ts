import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evaluateClassifier,
  groupFrame,
  groupRows,
  perClassFrame,
  rowsToCsv,
  summaryRow,
  writeCsv,
} from '../../src/eval';

// Four classes, class 3 has training images but no test images. Predictions (argmax): 0, 1, 2, 0, 2, 1.
const scores = [
  [3, 0, 0, 0],
  [0, 3, 0, 0],
  [0, 0, 3, 0],
  [3, 0, 0, 1],
  [0, 0, 3, 2],
  [0, 3, 0, 0],
];
const labels = [0, 1, 2, 1, 2, 0];
const trainCounts = [300, 60, 10, 5];

test('evaluateClassifier collects every metric; an untested class is null and left out of the means', (t) => {
  const r = evaluateClassifier({
    scores,
    labels,
    numClasses: 4,
    trainCounts,
    grouping: 'count',
    classNames: ['a', 'b', 'c', 'd'],
  });
  t.is(r.numSamples, 6);
  t.is(r.top1, 4 / 6); // hits: rows 0, 1, 2, 4
  t.is(r.top5, null); // fewer than 5 classes
  // per class: a 1/2, b 1/2, c 2/2, d untested
  t.deepEqual(
    r.perClass.map((p) => p.accuracy),
    [0.5, 0.5, 1, null],
  );
  t.deepEqual(
    r.perClass.map((p) => p.group),
    ['many', 'medium', 'few', 'few'],
  );
  t.is(r.meanClassAccuracy, (0.5 + 0.5 + 1) / 3);
  t.deepEqual(r.classesWithoutTestImages, [3]);
  t.is(r.groups!.grouping, 'count');
  t.is(r.groups!.many.accuracy, 0.5);
  t.is(r.groups!.medium.accuracy, 0.5);
  t.is(r.groups!.few.accuracy, 1);
  t.deepEqual(r.groups!.few.classesWithoutTestImages, [3]);
  t.deepEqual(r.confusion[0], [1, 1, 0, 0]);
  t.deepEqual(r.confusion[3], [0, 0, 0, 0]);
  t.is(
    r.calibration.bins.reduce((a, b) => a + b.count, 0),
    6,
  );
  // The result is plain JSON: it survives a round trip unchanged.
  t.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('evaluateClassifier without trainCounts omits the groups; top-5 appears with 5+ classes', (t) => {
  const r = evaluateClassifier({ scores: [[5, 4, 3, 2, 1, 0]], labels: [5], numClasses: 6 });
  t.is(r.groups, null);
  t.is(r.top1, 0);
  t.is(r.top5, 0); // the label has the smallest score: rank 5
  t.is(evaluateClassifier({ scores: [[5, 4, 3, 2, 1, 0]], labels: [4], numClasses: 6 }).top5, 1);
  t.throws(() => evaluateClassifier({ scores, labels, numClasses: 4, trainCounts: [1, 2] }), {
    message: /evaluateClassifier: trainCounts/,
  });
});

test('DataFrames and CSV export (atomic, nothing left behind)', (t) => {
  const r = evaluateClassifier({ scores, labels, numClasses: 4, trainCounts, grouping: 'rank-thirds' });
  const frame = perClassFrame(r);
  t.deepEqual(frame.shape, [4, 7]);
  t.deepEqual(frame.columns, ['class', 'name', 'trainCount', 'testCount', 'correct', 'accuracy', 'group']);
  t.deepEqual(
    groupRows(r).map((g) => g.grouping),
    ['rank-thirds', 'rank-thirds', 'rank-thirds'],
  );
  t.deepEqual(groupFrame(r).shape, [3, 5]);
  t.is(summaryRow(r).grouping, 'rank-thirds');

  const dir = mkdtempSync(join(tmpdir(), 'rescom-eval-'));
  try {
    const path = join(dir, 'sub', 'per-class.csv');
    writeCsv(perClassFrame(r), path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    t.is(lines[0], 'class,name,trainCount,testCount,correct,accuracy,group');
    t.is(lines.length, 5);
    t.regex(lines[4], /^3,3,5,0,0,,few$/); // untested class: empty accuracy cell
    writeCsv([{ a: 'x,"y"', b: null }], join(dir, 'rows.csv'));
    t.is(readFileSync(join(dir, 'rows.csv'), 'utf8'), 'a,b\n"x,""y""",\n');
    t.deepEqual(readdirSync(dir).sort(), ['rows.csv', 'sub']);
    t.deepEqual(readdirSync(join(dir, 'sub')), ['per-class.csv']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.is(rowsToCsv([]), '');
  t.false(existsSync(join(dir, 'rows.csv')));
});
