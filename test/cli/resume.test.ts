import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainCommand } from '../../src/cli/commands/train';
import { findCheckpoint, readJsonl } from '../../src/train';
import { useTestBackend } from '../helpers/backend';
import { tinyOverrides, writeTinyEmbedded } from './tiny-embedded';

let dataDir = '';
test.before(async () => {
  await useTestBackend();
  dataDir = writeTinyEmbedded();
});

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

function latestEpoch(runDir: string): number {
  const pointer = path.join(runDir, 'checkpoints', 'latest.json');
  return fs.existsSync(pointer) ? (JSON.parse(fs.readFileSync(pointer, 'utf8')) as { epoch: number }).epoch : 0;
}

/** Starts `rescom train` in a child process and SIGKILLs it as soon as epoch 1 is checkpointed. */
function trainAndKill(args: string[], runDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', MAIN, 'train', ...args], { stdio: 'ignore' });
    const timer = setInterval(() => {
      const epoch = latestEpoch(runDir);
      if (epoch >= 1) {
        // Resolved on exit: the next command must find the process gone (its run lock stale).
        child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(latestEpoch(runDir));
    });
    child.on('error', reject);
  });
}

const silent = async (f: () => Promise<number>) => {
  const original = console.log;
  console.log = () => {};
  try {
    return await f();
  } finally {
    console.log = original;
  }
};

test('a run killed mid-way and resumed ends with the same weights as an uninterrupted run', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-resume-'));
  const args = ['--config', 'fashion-mnist-lt', '--method', 'rescom', ...tinyOverrides(dataDir)];
  const whole = path.join(root, 'whole');
  const killed = path.join(root, 'killed');
  t.is(await silent(() => trainCommand.run([...args, '--run-dir', whole])), 0);
  const epochAtKill = await trainAndKill([...args, '--run-dir', killed], killed);
  t.log(`killed with ${epochAtKill} of 3 epochs checkpointed`);
  t.true(epochAtKill >= 1 && epochAtKill < 3, 'the child was killed before the run ended');
  t.false(fs.existsSync(path.join(killed, 'test-results.json')));
  // Resume with the run folder only: the checkpoint's own config is used.
  t.is(await silent(() => trainCommand.run(['--run-dir', killed, '--resume'])), 0);
  const a = fs.readFileSync(path.join(findCheckpoint(whole)!, 'weights.bin'));
  const b = fs.readFileSync(path.join(findCheckpoint(killed)!, 'weights.bin'));
  t.true(a.equals(b), 'model weights are bit-identical');
  const stateA = JSON.parse(fs.readFileSync(path.join(findCheckpoint(whole)!, 'state.json'), 'utf8')).state;
  const stateB = JSON.parse(fs.readFileSync(path.join(findCheckpoint(killed)!, 'state.json'), 'utf8')).state;
  t.deepEqual(stateB.rng, stateA.rng);
  t.deepEqual(stateB.criterion, stateA.criterion, 'same queue');
  t.deepEqual(
    readJsonl(path.join(killed, 'log.jsonl')).map((r) => r.loss),
    readJsonl(path.join(whole, 'log.jsonl')).map((r) => r.loss),
  );
  const testA = JSON.parse(fs.readFileSync(path.join(whole, 'test-results.json'), 'utf8'));
  const testB = JSON.parse(fs.readFileSync(path.join(killed, 'test-results.json'), 'utf8'));
  t.deepEqual(testB.result.confusion, testA.result.confusion);
});

test('--resume with overrides that differ from the checkpoint is refused naming the fields', async (t) => {
  const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-refuse-')), 'run');
  const args = ['--config', 'fashion-mnist-lt', '--method', 'balsfx', ...tinyOverrides(dataDir), '--run-dir', runDir];
  t.is(await silent(() => trainCommand.run([...args, '--stop-after-epochs', '1'])), 0);
  await t.throwsAsync(
    silent(() => trainCommand.run([...args, '--resume', '--lr', '0.2', '--method', 'rescom'])),
    {
      message:
        /another config \(method: checkpoint "balsfx", requested "rescom"; lr: checkpoint 0\.05, requested 0\.2\)/,
    },
  );
});
