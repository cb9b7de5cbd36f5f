/**
 * Input checks shared by the evaluation functions. Each error names the function, the argument,
 * what was expected and what came, following the house style.
 */

/** Throw the house-style error. */
export function invalid(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${fn}: ${arg} must be ${expected}; got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return `${value.constructor.name} of length ${(value as ArrayLike<unknown>).length}`;
  }
  return typeof value;
}

/** A positive integer, e.g. a class count. */
export function checkPositiveInt(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) invalid(fn, arg, 'a positive integer', value);
  return value;
}

/** Integer labels in 0..numClasses-1. */
export function checkLabels(fn: string, arg: string, labels: ArrayLike<number>, numClasses: number): void {
  if (!labels || typeof labels.length !== 'number') invalid(fn, arg, 'an array of class indices', labels);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      invalid(fn, `${arg}[${i}]`, `an integer class index in 0..${numClasses - 1}`, y);
    }
  }
}

/** Same length for two parallel arrays. */
export function checkSameLength(
  fn: string,
  argA: string,
  a: ArrayLike<unknown>,
  argB: string,
  b: ArrayLike<unknown>,
): void {
  if (a.length !== b.length) {
    throw new Error(`${fn}: ${argA} and ${argB} must have the same length; got ${a.length} and ${b.length}`);
  }
}
