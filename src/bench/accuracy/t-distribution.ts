/**
 * What the paired comparisons need of Student's t distribution: the two-sided 95% quantile, and the
 * power of the two-sided paired t-test, computed exactly from the noncentral t distribution by
 * numerical integration over the chi-square of the sample variance (no tables, no approximation
 * beyond the quadrature's, which is below 1e-6 here).
 */

/**
 * Two-sided 95% quantiles t(0.975, df) of Student's t distribution for df = 1..30 (standard table
 * values); above 30 the Cornish-Fisher expansion around the normal quantile 1.959964.
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`tQuantile975: df must be an integer >= 1; got ${df}`);
  if (df <= T975.length) return T975[df - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error below 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The standard normal CDF, via erfc (W. J. Cody's rational Chebyshev form as in Numerical Recipes' erfcc: |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * Power of the two-sided paired t-test at alpha 0.05 with `n` pairs when the true mean difference is
 * `effectOverSd` standard deviations: P(|T'| > t(0.975, n - 1)) with T' = (Z + d sqrt(n)) / sqrt(V / k),
 * Z standard normal, V chi-square with k = n - 1 degrees of freedom. Integrated over V = u^2
 * (Simpson's rule in u, 2000 intervals), which removes the density's singularity at 0 for k = 1.
 */
export function pairedTTestPower(n: number, effectOverSd: number): number {
  const fn = 'pairedTTestPower';
  if (!Number.isInteger(n) || n < 2) throw new Error(`${fn}: n must be an integer >= 2; got ${n}`);
  if (!Number.isFinite(effectOverSd)) throw new Error(`${fn}: effectOverSd must be finite; got ${effectOverSd}`);
  const k = n - 1;
  const crit = tQuantile975(k);
  const ncp = effectOverSd * Math.sqrt(n);
  const logNorm = (k / 2) * Math.log(2) + logGamma(k / 2);
  // chi-square density of v = u^2 times dv/du = 2u.
  const weight = (u: number) => (u === 0 ? (k === 1 ? Math.sqrt(2 / Math.PI) : 0) : 2 * u * Math.exp((k / 2 - 1) * Math.log(u * u) - (u * u) / 2 - logNorm));
  const rejects = (u: number) => {
    const bound = crit * Math.sqrt((u * u) / k);
    return normalCdf(-bound - ncp) + 1 - normalCdf(bound - ncp);
  };
  const upper = Math.sqrt(k + 12 * Math.sqrt(2 * k) + 40);
  const steps = 2000;
  const h = upper / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const u = i * h;
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * weight(u) * rejects(u);
  }
  return (sum * h) / 3;
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1, from its continued
 * fraction evaluated by the modified Lentz method (Numerical Recipes 6.4 "betacf"; relative error
 * below 1e-12 here), on the side of x where it converges fast.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  const fn = 'regularizedIncompleteBeta';
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`${fn}: a and b must be finite and > 0; got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new Error(`${fn}: x must lie in [0, 1]; got ${x}`);
  if (x === 0 || x === 1) return x;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 500; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return (Math.exp(logFront) * h) / a;
}

/** P(T <= t) for Student's t with `df` > 0 degrees of freedom (any real df: Welch's test needs them). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new Error(`studentTCdf: df must be finite and > 0; got ${df}`);
  if (Number.isNaN(t)) throw new Error('studentTCdf: t is NaN');
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) = 1 - I_{t^2/(df+t^2)}(1/2, df/2); near t = 0 the second
  // form keeps the precision that df/(df+t^2), rounded to 1, would lose.
  const tail = t * t < df ? 0.5 * (1 - regularizedIncompleteBeta((t * t) / (df + t * t), 0.5, df / 2)) : 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The quantile t(p, df) of Student's t (0 < p < 1, any real df > 0), by bisection on studentTCdf to 1e-10. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must lie in (0, 1); got ${p}`);
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  while (hi - lo > 1e-10 * Math.max(1, Math.abs(lo))) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
