/**
 * Hidden tests for chapter 09 (reading an ablation with its seed spread): mean and sample standard
 * deviation (n - 1). Edge cases: one seed (std 0), two seeds, large values with small spread
 * (where a one-pass sum of squares loses digits), identical values.
 */
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

function spread(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return [mean, std];
}

export const ablationSuite: HiddenSuite = {
  notebook: '09-ablation',
  exercises: [
    {
      cell: 'ex-spread',
      title: 'seed spread',
      points: 2,
      functions: ['seedSpread'],
      forbidden: ['evaluation.*', 'viz.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, values: number[], rtol = 1e-9) =>
          cases.push({
            label,
            call: '((r) => [r.mean, r.std])(seedSpread(args.values))',
            args: { values },
            expected: spread(values),
            tolerance: { atol: 1e-9, rtol },
          });
        add(
          'five seeds of top-1 %',
          Array.from({ length: 5 }, () => rng.uniform(40, 60)),
        );
        add('one seed (std 0)', [rng.uniform(0, 100)]);
        add('two seeds', [rng.uniform(0, 1), rng.uniform(0, 1)]);
        add(
          'identical values',
          Array.from({ length: intBetween(rng, 3, 6) }, () => 42.5),
        );
        add(
          'large values, small spread',
          Array.from({ length: 6 }, () => 1e8 + rng.uniform(0, 1)),
          1e-6,
        );
        return cases;
      },
    },
  ],
};
