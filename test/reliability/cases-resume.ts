/**
 * Resumes keep their promise or say why not (#26): another backend line (engine, threads, oneDNN),
 * a field that changes training (on the command line, or edited in state.json / config.json), or
 * other data under a moved --dataDir are refused, naming what differs and what to do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonl } from '../../src/train/jsonl-log';
import { type BadInputCase, type CaseContext } from './case-kit';
import { copyTree } from './harness';

/** A copy of the run stopped after epoch 1 of 2. */
function partial(ctx: CaseContext): string {
  const run = path.join(ctx.dir, 'run');
  copyTree(ctx.partialRun, run);
  return run;
}
/** The thread count the partial run trained with, read from its log's backend line. */
function trainedThreads(ctx: CaseContext): number {
  const line = String(readJsonl(path.join(ctx.partialRun, 'log.jsonl'))[0].backend ?? '');
  return Number(/threads=(\d+)/.exec(line)?.[1] ?? 1);
}
function editJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  fs.writeFileSync(file, JSON.stringify(value));
}
const resume = (run: string, ...more: string[]) => ['train', '--run-dir', run, '--resume', ...more];

export const RESUME_CASES: BadInputCase[] = [
  {
    id: 'resume with another thread count',
    area: 'resume',
    what: 'used to give other weights silently; refused unless --allow-backend-change, naming the change',
    setup: (ctx) => {
      const run = partial(ctx);
      const now = trainedThreads(ctx) === 1 ? 2 : 1;
      return {
        args: resume(run, '--threads', String(now)),
        names: [run, `threads ${trainedThreads(ctx)} -> ${now}`, '--allow-backend-change'],
      };
    },
  },
  {
    id: 'resume with oneDNN turned off',
    area: 'resume',
    what: 'a run that trained with the oneDNN addon resumed with RESCOM_ONEDNN=0 is refused (skipped where the addon is absent: then nothing differs)',
    setup: (ctx) => {
      const run = partial(ctx);
      const line = String(readJsonl(path.join(ctx.partialRun, 'log.jsonl'))[0].backend ?? '');
      const used = /onednn=\d/.test(line);
      // Without the addon both lines say oneDNN is not used: then ask for another thread count instead.
      return used
        ? { args: resume(run), names: [run, 'onednn', '-> none'], env: { RESCOM_ONEDNN: '0' } }
        : {
            args: resume(run, '--threads', trainedThreads(ctx) === 1 ? '2' : '1'),
            names: [run, '--allow-backend-change'],
          };
    },
  },
  {
    id: 'resume with state.json config edited (epochs 2 -> 3)',
    area: 'resume',
    what: 'a valid edit of the config stored in the checkpoint (used to be accepted silently) is refused: state.json is checksummed',
    setup: (ctx) => {
      const run = partial(ctx);
      const file = path.join(run, 'checkpoints', 'epoch-0001', 'state.json');
      editJson(file, (saved) => ((saved.state as { config: { epochs: number } }).config.epochs = 3));
      return { args: resume(run), names: [file, 'edited'] };
    },
  },
  {
    id: 'resume with config.json edited (lr)',
    area: 'resume',
    what: "an edit of the run's config.json (a training field) is refused, naming the file and the field",
    setup: (ctx) => {
      const run = partial(ctx);
      const file = path.join(run, 'config.json');
      editJson(file, (config) => (config.lr = 0.5));
      return { args: resume(run), names: [file, 'lr'] };
    },
  },
  {
    id: 'resume --lr 0.2 (no --config)',
    area: 'resume',
    what: "a training field given at resume is refused naming it (used to be compared with another config's defaults: a misleading batch-size error)",
    setup: (ctx) => {
      const run = partial(ctx);
      return { args: resume(run, '--lr', '0.2'), names: [run, 'lr: checkpoint 0.05, requested 0.2'] };
    },
  },
  {
    id: 'resume --batchSize 16',
    area: 'resume',
    what: 'the batch size changes what is trained: refused at resume',
    setup: (ctx) => {
      const run = partial(ctx);
      return { args: resume(run, '--batchSize', '16'), names: [run, 'batchSize'] };
    },
  },
  {
    id: 'resume --dataDir with other data',
    area: 'resume',
    what: 'a moved --dataDir may change at resume, but it must hold the data the run trained on (fingerprint)',
    setup: (ctx) => {
      const run = partial(ctx);
      const other = path.join(ctx.dir, 'moved-data');
      copyTree(ctx.otherData, other);
      return { args: resume(run, '--dataDir', other), names: [run, other, '--dataDir'] };
    },
  },
  {
    id: 'resume --dataDir missing',
    area: 'resume',
    what: 'a --dataDir that does not exist is named',
    setup: (ctx) => {
      const run = partial(ctx);
      const missing = path.join(ctx.dir, 'nowhere');
      return { args: resume(run, '--dataDir', missing), names: [missing] };
    },
  },
  {
    id: 'resume --allow-backend-change without --resume',
    area: 'resume',
    what: 'the flag means nothing on a fresh run: refused rather than ignored',
    setup: (ctx) => ({
      args: ['train', '--run-dir', path.join(ctx.dir, 'run'), '--allow-backend-change'],
      names: ['--allow-backend-change', '--resume'],
    }),
  },
];
