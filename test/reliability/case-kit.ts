/**
 * What a bad-input case is (its folder, its command line, the names its one error line must hold)
 * and the tiny training arguments the cases share. The cases themselves: cases.ts and cases-*.ts.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeImageList } from './fixtures';

export interface CaseContext {
  /** The case's own folder (fingerprinted before and after). */
  dir: string;
  /** Where the command runs (inside `dir`, so a default runs/ folder would show). */
  work: string;
  /** The tiny embedded Fashion-MNIST-LT folder. */
  tinyData: string;
  /** A finished one-epoch run of the tiny data (copy it before damaging it). */
  baseRun: string;
  /** A run of the tiny data stopped after epoch 1 of 2 (copy it before resuming it). */
  partialRun: string;
  /** Tiny data of the same shapes as `tinyData` with other pixels. */
  otherData: string;
}

export interface CaseSetup {
  args: string[];
  /** Strings the error line must contain: the option or the file. */
  names: string[];
  /** Expected exit status (default 1). */
  exit?: number;
  /** Environment variables for the command (on top of the test's own, wasm backend). */
  env?: Record<string, string>;
}

export interface BadInputCase {
  id: string;
  area:
    | 'numbers'
    | 'options'
    | 'run folder'
    | 'checkpoint'
    | 'reader'
    | 'grade'
    | 'backend'
    | 'environment'
    | 'output'
    | 'resume'
    | 'disk';
  what: string;
  setup(ctx: CaseContext): CaseSetup;
}

/** The tiny fashion-mnist-lt training arguments (1 epoch, no warm-up). */
export function tinyArgs(tinyData: string): string[] {
  return [
    '--config',
    'fashion-mnist-lt',
    '--method',
    'balsfx',
    '--dataDir',
    tinyData,
    '--epochs',
    '1',
    '--warmupEpochs',
    '0',
    '--batchSize',
    '8',
    '--valFraction',
    '0.2',
    '--evalBatchSize',
    '16',
    '--queuePerClass',
    '2',
    '--selectNumPos',
    '1',
    '--selectNumNeg',
    '6',
    '--projectionDim',
    '8',
  ];
}

/**
 * A case that trains `imagenet-lt` on a two-image list in the case folder: `prepare` gives the train
 * list's lines (default two good ones) and the names the error line must hold.
 */
export const imageListCase = (
  id: string,
  what: string,
  prepare: (dir: string) => {
    lines?: string[];
    names: (lists: { train: string; test: string }, dir: string) => string[];
  },
): BadInputCase => ({
  id: `image list: ${id}`,
  area: 'reader',
  what,
  setup: (ctx) => {
    const dir = path.join(ctx.dir, 'imagenet');
    fs.mkdirSync(dir, { recursive: true });
    const { lines, names } = prepare(dir);
    const lists = writeImageList(dir, lines);
    return {
      args: [
        'train',
        '--config',
        'imagenet-lt',
        '--dataDir',
        dir,
        '--imageSize',
        '8',
        '--run-dir',
        path.join(ctx.dir, 'run'),
      ],
      names: names(lists, dir),
    };
  },
});
