/**
 * One writer per run folder (src/train/run-lock.ts) and consistent reads (src/train/run-read.ts):
 * the lock names its holder, refuses a second writer (another process), takes over a stale one,
 * is shared within a process, and tells a reader when a group of writes is under way. Two real
 * `rescom train` on one folder: the second is refused, the first's log stays 1, 2, 3.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readJsonl } from '../../src/train/jsonl-log';
import {
  LOCK_FILE,
  acquireRunLock,
  checkRunLockFree,
  lockHolderState,
  processStartTicks,
  readLock,
} from '../../src/train/run-lock';
import { readRunConsistently, runFolderOf } from '../../src/train/run-read';
import { writeTinyEmbedded } from '../cli/tiny-embedded';
import { tinyArgs } from './case-kit';
import { MAIN, runCli } from './harness';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-lock-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));
const LIB_LOCK = path.join(__dirname, '..', '..', 'lib', 'train', 'run-lock.js');

/** Runs a node script (CommonJS, the compiled library) and resolves with its exit code and output. */
function node(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test.serial('the lock names its holder, is shared in-process and released with the last handle', (t) => {
  const run = path.join(root, 'a', 'run');
  const lock = acquireRunLock({ runDir: run, command: 'test', log: null });
  const info = readLock(run)!;
  t.like(info, { pid: process.pid, host: os.hostname(), command: 'test', generation: 0, writing: false });
  t.is(info.processStart, processStartTicks(process.pid));
  t.is(lockHolderState(info), 'alive');
  const again = acquireRunLock({ runDir: run, command: 'test', log: null });
  t.notThrows(() => checkRunLockFree(run, 'x'), 'this process holds it');
  again.release();
  t.true(fs.existsSync(path.join(run, LOCK_FILE)), 'still held by the first handle');
  lock.release();
  t.false(fs.existsSync(run), 'the folder the lock created, still empty, is removed');
  t.true(fs.existsSync(path.join(root, 'a')) === false, 'and the parent it created');
});

test.serial('another process is refused naming the holder; a stale lock is taken over with a note', async (t) => {
  const run = path.join(root, 'b');
  const lock = acquireRunLock({ runDir: run, command: 'rescom train', log: null });
  const script = `try { require(${JSON.stringify(LIB_LOCK)}).acquireRunLock({ runDir: ${JSON.stringify(run)}, command: 'second', who: 'second' }); console.log('acquired'); } catch (e) { console.log(e.message); process.exit(1); }`;
  const refused = await node(script);
  t.is(refused.code, 1);
  t.regex(
    refused.out,
    new RegExp(
      `^second: run folder '${run}' is being written by pid ${process.pid} on host ${os.hostname()} since .* \\(rescom train\\); wait for it`,
    ),
  );
  lock.release();
  // A holder that is gone: a pid no process has (a child that exited), then a reused pid
  // (this process's pid with another start time).
  const gone = await node('console.log(process.pid)');
  for (const stale of [
    { pid: Number(gone.out.trim()), processStart: null },
    { pid: process.pid, processStart: (processStartTicks(process.pid) ?? 0) + 1 },
  ]) {
    fs.mkdirSync(run, { recursive: true });
    const info = {
      format: 'rescom-lock/1',
      host: os.hostname(),
      started: 'then',
      command: 'old',
      generation: 7,
      writing: true,
      ...stale,
    };
    fs.writeFileSync(path.join(run, LOCK_FILE), JSON.stringify(info));
    t.is(lockHolderState(info as never), 'gone');
    const taken = await node(script.replace("console.log('acquired')", "console.log('acquired'); process.exit(0)"));
    t.is(taken.code, 0, taken.out);
    t.regex(
      taken.out,
      new RegExp(`took over the lock of pid ${stale.pid} on host .* since then \\(old\\): that process is gone`),
    );
    t.regex(taken.out, /acquired/);
    t.false(fs.existsSync(path.join(run, LOCK_FILE)), 'the taker released it on exit');
  }
});

test.serial('a reader never sees a group of writes half-done', async (t) => {
  // The writer (another process) keeps x.txt and y.txt equal, writing them one after the other
  // inside lock.write; without the protocol a reader sees them differ about half the time.
  const run = path.join(root, 'c');
  fs.mkdirSync(run);
  fs.writeFileSync(path.join(run, 'x.txt'), '0');
  fs.writeFileSync(path.join(run, 'y.txt'), '0');
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('fs'); const path = require('path');
       const lock = require(${JSON.stringify(LIB_LOCK)}).acquireRunLock({ runDir: ${JSON.stringify(run)}, command: 'writer', log: null });
       const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
       let k = 0;
       (async () => { for (;;) { k++; await lock.write(() => { fs.writeFileSync(path.join(${JSON.stringify(run)}, 'x.txt'), String(k)); sleep(8); fs.writeFileSync(path.join(${JSON.stringify(run)}, 'y.txt'), String(k)); }); sleep(1); await new Promise((r) => setImmediate(r)); } })();`,
    ],
    { stdio: 'ignore' },
  );
  t.teardown(() => writer.kill('SIGKILL'));
  while (!readLock(run)) await new Promise((r) => setTimeout(r, 10));
  const read = () => [
    fs.readFileSync(path.join(run, 'x.txt'), 'utf8'),
    fs.readFileSync(path.join(run, 'y.txt'), 'utf8'),
  ];
  const pause = () => new Promise((r) => setTimeout(r, 1));
  let rawMismatches = 0;
  for (let i = 0; i < 100; i++, await pause()) {
    const [x, y] = read();
    if (x !== y) rawMismatches++;
  }
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++, await pause()) {
    const [cx, cy] = readRunConsistently(run, read, { timeoutMs: 10_000 });
    t.is(cx, cy, `consistent read ${i}`);
    seen.add(cx);
  }
  t.log(`plain reads that saw a half-done write: ${rawMismatches} of 100; consistent reads saw ${seen.size} states`);
  t.true(rawMismatches > 0, 'the writer does overlap plain reads (else the test proves nothing)');
  t.true(seen.size > 1, 'and the consistent reads followed it');
});

test('runFolderOf finds the run folder of a checkpoint location', (t) => {
  const run = path.join(root, 'd');
  fs.mkdirSync(path.join(run, 'checkpoints', 'epoch-0001'), { recursive: true });
  t.is(runFolderOf(run), run);
  t.is(runFolderOf(path.join(run, 'checkpoints')), run);
  t.is(runFolderOf(path.join(run, 'checkpoints', 'epoch-0001')), run);
});

test.serial(
  'two rescom train on one run folder: the second is refused, the first ends with epochs 1, 2, 3',
  async (t) => {
    const data = writeTinyEmbedded();
    const run = path.join(root, 'two-writers');
    const args = ['train', ...tinyArgs(data), '--epochs', '3', '--run-dir', run];
    const first = spawn(process.execPath, [MAIN, ...args], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, RESCOM_BACKEND: 'wasm' },
    });
    const firstDone = new Promise<number | null>((resolve) => first.on('exit', resolve));
    while (!readLock(run)) await new Promise((r) => setTimeout(r, 20));
    const second = await runCli(args, root);
    const resumed = await runCli(['train', '--run-dir', run, '--resume'], root);
    t.is(await firstDone, 0);
    for (const result of [second, resumed]) {
      // Unless the first finished in between (then: a checkpoint exists / nothing left to do).
      if (result.code === 0) continue;
      t.is(result.stderr.trim().split('\n').length, 1, result.stderr);
      t.regex(result.stderr, new RegExp(`is being written by pid ${first.pid} |already holds a checkpoint`));
    }
    t.is(second.code, 1, 'a fresh run on it is refused either way');
    t.deepEqual(
      readJsonl(path.join(run, 'log.jsonl')).map((r) => r.epoch),
      [1, 2, 3],
    );
    t.false(fs.existsSync(path.join(run, LOCK_FILE)), 'released at the end');
  },
);
