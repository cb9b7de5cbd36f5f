/**
 * kill -9 at the three places where a user's work can be cut: during an epoch, during a checkpoint
 * write and during a download. Each must leave a state that the next command resumes (or reports
 * clearly), and a damaged newest checkpoint must fall back to the previous good one, saying so.
 * Also: backend selection is silent unless asked (`rescom backend` gives the reasons), and no
 * orphans: kill -9 of `rescom demo` takes its training processes down (they watch the IPC
 * channel), data workers are threads that die with their process.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticImageLists } from '../../src/data';
import { readJsonl } from '../../src/train/jsonl-log';
import { LOCK_FILE, readLock } from '../../src/train/run-lock';
import { writeTinyEmbedded } from '../cli/tiny-embedded';
import { tinyArgs } from './cases';
import { MAIN, runCli } from './harness';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-kill-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));
const tinyData = writeTinyEmbedded();
/** Three tiny epochs (one of warm-up). */
const threeEpochs = () => [...tinyArgs(tinyData), '--epochs', '3', '--warmupEpochs', '1'];

function latestEpoch(runDir: string): number {
  try {
    return (JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest.json'), 'utf8')) as { epoch: number })
      .epoch;
  } catch {
    return 0;
  }
}

/** Starts the CLI; SIGKILLs it once `when()` holds (polled); resolves with the signal it ended by. */
function runAndKill(args: string[], when: () => boolean, env: NodeJS.ProcessEnv = {}): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, RESCOM_BACKEND: 'wasm', ...env },
    });
    const timer = setInterval(() => {
      if (when()) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve(signal);
    });
    child.on('error', reject);
  });
}

test.serial('kill -9 during an epoch: --resume continues from the last checkpoint and finishes', async (t) => {
  const run = path.join(root, 'epoch-kill');
  const signal = await runAndKill(['train', ...threeEpochs(), '--run-dir', run], () => latestEpoch(run) >= 1);
  t.is(signal, 'SIGKILL');
  const at = latestEpoch(run);
  t.true(at >= 1 && at < 3, `killed after epoch ${at} of 3`);
  t.false(fs.existsSync(path.join(run, 'test-results.json')));
  const resumed = await runCli(['train', '--run-dir', run, '--resume'], root);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stdout + resumed.stderr, new RegExp(`resuming .*epoch-000${at} after epoch ${at}/3`));
  t.deepEqual(
    readJsonl(path.join(run, 'log.jsonl')).map((r) => r.epoch),
    [1, 2, 3],
  );
  t.true(fs.existsSync(path.join(run, 'test-results.json')));
});

test.serial(
  'kill -9 during a checkpoint write: the half-written folder is removed and the run resumes from the previous one',
  async (t) => {
    const run = path.join(root, 'write-kill');
    // RESCOM_FAULT makes the process SIGKILL itself inside epoch 2's checkpoint write (weights and
    // state.bin written to the temporary folder, state.json not yet).
    const signal = await runAndKill(['train', ...threeEpochs(), '--run-dir', run], () => false, {
      RESCOM_FAULT: 'checkpoint-write:2',
    });
    t.is(signal, 'SIGKILL');
    const left = fs.readdirSync(path.join(run, 'checkpoints'));
    t.true(
      left.some((e) => /^\.epoch-0002\.tmp-/.test(e)),
      `a temporary folder is left: ${left.join(', ')}`,
    );
    t.false(left.includes('epoch-0002'));
    t.is(latestEpoch(run), 1);
    const resumed = await runCli(['train', '--run-dir', run, '--resume'], root);
    t.is(resumed.code, 0, resumed.stderr);
    t.regex(resumed.stderr, /removed 1 temporary file\(s\) of an interrupted write: .*\.epoch-0002\.tmp-/);
    t.regex(resumed.stdout + resumed.stderr, /resuming .*epoch-0001 after epoch 1\/3/);
    t.false(
      fs.readdirSync(path.join(run, 'checkpoints')).some((e) => e.startsWith('.')),
      'no temporaries remain',
    );
    t.deepEqual(
      readJsonl(path.join(run, 'log.jsonl')).map((r) => r.epoch),
      [1, 2, 3],
    );
  },
);

test.serial('a damaged newest checkpoint falls back to the previous good one, saying so', async (t) => {
  const run = path.join(root, 'fallback');
  const first = await runCli(['train', ...threeEpochs(), '--run-dir', run, '--stop-after-epochs', '2'], root);
  t.is(first.code, 0, first.stderr);
  const weights = path.join(run, 'checkpoints', 'epoch-0002', 'weights.bin');
  fs.writeFileSync(weights, fs.readFileSync(weights).subarray(0, 1000));
  const resumed = await runCli(['train', '--run-dir', run, '--resume'], root);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(
    resumed.stderr,
    /checkpoint damaged: .*epoch-0002\/weights.bin' has 1000 bytes.*falling back to .*epoch-0001/,
  );
  t.regex(resumed.stdout + resumed.stderr, /resuming .*epoch-0001 after epoch 1\/3/);
  t.deepEqual(
    readJsonl(path.join(run, 'log.jsonl')).map((r) => r.epoch),
    [1, 2, 3],
    'epoch 2 trained again, the log rewritten',
  );
});

