/**
 * Resumes keep their promise or say why not: what a resume may change is accepted and said (a
 * moved --dataDir holding the same data, another --evalBatchSize, another backend with
 * --allow-backend-change, recorded in the log); an edited newest checkpoint is refused rather than
 * silently replaced by the one before it. The refusals themselves are bad-input cases
 * (cases-resume.ts).
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { numericsDifferences, parseBackendLine } from '../../src/train/backend-numerics';
import { readJsonl } from '../../src/train/jsonl-log';
import { writeTinyEmbedded } from '../cli/tiny-embedded';
import { tinyArgs } from './case-kit';
import { copyTree, fingerprint, runCli } from './harness';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-resume-promise-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));
const data = writeTinyEmbedded();
/** A run of 3 epochs stopped after 2 (two checkpoints kept). */
const base = path.join(root, 'base');
const made = runCli(['train', ...tinyArgs(data), '--epochs', '3', '--stop-after-epochs', '2', '--run-dir', base], root);
async function copyOfBase(name: string): Promise<string> {
  const result = await made;
  if (result.code !== 0) throw new Error(result.stderr);
  const run = path.join(root, name);
  copyTree(base, run);
  return run;
}
const threadsOf = (run: string) =>
  Number(/threads=(\d+)/.exec(String(readJsonl(path.join(run, 'log.jsonl'))[0].backend))?.[1]);

test('numericsDifferences: the fields that decide the numbers, oneDNN off = absent, the CPU only with oneDNN', (t) => {
  const line = (threads: number, onednn: string) =>
    `backend=wasm simd=yes threads=${threads} training-kernels=A+B onednn=${onednn}`;
  t.deepEqual(parseBackendLine(line(2, '"off (RESCOM_ONEDNN=0)"')), {
    backend: 'wasm',
    simd: 'yes',
    threads: '2',
    'training-kernels': 'A+B',
    onednn: '"off (RESCOM_ONEDNN=0)"',
  });
  const stamp = (threads: number, onednn: string, cpu: string) => ({ line: line(threads, onednn), cpu });
  t.deepEqual(numericsDifferences(stamp(2, '2.6.3', 'A'), stamp(2, '2.6.3', 'A')), []);
  t.deepEqual(numericsDifferences(stamp(2, '2.6.3', 'A'), stamp(1, '2.6.3', 'A')), ['threads 2 -> 1']);
  t.deepEqual(numericsDifferences(stamp(2, '"off (RESCOM_ONEDNN=0)"', 'A'), stamp(2, '"absent (not built)"', 'B')), []);
  t.deepEqual(numericsDifferences(stamp(2, '2.6.3', 'EPYC'), stamp(2, '"absent (x)"', 'EPYC')), [
    'onednn 2.6.3 -> none',
  ]);
  t.deepEqual(numericsDifferences(stamp(2, '2.6.3', 'EPYC'), stamp(2, '2.6.3', 'Xeon')), [
    "cpu (oneDNN picks kernels per CPU) 'EPYC' -> 'Xeon'",
  ]);
  t.deepEqual(numericsDifferences({ line: null, cpu: null }, stamp(1, '2.6.3', 'A')), [], 'unknown: not compared');
});

test('--allow-backend-change resumes on another thread count, says so and records it in the log', async (t) => {
  const run = await copyOfBase('backend-change');
  const trained = threadsOf(run);
  const other = trained === 1 ? 2 : 1;
  const result = await runCli(
    ['train', '--run-dir', run, '--resume', '--threads', String(other), '--allow-backend-change'],
    root,
  );
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout + result.stderr, new RegExp(`resuming on other numerics \\(threads ${trained} -> ${other}\\)`));
  const log = readJsonl(path.join(run, 'log.jsonl'));
  t.deepEqual(
    log.map((r) => r.epoch),
    [1, 2, 3],
  );
  t.is(log[1].backendChange, undefined);
  t.like(log[2].backendChange, { differences: [`threads ${trained} -> ${other}`] });
  t.regex(String((log[2].backendChange as { to: string }).to), new RegExp(`threads=${other}`));
});

test('a moved dataset resumes: --dataDir and --evalBatchSize may change when the data is the same', async (t) => {
  const run = await copyOfBase('moved');
  const moved = path.join(root, 'moved-data');
  copyTree(data, moved);
  const result = await runCli(
    ['train', '--run-dir', run, '--resume', '--dataDir', moved, '--evalBatchSize', '4'],
    root,
  );
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stdout + result.stderr,
    /resuming with dataDir: checkpoint ".*", requested ".*moved-data"; evalBatchSize: checkpoint 16, requested 4/,
  );
  const config = JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8'));
  t.is(config.dataDir, moved);
  t.deepEqual(
    readJsonl(path.join(run, 'log.jsonl')).map((r) => r.epoch),
    [1, 2, 3],
  );
});

test('an edited newest checkpoint is refused, not replaced by the one before it', async (t) => {
  const run = await copyOfBase('edited');
  const file = path.join(run, 'checkpoints', 'epoch-0002', 'state.json');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  saved.state.config.epochs = 4;
  fs.writeFileSync(file, JSON.stringify(saved));
  const before = fingerprint(run);
  const result = await runCli(['train', '--run-dir', run, '--resume'], root);
  t.is(result.code, 1);
  t.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  t.true(result.stderr.includes(`'${file}' was edited after it was written`), result.stderr);
  t.notRegex(result.stderr, /falling back/);
  t.deepEqual(fingerprint(run), before, 'nothing changed');
});
