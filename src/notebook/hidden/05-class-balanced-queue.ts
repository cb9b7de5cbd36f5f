/**
 * Hidden tests for chapter 05 (the class-balanced queue, ResCom Sec. 3.2): which ring slot each row
 * of a batch is written to, c*K + pointer[c] with the pointer advancing mod K (the rule of
 * `contrast.ClassBalancedQueue`, written out here). Edge cases: K = 1, a class appearing more than
 * K times in one batch (the ring wraps), pointers at K - 1, classes absent from the batch.
 */
import type { Rng } from '../../util/rng';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

function slotsOf(labels: number[], pointers: number[], K: number): [number[], number[]] {
  const next = [...pointers];
  const slots = labels.map((c) => {
    const slot = c * K + next[c];
    next[c] = (next[c] + 1) % K;
    return slot;
  });
  return [slots, next];
}

function pointersFor(rng: Rng, classes: number, K: number): number[] {
  return Array.from({ length: classes }, () => rng.int(K));
}

export const classBalancedQueueSuite: HiddenSuite = {
  notebook: '05-class-balanced-queue',
  exercises: [
    {
      cell: 'ex-slots',
      title: 'ring slots',
      points: 2,
      functions: ['ringSlots'],
      forbidden: ['contrast.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, labels: number[], pointers: number[], K: number) =>
          cases.push({
            label,
            call: '((r) => [Array.from(r.slots), Array.from(r.pointers)])(ringSlots(args.labels, args.pointers, args.K))',
            args: { labels, pointers, K },
            expected: slotsOf(labels, pointers, K),
            tolerance: { exact: true },
          });
        const batch = (n: number, classes: number) => Array.from({ length: n }, () => rng.int(classes));
        add('10 classes, K 5', batch(16, 10), pointersFor(rng, 10, 5), 5);
        add('K = 1', batch(8, 4), [0, 0, 0, 0], 1);
        add(
          'one class more than K times (wraps)',
          Array.from({ length: 7 }, () => 2),
          pointersFor(rng, 3, 3),
          3,
        );
        add(
          'pointers at K - 1',
          batch(12, 6),
          Array.from({ length: 6 }, () => 3),
          4,
        );
        add(
          'classes absent from the batch',
          batch(10, 2),
          pointersFor(rng, 10, intBetween(rng, 2, 8)).map((p) => p % 2),
          2,
        );
        return cases;
      },
    },
  ],
};