test.serial(
  'kill -9 during a download leaves no file under the final name; the next run removes the partial file and completes',
  async (t) => {
    const body = Buffer.alloc(4 << 20, 7);
    const sha256 = createHash('sha256').update(body).digest('hex');
    let stall = true;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(body.length) });
      if (stall)
        res.write(body.subarray(0, 256 << 10)); // then nothing: the client waits
      else res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.closeAllConnections());
    t.teardown(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.tar.gz`;
    const dest = path.join(root, 'download', 'data.tar.gz');
    const lib = path.join(__dirname, '..', '..', 'lib', 'data', 'download.js');
    const script = `require(${JSON.stringify(lib)}).downloadVerified({ url: ${JSON.stringify(url)}, dest: ${JSON.stringify(dest)}, checksum: { sha256: '${sha256}' } }).then(() => console.log('done'), (e) => { console.error(e.message); process.exit(1); })`;
    const partials = () =>
      fs.existsSync(path.dirname(dest)) ? fs.readdirSync(path.dirname(dest)).filter((e) => e.endsWith('.part')) : [];
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
      const timer = setInterval(() => {
        const part = partials()[0];
        if (part && fs.statSync(path.join(path.dirname(dest), part)).size >= 256 << 10) child.kill('SIGKILL');
      }, 10);
      child.on('exit', (_c, s) => {
        clearInterval(timer);
        resolve(s);
      });
    });
    t.is(signal, 'SIGKILL');
    t.false(fs.existsSync(dest), 'nothing under the final name');
    t.is(partials().length, 1, 'the partial download is left as a .part file');
    stall = false;
    const again = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.stderr.on('data', (d: Buffer) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    t.is(again.code, 0, again.out);
    t.regex(again.out, /removed the partial download of an interrupted run: .*data\.tar\.gz\.\d+\.\w+\.part/);
    t.is(createHash('sha256').update(fs.readFileSync(dest)).digest('hex'), sha256);
    t.deepEqual(partials(), []);
  },
);

test('backend selection prints no native warnings; rescom backend says why the others were passed over', async (t) => {
  const result = await runCli(['backend'], root, { RESCOM_BACKEND: '' });
  t.is(result.code, 0);
  t.is(result.stderr, '', 'nothing on stderr');
  t.regex(result.stdout, /^backend=\w+/);
  t.regex(result.stdout, /not webgpu: /);
});

/** Pids of the processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
/** Whether `pid` runs (a zombie has exited: its 'exit' handlers ran). */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
async function waitFor(what: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
    if (what()) return true;
  return what();
}

test.serial('kill -9 of rescom demo takes its training processes down with it (no orphans)', async (t) => {
  const out = path.join(root, 'demo');
  const demo = spawn(process.execPath, [MAIN, 'demo', '--epochs', '4', '--out', out], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, RESCOM_BACKEND: 'wasm' },
  });
  const exited = new Promise((resolve) => demo.on('exit', resolve));
  // Each training child locks its run folder (src/train/run-lock.ts): its pid is in the lock.
  const locks = ['balsfx', 'rescom'].map((m) => path.join(out, m));
  t.true(await waitFor(() => locks.every((dir) => readLock(dir) !== null), 120_000), 'both children started');
  const children = locks.map((dir) => readLock(dir)!.pid);
  t.deepEqual(childrenOf(demo.pid!).sort(), [...children].sort(), 'the two training processes are the demo children');
  demo.kill('SIGKILL');
  await exited;
  const gone = await waitFor(() => children.every((pid) => !alive(pid)), 20_000);
  t.true(gone, `training processes ${children.join(', ')} still running after the demo was killed`);
  if (!gone) for (const pid of children) if (alive(pid)) process.kill(pid, 'SIGKILL');
  t.deepEqual(
    locks.filter((dir) => fs.existsSync(path.join(dir, LOCK_FILE))),
    [],
    'they exited through process.exit: their locks are released',
  );
});

test.serial('data workers are threads of the training process: kill -9 of it leaves no process behind', async (t) => {
  const data = path.join(root, 'list-data');
  await writeSyntheticImageLists({
    dir: data,
    format: 'imagenet-lt',
    numClasses: 4,
    nMax: 8,
    imbalanceFactor: 2,
    testPerClass: 1,
    sideRange: [36, 40],
    seed: 3,
  });
  const run = path.join(root, 'list-run');
  const args = [
    'train',
    '--config',
    'imagenet-lt',
    '--dataDir',
    data,
    '--run-dir',
    run,
    '--imageSize',
    '32',
    '--batchSize',
    '4',
    '--epochs',
    '50',
    '--warmupEpochs',
    '0',
    '--valFraction',
    '0',
    '--queuePerClass',
    '2',
    '--selectNumNeg',
    '4',
    '--projectionDim',
    '8',
    '--workers',
    '2',
  ];
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, RESCOM_BACKEND: 'wasm' },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.true(await waitFor(() => readLock(run) !== null, 120_000), 'training started');
  // Give the pool time to start its workers: they show as threads of the process, not as processes.
  t.true(await waitFor(() => fs.readdirSync(`/proc/${child.pid}/task`).length >= 4, 60_000), 'worker threads running');
  t.deepEqual(childrenOf(child.pid!), [], 'no child process to orphan');
  child.kill('SIGKILL');
  await exited;
  t.false(alive(child.pid!), 'the process and its threads are gone');
});
