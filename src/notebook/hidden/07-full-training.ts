/**
 * Hidden tests for chapter 07 (the learning-rate schedule of a training run): linear warm-up then
 * cosine decay to lr * minLrFactor, per step, against `train.learningRateAt` (one step per "epoch").
 * Edge cases: no warm-up, the first and last steps, the last warm-up step, minLrFactor 0, a run
 * whose only post-warm-up step is the last.
 */
import { learningRateAt } from '../../train/schedule';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

function reference(step: number, totalSteps: number, warmupSteps: number, lr: number, minLrFactor: number): number {
  return learningRateAt(
    { lr, warmupEpochs: warmupSteps, schedule: 'cosine', minLrFactor, epochs: totalSteps },
    { epoch: step, step: 0, stepsPerEpoch: 1 },
  );
}

export const fullTrainingSuite: HiddenSuite = {
  notebook: '07-full-training',
  exercises: [
    {
      cell: 'ex-lr',
      title: 'cosine schedule with warm-up',
      points: 2,
      functions: ['cosineWithWarmup'],
      forbidden: ['train.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (
          label: string,
          steps: number[],
          totalSteps: number,
          warmupSteps: number,
          lr: number,
          minLrFactor: number,
          edge = false,
        ) =>
          cases.push({
            label,
            call: 'args.steps.map((s) => cosineWithWarmup(s, args.totalSteps, args.warmupSteps, args.lr, args.minLrFactor))',
            args: { steps, totalSteps, warmupSteps, lr, minLrFactor },
            expected: steps.map((s) => reference(s, totalSteps, warmupSteps, lr, minLrFactor)),
            tolerance: { atol: 1e-12, rtol: 1e-9 },
            edge,
          });
        const total = intBetween(rng, 200, 2000);
        const warm = intBetween(rng, 5, 50);
        add(
          'warm-up and decay, 12 random steps',
          Array.from({ length: 12 }, () => rng.int(total)),
          total,
          warm,
          rng.uniform(0.01, 0.5),
          rng.uniform(0, 0.1),
        );
        add('first, last warm-up and last steps', [0, warm - 1, warm, total - 1], total, warm, 0.1, 0.01);
        add('no warm-up', [0, 1, intBetween(rng, 2, 98), 99], 100, 0, 0.05, 0);
        add('minLrFactor 0 ends at 0', [total - 1], total, warm, rng.uniform(0.01, 1), 0, true);
        add('one step after warm-up', [0, 1, 2, 3], 4, 3, 0.2, 0.1);
        return cases;
      },
    },
  ],
};
