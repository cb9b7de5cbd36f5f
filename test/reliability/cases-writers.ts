/**
 * One writer per run folder, and only our files are ours (#26): a folder another live process
 * writes is refused naming the holder; a folder or an output path holding files rescom did not
 * write is refused, naming the option and the file, before anything is read or written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK_FILE, processStartTicks } from '../../src/train/run-lock';
import { tinyArgs, type BadInputCase, type CaseContext } from './case-kit';
import { copyTree } from './harness';

/** A lock file in `dir` held by this (live) test process, or by `host`. */
function lock(dir: string, host = os.hostname(), writing = false): string {
  fs.mkdirSync(dir, { recursive: true });
  const info = {
    format: 'rescom-lock/1',
    pid: process.pid,
    host,
    started: '2026-12-07T00:00:00.000Z',
    processStart: host === os.hostname() ? processStartTicks(process.pid) : null,
    command: 'rescom train',
    generation: 3,
    writing,
  };
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(info));
  return path.join(dir, LOCK_FILE);
}
const copy = (from: string, ctx: CaseContext, name = 'run') => {
  const run = path.join(ctx.dir, name);
  copyTree(from, run);
  return run;
};
/** A folder holding only `file` with `content`. */
const only = (ctx: CaseContext, file: string, content: string) => {
  const dir = path.join(ctx.dir, 'mine');
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
  return dir;
};
const train = (ctx: CaseContext, runDir: string, ...more: string[]) => [
  'train',
  ...tinyArgs(ctx.tinyData),
  '--run-dir',
  runDir,
  ...more,
];

