/**
 * Environment variables fail closed (#26): a value outside what a variable accepts, or a RESCOM_*
 * name rescom does not read (a typo), stops the command in one line naming the variable and the
 * value, before anything is read or written; never a silent fallback to another path.
 */
import * as path from 'node:path';
import { tinyArgs, type BadInputCase } from './case-kit';

const envCase = (
  name: string,
  value: string,
  what: string,
  command: 'train' | 'backend' | 'eval' | 'demo' = 'train',
  names: string[] = [name, `'${value}'`],
): BadInputCase => ({
  id: `${name}=${value} rescom ${command}`,
  area: 'environment',
  what,
  setup: (ctx) => ({
    args:
      command === 'train'
        ? ['train', ...tinyArgs(ctx.tinyData), '--run-dir', path.join(ctx.dir, 'run')]
        : command === 'eval'
          ? ['eval', '--checkpoint', ctx.baseRun]
          : command === 'demo'
            ? ['demo', '--epochs', '1', '--out', path.join(ctx.dir, 'demo')]
            : ['backend'],
    names,
    env: { [name]: value },
  }),
});

export const ENVIRONMENT_CASES: BadInputCase[] = [
  envCase('RESCOM_ONEDNN', '2', 'used to pass over wasm to the pure-JS cpu backend (12x slower), exit 0'),
  envCase('RESCOM_ONEDNN', '2', '`rescom backend` says why instead of reporting the cpu backend', 'backend'),
  envCase('RESCOM_DECODER', 'bogus', 'used to be ignored (sharp or js decided without a word)'),
  envCase('RESCOM_DECODER', 'JS', 'values are case-sensitive: JS is not js'),
  envCase('RESCOM_WASM_DX', 'fast', 'used to be ignored (auto)'),
  envCase('RESCOM_DEBUG', 'no', 'used to turn debugging ON (any non-empty value)', 'backend'),
  envCase('RESCOM_THREADS', '0x2', 'a hexadecimal thread count'),
  envCase('RESCOM_THREADS', '9', 'more threads than the wasm pool has', 'backend'),
  envCase('RESCOM_BACKEND', 'gpu', 'an unknown backend name', 'backend'),
  envCase('RESCOM_PIXELS', 'on', 'a switch that is neither 0 nor 1'),
  envCase('RESCOM_DATA_WORKERS', '-1', 'a negative worker count'),
  envCase('RESCOM_DATA_WORKERS', '1e2', 'a worker count in exponent notation'),
  envCase('RESCOM_QUICK', 'maybe', 'the notebooks switch used to read anything but 0/false as on', 'backend'),
  envCase('RESCOM_FAULT', 'checkpoint-write', 'the kill -9 test hook without its epoch', 'backend'),
  envCase('RESCOM_BENCH_STEPS', '1e3', 'a benchmark count in exponent notation', 'backend'),
  envCase('RESCOM_THREAD', '2', 'a misspelt variable (used to be ignored) names the closest, RESCOM_THREADS', 'train', [
    'RESCOM_THREAD',
    'RESCOM_THREADS',
  ]),
  envCase('RESCOM_ONEDN', '0', 'a misspelt switch names RESCOM_ONEDNN', 'eval', ['RESCOM_ONEDN', 'RESCOM_ONEDNN']),
  envCase('RESCOM_THREADS', 'all', 'demo: a bad value stops the demo before any child starts', 'demo', [
    'RESCOM_THREADS',
  ]),
  {
    id: "train --backend ''",
    area: 'options',
    what: 'an empty --backend used to mean auto (a silent fallback); refused with the valid names',
    setup: (ctx) => ({
      args: ['train', ...tinyArgs(ctx.tinyData), '--run-dir', path.join(ctx.dir, 'run'), '--backend', ''],
      names: ['--backend', "''"],
    }),
  },
  {
    id: "eval --backend ''",
    area: 'options',
    what: 'the same for rescom eval',
    setup: (ctx) => ({ args: ['eval', '--checkpoint', ctx.baseRun, '--backend', ''], names: ['--backend', "''"] }),
  },
];
