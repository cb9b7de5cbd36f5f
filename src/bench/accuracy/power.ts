/**
 * How many paired seeds a comparison needs: `seedsToResolve` from the exact power of the paired
 * t-test (./t-distribution.ts), and `simulatedPower`, the same question answered by simulation (an
 * independent check, and a way for a learner to see what a seed count buys).
 */
import { Rng } from '../../util/rng';
import { pairedTTestPower, tQuantile975 } from './t-distribution';

/**
 * Paired seeds needed to resolve a true mean difference `effect` when the per-seed paired
 * differences have standard deviation `sd` (same units): the smallest n >= 2 at which the two-sided
 * paired t-test at alpha 0.05 has at least 80% power (`pairedTTestPower`), i.e. the 95% interval of
 * the mean difference excludes 0 in 80% of experiments. It gives the textbook sizes 34, 15, 10 and 6
 * for effect / sd = 0.5, 0.8, 1 and 1.5. The verdict rule here also asks for ResCom ahead on every
 * seed, which is stricter. sd 0 needs the floor of 2 seeds.
 */
export function seedsToResolve(sd: number, effect: number): number {
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new Error(`seedsToResolve: sd must be a finite number >= 0; got ${sd}`);
  if (!(effect > 0) || !Number.isFinite(effect)) throw new Error(`seedsToResolve: effect must be a finite number > 0; got ${effect}`);
  if (sd === 0) return 2;
  const d = effect / sd;
  // Guenther's closed form (The American Statistician 35(4), 1981) is within a seed or two: start the search below it.
  const guess = Math.max(2, Math.floor((((1.959964 + 0.841621) / d) ** 2 + 1.959964 ** 2 / 2) * 0.8));
  let n = guess;
  while (n > 2 && pairedTTestPower(n - 1, d) >= 0.8) n--;
  while (pairedTTestPower(n, d) < 0.8) n++;
  return n;
}

export interface SimulatedPowerOptions {
  /** Standard deviation of one seed's paired difference (same units as `effect`). */
  sd: number;
  /** True mean difference. */
  effect: number;
  /** Paired seeds per experiment (>= 2). */
  seeds: number;
  /** Experiments simulated. Default 20000. */
  experiments?: number;
  /** Default new Rng(0). */
  rng?: Rng;
}

/**
 * Fraction of simulated experiments whose two-sided 95% t-interval of the mean difference excludes
 * 0 (|mean| > t(0.975, n - 1) * s / sqrt(n), s the sample sd).
 */
export function simulatedPower(options: SimulatedPowerOptions): number {
  const fn = 'simulatedPower';
  const { sd, effect, seeds } = options;
  const experiments = options.experiments ?? 20000;
  if (!(sd > 0) || !Number.isFinite(sd)) throw new Error(`${fn}: sd must be a finite number > 0; got ${sd}`);
  if (!Number.isFinite(effect)) throw new Error(`${fn}: effect must be a finite number; got ${effect}`);
  if (!Number.isInteger(seeds) || seeds < 2) throw new Error(`${fn}: seeds must be an integer >= 2; got ${seeds}`);
  if (!Number.isInteger(experiments) || experiments < 1)
    throw new Error(`${fn}: experiments must be a positive integer; got ${experiments}`);
  const rng = options.rng ?? new Rng(0);
  const t = tQuantile975(seeds - 1);
  let resolved = 0;
  const x = new Float64Array(seeds);
  for (let e = 0; e < experiments; e++) {
    let mean = 0;
    for (let i = 0; i < seeds; i++) {
      x[i] = effect + sd * rng.normal();
      mean += x[i];
    }
    mean /= seeds;
    let ss = 0;
    for (let i = 0; i < seeds; i++) ss += (x[i] - mean) ** 2;
    const s = Math.sqrt(ss / (seeds - 1));
    if (Math.abs(mean) > (t * s) / Math.sqrt(seeds)) resolved++;
  }
  return resolved / experiments;
}
