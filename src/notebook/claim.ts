/**
 * Claims: every number or comparison a chapter states in its prose is computed in a cell and
 * asserted there with one of these, so the text cannot drift from what runs. Each prints one line,
 * `CLAIM OK: <text> (...)`, and throws when the claim no longer holds, which fails the cell and so
 * `npm run notebooks:run` (CI).
 *
 *   claim('the head class averages about 51.5 images per batch', head.meanImages, 51.5, 0.5);
 *   claimRange('the tail is absent from 55-65% of batches', tail.absentFraction, 0.55, 0.65);
 *   claimTrue('Balanced Softmax beats cross-entropy on Few', bsFew > ceFew, `${bsFew} vs ${ceFew}`);
 */

/** Where the OK line goes (default `console.log`). */
export interface ClaimOptions {
  print?: (line: string) => void;
}

function checkText(fn: string, text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '' || /[\r\n]/.test(text)) {
    throw new Error(`${fn}: text must be a one-line non-empty string; got ${JSON.stringify(text)}`);
  }
  return text;
}

function checkFinite(fn: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${what} must be a finite number; got ${String(value)}`);
  }
  return value;
}

/** Short, readable rendering of a number for claim lines. */
export function formatClaimNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e5 || abs < 1e-3 ? value.toExponential(3) : String(+value.toPrecision(5));
}

/**
 * Assert |value - expected| <= tol (absolute tolerance) and return `value`.
 * @param text     the sentence of the prose this checks (one line)
 * @param value    what the cell computed
 * @param expected the number the prose states
 * @param tol      absolute tolerance, >= 0
 */
export function claim(text: string, value: number, expected: number, tol: number, options: ClaimOptions = {}): number {
  const fn = 'claim';
  checkText(fn, text);
  checkFinite(fn, 'value', value);
  checkFinite(fn, 'expected', expected);
  if (checkFinite(fn, 'tol', tol) < 0) throw new Error(`${fn}: tol must be >= 0; got ${tol}`);
  const detail = `${formatClaimNumber(value)}, stated ${formatClaimNumber(expected)} ± ${formatClaimNumber(tol)}`;
  if (!(Math.abs(value - expected) <= tol)) throw new Error(`claim does not hold: "${text}": computed ${detail}`);
  (options.print ?? console.log)(`CLAIM OK: ${text} (${detail})`);
  return value;
}

/** Assert lo <= value <= hi and return `value`. */
export function claimRange(text: string, value: number, lo: number, hi: number, options: ClaimOptions = {}): number {
  const fn = 'claimRange';
  checkText(fn, text);
  checkFinite(fn, 'value', value);
  checkFinite(fn, 'lo', lo);
  checkFinite(fn, 'hi', hi);
  if (lo > hi) throw new Error(`${fn}: lo must be <= hi; got lo ${lo}, hi ${hi}`);
  const detail = `${formatClaimNumber(value)}, stated ${formatClaimNumber(lo)}..${formatClaimNumber(hi)}`;
  if (!(value >= lo && value <= hi)) throw new Error(`claim does not hold: "${text}": computed ${detail}`);
  (options.print ?? console.log)(`CLAIM OK: ${text} (${detail})`);
  return value;
}

/** Assert a comparison (a boolean the cell computed); `detail` shows the numbers compared. */
export function claimTrue(text: string, condition: boolean, detail = '', options: ClaimOptions = {}): void {
  const fn = 'claimTrue';
  checkText(fn, text);
  if (typeof condition !== 'boolean') throw new Error(`${fn}: condition must be a boolean; got ${typeof condition}`);
  if (!condition) throw new Error(`claim does not hold: "${text}"${detail ? `: ${detail}` : ''}`);
  (options.print ?? console.log)(`CLAIM OK: ${text}${detail ? ` (${detail})` : ''}`);
}
