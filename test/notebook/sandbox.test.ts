// The bubblewrap sandbox on its own (src/notebook/sandbox.ts): what a process inside can see and
// do, and that at the time limit nothing it started survives. Each case is one short sandboxed Node.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIBRARY_DIR } from '../../src/notebook/hidden-run';
import { mountArgs, programRoots, runSandboxed, type SandboxSpec } from '../../src/notebook/sandbox';
import { processesWith, sandboxTest, uniqueMarker } from './sandbox-support';
import test from 'ava';

const NODE = process.execPath;

/** Run `script` with Node in a sandbox; its fd-3 output parsed as JSON. */
async function inSandbox(script: string, extra: Partial<SandboxSpec> = {}) {
  const run = await runSandboxed({
    command: [NODE, '-e', script],
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
    readOnly: [{ host: LIBRARY_DIR, inside: '/work/lib' }, ...programRoots([NODE])],
    timeLimitS: 20,
    ...extra,
  });
  let result: unknown = null;
  try {
    result = JSON.parse(run.result.toString('utf8'));
  } catch {
    result = null;
  }
  return { ...run, json: result as Record<string, unknown> };
}

const report = (body: string) =>
  `const fs = require('fs'); const out = {}; ${body}; fs.writeSync(3, JSON.stringify(out));`;

test('mountArgs: read-only system, private tmpfs for /work and /tmp, every namespace, inputs through pipes', (t) => {
  const args = mountArgs({
    command: [],
    env: {},
    readOnly: [{ host: '/srv/lib', inside: '/work/lib' }],
    hide: ['/work/lib/secret'],
    files: [{ path: '/in/a.json', content: '{}' }],
  });
  const text = args.join(' ');
  for (const part of [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop ALL',
    '--ro-bind /usr /usr',
    '--tmpfs /tmp',
    '--tmpfs /work',
    '--ro-bind /srv/lib /work/lib',
    '--tmpfs /work/lib/secret',
    '--ro-bind-data 4 /in/a.json',
    '--proc /proc',
  ])
    t.true(text.includes(part), part);
  t.false(/--bind /.test(text), 'nothing of the host is bound writable');
});

sandboxTest('inside: its own PID namespace, a clean environment, no host folder, read-only grader', async (t) => {
  process.env.TEACHER_SANDBOX_SECRET = 'teacher-secret-4711';
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-classmate-'));
  fs.writeFileSync(path.join(secretDir, 'bob.ipynb'), 'bob');
  try {
    const run = await inSandbox(
      report(`
      out.pid = process.pid;
      out.pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p));
      out.env = process.env;
      out.environs = out.pids.map((p) => { try { return fs.readFileSync('/proc/' + p + '/environ', 'utf8'); } catch (e) { return e.code; } });
      out.root = fs.readdirSync('/').sort();
      out.classmate = fs.existsSync(${JSON.stringify(secretDir)});
      out.repo = fs.existsSync(${JSON.stringify(path.dirname(LIBRARY_DIR))});
      try { fs.writeFileSync('/work/lib/index.js', 'pwned'); out.libWrite = 'written'; } catch (e) { out.libWrite = e.code; }
      try { fs.writeFileSync('/usr/pwned', 'x'); out.usrWrite = 'written'; } catch (e) { out.usrWrite = e.code; }
      fs.writeFileSync('/work/mine.txt', 'ok'); out.workWrite = fs.readFileSync('/work/mine.txt', 'utf8');
      out.uid = process.getuid();`),
    );
    t.is(run.code, 0, run.log);
    const r = run.json;
    t.is(r.pid, 2, 'the command is pid 2 of its own namespace');
    t.deepEqual(r.pids, ['1', '2'], 'no other process is visible');
    t.deepEqual(Object.keys(r.env as object).sort(), ['HOME', 'PATH', 'PWD']);
    t.false(JSON.stringify(r).includes('teacher-secret-4711'), "the grader's environment is out of reach");
    t.false(r.classmate as boolean, "the host's /tmp (a classmate's working copy) is not there");
    t.false(r.repo as boolean, 'the checkout is not there');
    t.is(r.libWrite, 'EROFS');
    t.is(r.usrWrite, 'EROFS');
    t.is(r.workWrite, 'ok', '/work is a writable tmpfs');
    if (process.getuid?.() === 0) t.is(r.uid, 65534, 'run as nobody when the grader is root');
    t.false(fs.existsSync('/work/mine.txt') && fs.readFileSync('/work/mine.txt', 'utf8') === 'ok');
  } finally {
    delete process.env.TEACHER_SANDBOX_SECRET;
    fs.rmSync(secretDir, { recursive: true, force: true });
  }
});

sandboxTest('no network: neither the internet nor a server on the host loopback', async (t) => {
  const server = net.createServer((socket) => socket.end('grader-secret\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const run = await inSandbox(`
      const net = require('net'); const fs = require('fs'); const out = {};
      const attempt = (host, port) => new Promise((resolve) => {
        const s = net.connect({ host, port, timeout: 3000 });
        s.on('data', (d) => resolve('read ' + d));
        s.on('error', (e) => resolve(e.code));
        s.on('timeout', () => resolve('timeout'));
      });
      (async () => {
        out.host = await attempt('127.0.0.1', ${port});
        out.internet = await attempt('1.1.1.1', 80);
        fs.writeSync(3, JSON.stringify(out));
      })();`);
    t.is(run.code, 0, run.log);
    t.is(run.json.host, 'ECONNREFUSED', "the host's loopback is another namespace's");
    t.regex(String(run.json.internet), /ENETUNREACH|EHOSTUNREACH|EACCES|timeout/);
  } finally {
    server.close();
  }
});

sandboxTest('at the time limit the whole namespace dies: loop, fork, detached child holding stderr', async (t) => {
  const marker = uniqueMarker('sandbox-kill');
  const started = Date.now();
  const run = await inSandbox(
    `const cp = require('child_process');
     for (let i = 0; i < 3; i++) cp.spawn(process.execPath, ['-e', 'while (true) {}', '${marker}'], { detached: true, stdio: 'inherit' }).unref();
     cp.spawn('/bin/sh', ['-c', 'sleep 1000; echo ${marker}'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }).unref();
     console.error('children started');
     while (true) {}`,
    { timeLimitS: 3 },
  );
  const seconds = (Date.now() - started) / 1000;
  t.true(run.timedOut);
  t.true(seconds < 3 + 4, `returned ${seconds.toFixed(1)} s after the start (limit 3 s)`);
  t.regex(run.log, /children started/);
  await new Promise((r) => setTimeout(r, 300));
  t.deepEqual(processesWith(marker), [], 'no process survives');
});

sandboxTest('memory is bounded: an allocation past the limit fails inside, the grader goes on', async (t) => {
  const run = await inSandbox(
    report(
      `const keep = []; try { for (let i = 0; i < 40; i++) keep.push(Buffer.alloc(64 * 2 ** 20, 1)); out.allocated = keep.length; } catch (e) { out.error = e.message; }`,
    ),
    { memoryBytes: 512 * 2 ** 20 },
  );
  t.is(run.json?.allocated, undefined, 'it could not allocate 2.5 GiB under a 512 MiB limit');
  t.regex(String(run.json?.error ?? run.log), /allocation failed|Cannot allocate|out of memory|memory/i);
});
