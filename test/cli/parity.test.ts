import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { closeRel } from '../losses/reference';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

function rescom(args: string[]) {
  return spawnSync(process.execPath, ['--import=tsx', MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
}

test('rescom parity --input prints one JSON object matching the PyTorch fixture (C = 100, large output)', (t) => {
  const file = path.join(ROOT, 'test', 'fixtures', 'parity', 'c100-k10-qn400.json');
  const run = rescom(['parity', '--input', file]);
  t.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.is(lines.length, 1);
  const out = JSON.parse(lines[0]);
  t.deepEqual(Object.keys(out).sort(), ['cls_loss', 'con_loss', 'loss', 'queue_after', 'queue_ptr_after']);
  const expected = JSON.parse(readFileSync(file, 'utf8')).expected;
  for (const key of ['cls_loss', 'con_loss', 'loss'])
    t.true(closeRel(out[key], expected[key]), `${key}: ${out[key]} vs ${expected[key]}`);
  t.deepEqual(out.queue_ptr_after, expected.queue_ptr_after);
  t.is(out.queue_after.length, 1000);
});

test('rescom parity without --input exits 2 and says what is missing', (t) => {
  const run = rescom(['parity']);
  t.is(run.status, 2);
  t.regex(run.stderr, /--input <case.json> is required/);
});
