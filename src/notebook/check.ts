/**
 * Checks a student runs inside an exercise notebook. Each check prints exactly one line,
 * `CHECK PASS: <name>` or `CHECK FAIL: <name> -- <reason>`, which `rescom grade` reads back from the
 * executed notebook as feedback; the notebook itself stays readable (a pass/fail line under the cell).
 * Points come from hidden tests instead (hidden-tests.ts): these lines are printed by the student's
 * own process, which the student controls.
 */

/** The line format shared by `check` (writer) and the grader (reader). */
export const CHECK_LINE = /^CHECK (PASS|FAIL): (.+?)(?: -- (.*))?$/;

export interface CheckOutcome {
  name: string;
  passed: boolean;
  /** Why it failed (the thrown error's message, or 'returned false'); null on a pass. */
  reason: string | null;
}

/**
 * Run one check in a notebook and print its line. Returns nothing, so that tslab shows only the
 * line under the cell (`runCheck` returns the outcome). Always awaited (`await check(...)`): tslab
 * swallows un-awaited rejections.
 */
export async function check(
  name: string,
  test: () => unknown,
  options: { print?: (line: string) => void } = {},
): Promise<void> {
  await runCheck(name, test, options);
}

/**
 * Run one check. `test` passes when it returns (or resolves to) anything but `false` without
 * throwing; a thrown error's message becomes the reason.
 *
 * @param name   short, unique within the notebook; shown in the grade report.
 * @param test   the assertion, e.g. `() => assertClose(mine, library, { atol: 1e-6 })`.
 * @param options.print where the line goes (default `console.log`).
 */
export async function runCheck(
  name: string,
  test: () => unknown,
  options: { print?: (line: string) => void } = {},
): Promise<CheckOutcome> {
  if (typeof name !== 'string' || name.trim() === '' || /[\r\n]/.test(name) || name.includes(' -- ')) {
    throw new Error(`runCheck: name must be a one-line non-empty string without ' -- '; got ${JSON.stringify(name)}`);
  }
  if (typeof test !== 'function') throw new Error(`runCheck: test must be a function; got ${typeof test}`);
  const print = options.print ?? ((line: string) => console.log(line));
  let outcome: CheckOutcome;
  try {
    const result = await test();
    outcome =
      result === false ? { name, passed: false, reason: 'returned false' } : { name, passed: true, reason: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = { name, passed: false, reason: message.split('\n')[0] || 'threw' };
  }
  print(outcome.passed ? `CHECK PASS: ${name}` : `CHECK FAIL: ${name} -- ${outcome.reason}`);
  return outcome;
}

/** Tolerances for `assertClose`: passes when |a - b| <= atol + rtol * |b| elementwise. */
export interface CloseOptions {
  /** Absolute tolerance; default 1e-6. */
  atol?: number;
  /** Relative tolerance; default 1e-5. */
  rtol?: number;
  /** Names the compared quantity in the failure message; default 'value'. */
  what?: string;
}

type Nested = number | Nested[] | ArrayLike<number>;

/**
 * Throw unless `actual` and `expected` (numbers or nested arrays / typed arrays of equal shape) agree
 * within tolerance; the message names the first differing index and both values.
 */
export function assertClose(actual: Nested, expected: Nested, options: CloseOptions = {}): void {
  const { atol = 1e-6, rtol = 1e-5, what = 'value' } = options;
  const a = flatten(actual, `${what} (actual)`);
  const b = flatten(expected, `${what} (expected)`);
  if (a.length !== b.length) throw new Error(`${what}: expected ${b.length} numbers; got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) {
      throw new Error(`${what}: element ${i} is ${a[i]}, expected ${b[i]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

function flatten(value: Nested, what: string): number[] {
  if (typeof value === 'number') return [value];
  if (value === null || value === undefined || typeof value !== 'object') {
    throw new Error(`${what}: expected a number or an array of numbers; got ${value === null ? 'null' : typeof value}`);
  }
  const out: number[] = [];
  for (const item of Array.from(value as ArrayLike<Nested>)) out.push(...flatten(item, what));
  return out;
}