export const WRITER_CASES: BadInputCase[] = [
  {
    id: 'train on a folder a live process writes',
    area: 'run folder',
    what: 'a second `rescom train` on a run folder being written (used to interleave epochs 1,1,2,2) is refused naming the holder',
    setup: (ctx) => {
      const run = path.join(ctx.dir, 'run');
      lock(run);
      return { args: train(ctx, run), names: [run, `pid ${process.pid}`, 'being written'] };
    },
  },
  {
    id: 'resume a run a live process writes',
    area: 'run folder',
    what: 'a second `--resume` of a run being resumed is refused naming the holder',
    setup: (ctx) => {
      const run = copy(ctx.partialRun, ctx);
      lock(run);
      return { args: ['train', '--run-dir', run, '--resume'], names: [run, `pid ${process.pid}`] };
    },
  },
  {
    id: 'train on a folder locked from another host',
    area: 'run folder',
    what: 'a lock whose holder cannot be checked (another host) is refused, saying which file to remove if that process is gone',
    setup: (ctx) => {
      const run = path.join(ctx.dir, 'run');
      const file = lock(run, 'other-host');
      return { args: train(ctx, run), names: ['other-host', file] };
    },
  },
  {
    id: 'train on a folder with a garbled lock',
    area: 'run folder',
    what: 'an unreadable lock file is refused, naming it',
    setup: (ctx) => {
      const run = path.join(ctx.dir, 'run');
      fs.mkdirSync(run);
      fs.writeFileSync(path.join(run, LOCK_FILE), 'garbage');
      return { args: train(ctx, run), names: [path.join(run, LOCK_FILE)] };
    },
  },
  {
    id: 'eval a run stuck half-way through a write',
    area: 'run folder',
    what: '`rescom eval` of a run whose live writer is inside a write waits for a consistent state, then says who holds it',
    setup: (ctx) => {
      const run = copy(ctx.baseRun, ctx);
      lock(run, os.hostname(), true);
      return {
        args: ['eval', '--checkpoint', run],
        names: [run, `pid ${process.pid}`, 'did not hold still'],
        env: { RESCOM_READ_TIMEOUT: '1' },
      };
    },
  },
  {
    id: "train on a folder holding only a user's config.json",
    area: 'run folder',
    what: 'a folder with only a config.json that is not a rescom config is not a run (it used to be overwritten without --force)',
    setup: (ctx) => {
      const dir = only(ctx, 'config.json', '{"experiment": "mine", "epochs": 3}\n');
      return { args: train(ctx, dir), names: [dir, "'config.json'", '--force'] };
    },
  },
  {
    id: "train on a folder holding only a user's log.jsonl",
    area: 'run folder',
    what: 'a log.jsonl whose lines are not epoch records is not a run log',
    setup: (ctx) => {
      const dir = only(ctx, 'log.jsonl', '{"level": "info", "msg": "my notes"}\n');
      return { args: train(ctx, dir), names: [dir, "'log.jsonl'"] };
    },
  },
  {
    id: "train on a folder holding a user's report.html",
    area: 'run folder',
    what: 'an HTML file that rescom did not write is not a run report',
    setup: (ctx) => {
      const dir = only(ctx, 'report.html', '<html><body>my thesis figures</body></html>');
      return { args: train(ctx, dir), names: [dir, "'report.html'"] };
    },
  },
  {
    id: "train on a folder whose checkpoints/ holds a user's files",
    area: 'run folder',
    what: 'a checkpoints/ folder with files that are not checkpoints is not a run',
    setup: (ctx) => {
      const dir = only(ctx, path.join('checkpoints', 'notes.txt'), 'mine');
      return { args: train(ctx, dir), names: [dir, "'checkpoints'"] };
    },
  },
  {
    id: 'train on a folder with a test-results.json that is not ours',
    area: 'run folder',
    what: 'a test-results.json without an evaluation in it is not a run file',
    setup: (ctx) => {
      const dir = only(ctx, 'test-results.json', '{"passed": 12}');
      return { args: train(ctx, dir), names: [dir, "'test-results.json'"] };
    },
  },

  // Output paths: only a command's own earlier output is replaced.
  {
    id: 'report --out RUN/log.jsonl',
    area: 'output',
    what: '`rescom report --out` naming the run log (used to replace the log with HTML) is refused',
    setup: (ctx) => {
      const run = copy(ctx.baseRun, ctx);
      return {
        args: ['report', run, '--out', path.join(run, 'log.jsonl')],
        names: ['--out', path.join(run, 'log.jsonl')],
      };
    },
  },
  {
    id: "report --out a user's HTML file",
    area: 'output',
    what: 'an existing HTML file that is not a rescom report is not replaced',
    setup: (ctx) => {
      const run = copy(ctx.baseRun, ctx);
      const out = path.join(ctx.dir, 'index.html');
      fs.writeFileSync(out, '<!DOCTYPE html><html><body>my page</body></html>');
      return { args: ['report', run, '--out', out], names: ['--out', out] };
    },
  },
  {
    id: 'report --out a folder',
    area: 'output',
    what: '`--out` naming a folder is refused (not an EISDIR after the work)',
    setup: (ctx) => {
      const run = copy(ctx.baseRun, ctx);
      const out = path.join(ctx.dir, 'figures');
      fs.mkdirSync(out);
      return { args: ['report', run, '--out', out], names: ['--out', out, 'folder'] };
    },
  },
  {
    id: "simulate --out a user's file",
    area: 'output',
    what: '`rescom simulate --out` naming a file that is not a report is refused before the simulation runs',
    setup: (ctx) => {
      const out = path.join(ctx.dir, 'notes.html');
      fs.writeFileSync(out, 'my notes');
      return { args: ['simulate', '--batches', '10', '--out', out], names: ['--out', out] };
    },
  },
  {
    id: "eval --out with a user's eval-test.json",
    area: 'output',
    what: '`rescom eval --out DIR` where DIR/eval-test.json is not an evaluation is refused before evaluating',
    setup: (ctx) => {
      const out = only(ctx, 'eval-test.json', '{"grade": "A"}');
      return {
        args: ['eval', '--checkpoint', ctx.baseRun, '--out', out],
        names: ['--out', path.join(out, 'eval-test.json')],
      };
    },
  },
  {
    id: "eval --out with a user's per-class-val.csv",
    area: 'output',
    what: 'a per-class CSV rescom did not write is not replaced',
    setup: (ctx) => {
      const out = only(ctx, 'per-class-val.csv', 'name,score\nme,10\n');
      return {
        args: ['eval', '--checkpoint', ctx.baseRun, '--split', 'val', '--out', out],
        names: ['--out', path.join(out, 'per-class-val.csv')],
      };
    },
  },
  {
    id: 'eval --out a file',
    area: 'output',
    what: '`rescom eval --out` naming a file is refused',
    setup: (ctx) => {
      const out = path.join(ctx.dir, 'results.txt');
      fs.writeFileSync(out, 'x');
      return { args: ['eval', '--checkpoint', ctx.baseRun, '--out', out], names: ['--out', out, 'is a file'] };
    },
  },
  {
    id: "ship into a models folder holding a user's folder",
    area: 'output',
    what: '`rescom ship` does not replace a folder that is not a shipped model',
    setup: (ctx) => {
      const models = path.join(ctx.dir, 'models');
      const target = path.join(models, 'fashion-mnist-lt', 'balsfx-s0');
      fs.mkdirSync(target, { recursive: true });
      fs.writeFileSync(path.join(target, 'notes.txt'), 'mine');
      return { args: ['ship', ctx.baseRun, '--models-dir', models], names: [target, 'not a shipped model'] };
    },
  },
  {
    id: 'ship --models-dir a file',
    area: 'output',
    what: '`--models-dir` naming a file is refused',
    setup: (ctx) => {
      const file = path.join(ctx.dir, 'models');
      fs.writeFileSync(file, 'x');
      return { args: ['ship', ctx.baseRun, '--models-dir', file], names: ['--models-dir', file] };
    },
  },
  {
    id: 'demo --out a non-empty folder',
    area: 'output',
    what: '`rescom demo --out` naming a folder with files in it is refused before training',
    setup: (ctx) => {
      const out = only(ctx, 'thesis.tex', 'mine');
      return { args: ['demo', '--epochs', '1', '--out', out], names: ['--out', out] };
    },
  },
  {
    id: 'demo --out a file',
    area: 'output',
    what: '`rescom demo --out` naming a file is refused',
    setup: (ctx) => {
      const out = path.join(ctx.dir, 'demo.txt');
      fs.writeFileSync(out, 'x');
      return { args: ['demo', '--epochs', '1', '--out', out], names: ['--out', out] };
    },
  },
];
