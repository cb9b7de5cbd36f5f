/**
 * Paths the file system cannot take, image lists that contradict themselves, and limits nobody can
 * wait for (#26): each refused in one line naming the path, the list line or the option, before
 * the work starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageListCase, tinyArgs, type BadInputCase } from './case-kit';

const longName = 'n'.repeat(300);

export const DISK_CASES: BadInputCase[] = [
  {
    id: 'train --run-dir with a 300-byte name',
    area: 'disk',
    what: 'a name the file system cannot take (ENAMETOOLONG) is refused before the data is read, not at the first checkpoint',
    setup: (ctx) => ({
      args: ['train', ...tinyArgs(ctx.tinyData), '--run-dir', path.join(ctx.dir, longName)],
      names: ['--run-dir', 'ENAMETOOLONG', 'shorter'],
    }),
  },
  {
    id: 'train --run-dir 4100 bytes deep',
    area: 'disk',
    what: 'a run folder whose checkpoints would exceed PATH_MAX is refused before training',
    setup: (ctx) => {
      const deep = path.join(ctx.dir, ...Array.from({ length: 40 }, () => 'd'.repeat(100)));
      return { args: ['train', ...tinyArgs(ctx.tinyData), '--run-dir', deep], names: ['--run-dir', 'ENAMETOOLONG'] };
    },
  },
  {
    id: 'report --out with a 300-byte name',
    area: 'disk',
    what: '`rescom report --out` with a name too long is refused naming it, before the report is built',
    setup: (ctx) => ({
      args: ['report', ctx.baseRun, '--out', path.join(ctx.dir, `${longName}.html`)],
      names: ['--out', 'ENAMETOOLONG'],
    }),
  },
  {
    id: 'eval --out below a file',
    area: 'disk',
    what: '`rescom eval --out` under a file (ENOTDIR) is refused naming the file, before evaluating',
    setup: (ctx) => {
      const file = path.join(ctx.dir, 'file.txt');
      fs.writeFileSync(file, 'x');
      return { args: ['eval', '--checkpoint', ctx.baseRun, '--out', path.join(file, 'out')], names: ['--out', file] };
    },
  },
  {
    id: 'simulate --out below a file',
    area: 'disk',
    what: '`rescom simulate --out` under a file is refused before simulating',
    setup: (ctx) => {
      const file = path.join(ctx.dir, 'file.txt');
      fs.writeFileSync(file, 'x');
      return { args: ['simulate', '--batches', '10', '--out', path.join(file, 'x.html')], names: ['--out', file] };
    },
  },
  imageListCase(
    'one image, two labels',
    'an image listed twice with two labels (used to be accepted without a word) is refused naming both lines',
    () => ({
      lines: ['train/a.png 0', 'train/b.png 1', 'train/a.png 2'],
      names: (lists) => [lists.train, 'line 3', 'line 1'],
    }),
  ),
  imageListCase('one image, two labels, two spellings', "'train/./a.png' is the same image as 'train/a.png'", () => ({
    lines: ['train/a.png 0', 'train/b.png 1', 'train/./a.png 1'],
    names: (lists) => [lists.train, 'line 3', 'train/a.png'],
  })),
  {
    id: 'simulate --batches 10000000 --batch-size 65536',
    area: 'numbers',
    what: 'a simulation of 6.6e11 draws (days, silent) is refused naming both options and the most that runs in minutes',
    setup: () => ({
      args: ['simulate', '--batches', '10000000', '--batch-size', '65536', '--no-html'],
      names: ['--batches', '--batch-size'],
    }),
  },
  {
    id: 'simulate --classes 10000',
    area: 'numbers',
    what: 'a 10000 x 10000 pair-frequency table (printed and drawn) is refused; the limit is lowered',
    setup: () => ({ args: ['simulate', '--classes', '10000', '--no-html'], names: ['--classes', "'10000'"] }),
  },
];
