/**
 * Hidden tests for chapter 08 (calibration): expected calibration error with equal-width bins
 * against `evaluation.expectedCalibrationError` (Guo et al. 2017, Eq. 3). Edge cases: one bin, many
 * bins with empty ones, confidence exactly 1 (one-hot rows), uniform rows (confidence 1/C), every
 * prediction right.
 */
import { expectedCalibrationError } from '../../eval/calibration';
import type { Rng } from '../../util/rng';
import { intBetween, type HiddenCase, type HiddenSuite } from '../hidden-tests';

function softmaxRow(rng: Rng, classes: number, scale: number): number[] {
  const z = Array.from({ length: classes }, () => scale * rng.normal());
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export const evaluationSuite: HiddenSuite = {
  notebook: '08-evaluation',
  exercises: [
    {
      cell: 'ex-ece',
      title: 'expected calibration error',
      points: 3,
      functions: ['eceByHand'],
      forbidden: ['evaluation.*', 'viz.*'],
      cases(rng) {
        const cases: HiddenCase[] = [];
        const add = (label: string, probabilities: number[][], labels: number[], numBins: number) =>
          cases.push({
            label,
            call: 'eceByHand(args.probabilities, args.labels, args.numBins)',
            args: { probabilities, labels, numBins },
            expected: expectedCalibrationError({
              scores: probabilities,
              labels,
              numClasses: probabilities[0].length,
              probabilities: true,
              numBins,
            }).ece,
            tolerance: { atol: 1e-6, rtol: 1e-6 },
          });
        const rows = (n: number, c: number, scale: number) =>
          Array.from({ length: n }, () => softmaxRow(rng, c, scale));
        const labelsFor = (n: number, c: number) => Array.from({ length: n }, () => rng.int(c));
        const n = intBetween(rng, 100, 400);
        add('15 bins, 10 classes', rows(n, 10, 3), labelsFor(n, 10), 15);
        add('one bin', rows(80, 4, 2), labelsFor(80, 4), 1);
        add('50 bins (many empty)', rows(60, 5, 4), labelsFor(60, 5), 50);
        const oneHot = Array.from({ length: 30 }, () => {
          const r = new Array(6).fill(0);
          r[rng.int(6)] = 1;
          return r;
        });
        add('confidence exactly 1', oneHot, labelsFor(30, 6), 10);
        add(
          'uniform rows (confidence 1/C)',
          Array.from({ length: 20 }, () => new Array(4).fill(0.25)),
          labelsFor(20, 4),
          15,
        );
        // Confidence exactly 0.5, the edge between bins 4 and 5 of 8 (exact in binary), on rows predicted
        // right, next to rows of confidence in (0.5, 0.6) predicted wrong: with the bin index
        // floor(conf * M) the two groups share a bin and their gaps (+0.5 and about -0.55) cancel.
        const edgeRows: number[][] = [];
        const edgeLabels: number[] = [];
        const place = (top: number, rest: [number, number], right: boolean) => {
          const order = rng.permutation(3);
          const row = [0, 0, 0];
          row[order[0]] = top;
          row[order[1]] = rest[0];
          row[order[2]] = rest[1];
          edgeRows.push(row);
          edgeLabels.push(right ? order[0] : order[1 + rng.int(2)]);
        };
        for (let i = 0; i < intBetween(rng, 8, 14); i++) place(0.5, [0.3, 0.2], true);
        for (let i = 0; i < intBetween(rng, 8, 14); i++) {
          const top = rng.uniform(0.52, 0.6);
          place(top, [(1 - top) * 0.6, (1 - top) * 0.4], false);
        }
        add('confidences exactly on a bin edge (8 bins)', edgeRows, edgeLabels, 8);
        const sharp = rows(50, 3, 6);
        add(
          'every prediction right',
          sharp,
          sharp.map((r) => r.indexOf(Math.max(...r))),
          15,
        );
        return cases;
      },
    },
  ],
};
