/**
 * Hidden tests for chapter 11 (throughput on a GPU): images per second from step time stamps,
 * (n - 1) * batch * views / (t_last - t_first). Edge cases: fewer than two stamps (NaN), two stamps,
 * one view, uneven step times.
 */
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

export const trainingOnGpuSuite: HiddenSuite = {
  notebook: '11-training-on-a-gpu',
  exercises: [
    {
      cell: 'ex-throughput',
      title: 'images per second',
      points: 1,
      functions: ['imagesPerSecond'],
      forbidden: ['train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, stepTimesMs: number[], batchSize: number, views: number) => {
          const n = stepTimesMs.length;
          const expected = n < 2 ? NaN : ((n - 1) * batchSize * views) / ((stepTimesMs[n - 1] - stepTimesMs[0]) / 1000);
          cases.push({
            label,
            call: 'imagesPerSecond(args.stepTimesMs, args.batchSize, args.views)',
            args: { stepTimesMs, batchSize, views },
            expected,
            tolerance: { atol: 1e-9, rtol: 1e-9 },
          });
        };
        const stamps = (n: number) => {
          let t = rng.uniform(0, 1e6);
          return Array.from({ length: n }, () => (t += rng.uniform(50, 900)));
        };
        add('20 steps, two views', stamps(20), 128, 2);
        add('two stamps', stamps(2), intBetween(rng, 8, 512), 2);
        add('one view', stamps(intBetween(rng, 5, 30)), 64, 1);
        add('one stamp (NaN)', stamps(1), 64, 2);
        add('no stamps (NaN)', [], 64, 2);
        return cases;
      },
    },
  ],
};
