/**
 * Hidden tests for chapter 02 (two views of a batch, ResCom Sec. 3.1): the horizontal flip against
 * `data.augment.horizontalFlip` (HWC layout, channels kept together) and the Siamese label stack
 * against `losses.siameseLabels`. Edge cases: width 1, one row, 3 channels, one label.
 */
import { horizontalFlip } from '../../data/augment/geometric';
import { siameseLabels } from '../../losses/criterion';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

export const datasetsTwoViewsSuite: HiddenSuite = {
  notebook: '02-datasets-two-views',
  exercises: [
    {
      cell: 'ex-flip',
      title: 'horizontal flip',
      points: 2,
      functions: ['flipByHand'],
      forbidden: ['data.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, height: number, width: number, channels: number) => {
          const data = Uint8Array.from({ length: height * width * channels }, () => rng.int(256));
          const flipped = horizontalFlip({ data, height, width, channels });
          cases.push({
            label,
            call: '((r) => ({ data: Array.from(r.data), height: r.height, width: r.width, channels: r.channels }))(flipByHand({ ...args, data: Uint8Array.from(args.data) }))',
            args: { data: Array.from(data), height, width, channels },
            expected: { data: Array.from(flipped.data), height, width, channels },
            tolerance: { exact: true },
          });
        };
        add('28x28 grey', 28, 28, 1);
        add('RGB, 3 channels', intBetween(rng, 3, 9), intBetween(rng, 3, 9), 3);
        add('width 1', intBetween(rng, 2, 6), 1, 1);
        add('one row, RGB', 1, intBetween(rng, 4, 12), 3);
        add('odd width', intBetween(rng, 2, 5), 2 * intBetween(rng, 2, 6) + 1, 2);
        return cases;
      },
    },
    {
      cell: 'ex-stack',
      title: 'Siamese label stack',
      points: 1,
      functions: ['siameseStack'],
      forbidden: ['data.*', 'losses.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, n: number, classes: number, edge = false) => {
          const labels = Array.from({ length: n }, () => rng.int(classes));
          cases.push({
            label,
            call: 'Array.from(siameseStack(args.labels))',
            args: { labels },
            expected: Array.from(siameseLabels(labels)),
            tolerance: { exact: true },
            edge,
          });
        };
        add('batch of 16', 16, 10);
        add('one label', 1, 10);
        add('one class only (all labels 0)', intBetween(rng, 3, 9), 1, true);
        add('batch of 128, 100 classes', 128, 100);
        return cases;
      },
    },
  ],
};
