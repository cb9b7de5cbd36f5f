/**
 * Welch's two-sample t-test: do two independent sets of measurements (here, two codes' paired gaps
 * over their own seeds) have the same mean, without assuming the same variance? The statistic
 * t = (m1 - m2) / sqrt(s1^2/n1 + s2^2/n2) has approximately Student's t distribution with the
 * Welch-Satterthwaite degrees of freedom (s1^2/n1 + s2^2/n2)^2 / ((s1^2/n1)^2/(n1-1) + (s2^2/n2)^2/(n2-1)).
 */
import { studentTCdf, studentTQuantile } from './t-distribution';

/** Mean, sample sd (n - 1) and count of one set of measurements. */
export interface SampleSummary {
  mean: number;
  sd: number;
  n: number;
}

export interface WelchResult {
  /** m1 - m2. */
  difference: number;
  /** Its standard error sqrt(s1^2/n1 + s2^2/n2). */
  standardError: number;
  t: number;
  /** Welch-Satterthwaite degrees of freedom (not an integer in general). */
  df: number;
  /** Two-sided p-value 2 P(T > |t|). */
  p: number;
  /** 95% interval of m1 - m2. */
  interval: [number, number];
}

export function summarize(values: readonly number[]): SampleSummary {
  const n = values.length;
  if (n < 2) throw new Error(`summarize: needs at least 2 values; got ${n}`);
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`summarize: values must be finite; got ${values.join(', ')}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return { mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)), n };
}

export function welchTTest(a: SampleSummary, b: SampleSummary): WelchResult {
  for (const [name, s] of [['a', a], ['b', b]] as const) {
    if (!Number.isInteger(s.n) || s.n < 2 || !Number.isFinite(s.mean) || !(s.sd >= 0)) {
      throw new Error(`welchTTest: ${name} must have n >= 2, a finite mean and sd >= 0; got ${JSON.stringify(s)}`);
    }
  }
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const standardError = Math.sqrt(va + vb);
  if (standardError === 0) throw new Error('welchTTest: both samples have sd 0: the test is undefined');
  const difference = a.mean - b.mean;
  const t = difference / standardError;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const p = 2 * studentTCdf(-Math.abs(t), df);
  const half = studentTQuantile(0.975, df) * standardError;
  return { difference, standardError, t, df, p, interval: [difference - half, difference + half] };
}

/** "+0.64 [+0.10, +1.19], Welch p = 0.026": the difference and its 95% interval in points (from the [0, 1] scale), and p. */
export function formatWelch(w: WelchResult): string {
  const pts = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}`;
  return `${pts(w.difference)} [${pts(w.interval[0])}, ${pts(w.interval[1])}], Welch p = ${w.p.toFixed(3)}`;
}
