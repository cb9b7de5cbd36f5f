/**
 * Hidden tests: what `rescom grade` scores. The `check` cells a student sees are feedback only (the
 * student's own process runs them, so a patched `console.log` or library function could fake them);
 * points come from the hidden cases below, generated fresh for every grading with a random seed and
 * answered by the library in the grader's own process, while the student's solution functions run in
 * a separate, fresh Node process that only ever sees the inputs (src/notebook/hidden-run.ts).
 *
 * ## Adding hidden tests for a new exercise (chapter authors)
 *
 * 1. In the solution chapter, tag the code cell `solution` and write its answer as a function
 *    declaration (`function fooByHand(...) { // BEGIN SOLUTION ... // END SOLUTION }`), with a stable
 *    cell id (e.g. `exercise-foo`). Solution cells are evaluated on their own in the fresh process, in
 *    notebook order, with `rc` (the library), `tf` and the notebook helpers as globals: a solution may
 *    call functions from earlier solution cells, but not variables from other cells. If it needs
 *    some (a dataset, a config), put the code that makes them in the suite's `prelude`.
 * 2. Add (or extend) `src/notebook/hidden/NN-name.ts` exporting a `HiddenSuite` whose `notebook` is
 *    the solution file's name without `.ipynb`, with one `HiddenExercise` per solution code cell:
 *    `cell` (its id), `functions` (the names it declares), `points`, and `cases(rng)` returning
 *    cases whose `call` is a JavaScript expression over `args` (e.g. `'fooByHand(args.x, args.k)'`)
 *    and whose `expected` is computed HERE with the library's reference implementation. Draw every
 *    input from `rng` (never reuse the visible check's inputs, so hard-coding them earns nothing) and
 *    include the edge cases the chapter warns about (large logits, beta near 1, classes absent from
 *    the batch, Q_p = K, ...). Round inputs that go through float32 tensors with `Math.fround`.
 * 3. List the suite in `src/notebook/hidden/index.ts`. The test `test/notebook/hidden-suites.test.ts`
 *    fails while a solution cell has no hidden exercise, and checks that the solution scores full
 *    marks and the untouched exercise zero.
 */
import type { Rng } from '../util/rng';

/** JSON data: what travels to the student's process and back. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How an answer is compared with `expected`. */
export interface Tolerance {
  /** Numbers: pass when |a - e| <= atol + rtol * |e| elementwise. Defaults 1e-6 and 1e-5. */
  atol?: number;
  rtol?: number;
  /** Compare exactly (integers, labels, strings). Default false. */
  exact?: boolean;
}

export interface HiddenCase {
  /** What the case tests, shown in the feedback (e.g. 'large logits (|z| up to 1000)'). */
  label: string;
  /** A JavaScript expression evaluated in the student's process with `args` in scope. */
  call: string;
  /** The inputs (JSON). */
  args: JsonValue;
  /** The library's answer, computed in the grader's process. */
  expected: JsonValue;
  tolerance?: Tolerance;
  /**
   * An edge case (prior 0, IF 1, one class, ...): a constant or half-written answer can pass it, so
   * it earns its share only when the answer also passes at least one ordinary case.
   */
  edge?: boolean;
}

export interface HiddenExercise {
  /** Id of the `solution` cell in the solution notebook (the exercise version keeps it). */
  cell: string;
  /** Short title for the gradebook column and the feedback. */
  title: string;
  /** Points for passing every case; a share of them for a share of the cases. */
  points: number;
  /** Names the cell declares; used to find the student's code when the cell id was changed. */
  functions: string[];
  /**
   * Library functions the answer must not call (`traps.ts` patterns: 'losses.logPrior', 'losses.*'):
   * trapped in the hidden-test process; a call scores 0 for the exercise with a note saying why.
   * Name every library function that computes the answer, not only the obvious one.
   */
  forbidden?: string[];
  /** Fresh cases for one grading; must draw all randomness from `rng`. */
  cases(rng: Rng): HiddenCase[];
}

export interface HiddenSuite {
  /** The solution notebook's file name without `.ipynb`, e.g. '03-balanced-softmax'. */
  notebook: string;
  exercises: HiddenExercise[];
  /** JavaScript run in the student's process before the solution cells (defines globals they need). */
  prelude?: string;
}

/** Round to float32 (inputs that the reference sends through float32 tensors). */
export function f32(x: number): number {
  return Math.fround(x);
}

/** `n` numbers uniform in [low, high), rounded to float32. */
export function uniformRow(rng: Rng, n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, () => f32(rng.uniform(low, high)));
}

/** Integer in [low, high]. */
export function intBetween(rng: Rng, low: number, high: number): number {
  return low + rng.int(high - low + 1);
}

/**
 * Compare an answer with the expected value; returns null when it passes, else the reason.
 * Numbers (also NaN/Infinity sent as strings) and nested arrays; exact mode compares JSON.
 */
export function compareAnswer(
  actual: JsonValue | undefined,
  expected: JsonValue,
  tolerance: Tolerance = {},
): string | null {
  if (actual === undefined) return 'returned nothing';
  if (tolerance.exact) {
    return JSON.stringify(actual) === JSON.stringify(expected)
      ? null
      : `expected ${short(expected)}; got ${short(actual)}`;
  }
  const atol = tolerance.atol ?? 1e-6;
  const rtol = tolerance.rtol ?? 1e-5;
  const a = flattenNumbers(actual);
  const e = flattenNumbers(expected);
  if (a === null) return `expected numbers; got ${short(actual)}`;
  if (e === null)
    throw new Error(`compareAnswer: expected must be numbers or nested arrays of numbers; got ${short(expected)}`);
  if (a.length !== e.length) return `expected ${e.length} number(s); got ${a.length}`;
  for (let i = 0; i < e.length; i++) {
    // NaN matches NaN and an infinity the same infinity (e.g. 'undefined for fewer than two stamps').
    if (Number.isNaN(e[i]) && Number.isNaN(a[i])) continue;
    if (!Number.isFinite(e[i]) && a[i] === e[i]) continue;
    if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
      return `${e.length === 1 ? 'value' : `element ${i}`} is ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`;
    }
  }
  return null;
}

function flattenNumbers(value: JsonValue): number[] | null {
  if (typeof value === 'number') return [value];
  if (value === 'NaN') return [NaN];
  if (value === 'Infinity') return [Infinity];
  if (value === '-Infinity') return [-Infinity];
  if (!Array.isArray(value)) return null;
  const out: number[] = [];
  for (const item of value) {
    const inner = flattenNumbers(item);
    if (inner === null) return null;
    out.push(...inner);
  }
  return out;
}

function short(value: JsonValue): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
