// The attacks of issue #24, each tried by a malicious submission graded in a class folder with an
// honest classmate: the grader's files stay unchanged and keep grading right, the classmate's
// notebook and grade stay unchanged, the teacher's environment and the host's network are out of
// reach, and no process survives a loop, a fork or a detached child (hidden tests and Jupyter run).
import test from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Notebook } from '../../src/notebook';
import { findJupyterPython, readNotebook, sourceText, writeNotebook } from '../../src/notebook';
import { gradeSubmissions, loadReleasedExercise } from '../../src/notebook/grader';
import { LIBRARY_DIR, REPO_DIR } from '../../src/notebook/hidden-run';
import { processesWith, sandboxTest, uniqueMarker } from './sandbox-support';

const notebooks = path.join(REPO_DIR, 'notebooks');
const released03 = loadReleasedExercise(path.join(notebooks, '03-balanced-softmax.exercise.ipynb'));
const solution03 = readNotebook(path.join(notebooks, '03-balanced-softmax.ipynb'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-attacks-'));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

const clone = (nb: Notebook): Notebook => JSON.parse(JSON.stringify(nb));
const byId = (nb: Notebook, id: string) => nb.cells.find((c) => c.id === id)!;

/** The released exercise with every answer cell solved, then `overrides` (cell id -> source). */
function submission(overrides: Record<string, string> = {}): Notebook {
  const nb = clone(released03.notebook);
  for (const e of released03.suite.exercises) byId(nb, e.cell).source = sourceText(byId(solution03, e.cell));
  for (const [id, source] of Object.entries(overrides)) byId(nb, id).source = source;
  return nb;
}

/** sha256 of every file under `dir` (relative path -> hash). */
function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile())
        out.set(path.relative(dir, full), createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const LOG_PRIOR = 'exercise-log-prior';
const SOLVED_LOG_PRIOR = sourceText(byId(solution03, LOG_PRIOR));

sandboxTest('a malicious submission changes no grader file, no classmate, sees no secret and no network', async (t) => {
  const folder = path.join(scratch, 'class');
  fs.mkdirSync(folder);
  const bobFile = path.join(folder, 'bob.ipynb');
  writeNotebook(bobFile, submission());
  const bobBefore = fs.readFileSync(bobFile, 'utf8');
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.end('grader-secret\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const secret = `teacher-token-${process.pid}`;
  process.env.TEACHER_ATTACK_SECRET = secret;
  // Every trick of the issue in one cell: patch the grader (by its real path and through the sandbox's
  // lib and node_modules), rewrite the classmate's notebook (by its path and by a search of /proc),
  // read the teacher's environment, reach a server on the grader's loopback.
  const attack = `
// The hidden tests refuse require('fs'); the library's own file helpers and fetch are tried as well.
const fsx: any = (() => { try { return require('fs'); } catch { return null; } })();
const write = (file: string, text: string) => {
  try { if (fsx) fsx.writeFileSync(file, text); else rc.util.writeFileAtomic(file, text); return 'written'; } catch (e) { return (e as any).code; }
};
const read = (file: string) => { try { return fsx ? fsx.readFileSync(file, 'utf8') : rc.util.readFileChecked(file, 'x').toString(); } catch { return ''; } };
const pids = () => { try { return fsx.readdirSync('/proc').filter((p: string) => /^\\d+$/.test(p)); } catch { return Array.from({ length: 50 }, (_, i) => String(i + 1)); } };
for (const target of [${JSON.stringify(path.join(LIBRARY_DIR, 'notebook', 'hidden-tests.js'))}, '/work/lib/notebook/hidden-tests.js',
  '/work/node_modules/@tensorflow/tfjs/package.json', ${JSON.stringify(path.join(REPO_DIR, 'package.json'))}]) write(target, 'module.exports = {};');
write(${JSON.stringify(bobFile)}, '{"pwned": true}');
for (const pid of pids()) for (const part of read('/proc/' + pid + '/cmdline').split('\\0')) if (part.endsWith('.ipynb')) write(part, '{}');
function leaks(): string {
  let seen = JSON.stringify(process.env);
  for (const pid of pids()) seen += read('/proc/' + pid + '/environ');
  return seen.includes(${JSON.stringify(secret)}) ? 'LEAKED' : 'clean';
}
async function reach(): Promise<string> {
  try { const r = await fetch('http://127.0.0.1:${port}/', { signal: AbortSignal.timeout(2000) }); return 'CONNECTED ' + r.status; }
  catch (e) { return String((e as any).cause?.code ?? (e as any).name); }
}
${SOLVED_LOG_PRIOR}
`;
  writeNotebook(
    path.join(folder, 'mallory.ipynb'),
    submission({
      [LOG_PRIOR]: attack,
      'exercise-prediction':
        'async function balancedPrediction(logits: number[][]): Promise<any> { return [leaks(), await reach()]; }',
    }),
  );
  // A classmate graded after the attack, with constant answers: a patched grader would give marks.
  writeNotebook(
    path.join(folder, 'zed.ipynb'),
    submission({
      [LOG_PRIOR]: 'function logPriorByHand(counts: number[]): number[] { return counts.map(() => 1); }',
      'exercise-balanced-softmax': 'function balancedSoftmaxByHand(): number { return 1; }',
      'exercise-prediction':
        'function balancedPrediction(logits: number[][]): number[] { return logits.map(() => 1); }',
    }),
  );
  const libBefore = hashTree(LIBRARY_DIR);
  const packageBefore = fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8');
  try {
    const grades = await gradeSubmissions(folder, { released: released03, seed: 5, run: false });
    const [bob, mallory, zed] = grades;
    t.deepEqual(
      grades.map((g) => g.student),
      ['bob', 'mallory', 'zed'],
    );
    t.deepEqual(hashTree(LIBRARY_DIR), libBefore, "the grader's compiled files are unchanged");
    t.is(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'), packageBefore);
    t.is(fs.readFileSync(bobFile, 'utf8'), bobBefore, "the classmate's notebook is unchanged");
    t.is(bob.earned, 8, 'the classmate keeps full marks');
    t.is(zed.earned, 0, 'constant answers still earn nothing: the grader was not patched');
    t.is(mallory.exercises[0].earned, 2, "the attack cell's own answer is still graded");
    const prediction = mallory.exercises[2].cases.map((c) => c.reason ?? '').join(' ');
    t.regex(prediction, /"clean"/, 'the student code looked for the secret and did not find it');
    t.notRegex(JSON.stringify(grades), /LEAKED|CONNECTED/);
    t.is(connections, 0, "nothing reached the grader's loopback");
  } finally {
    server.close();
    delete process.env.TEACHER_ATTACK_SECRET;
  }
});

sandboxTest(
  'hidden tests: a fork bomb, a detached child and a loop leave no process and cost one exercise',
  async (t) => {
    const marker = uniqueMarker('attack-hidden');
    const folder = path.join(scratch, 'forks');
    fs.mkdirSync(folder);
    // child_process is refused in the hidden tests; the lower-level spawn binding is tried as well.
    const forks = `
try { require('child_process').spawn(process.execPath, ['-e', 'while (true) {}', '${marker}'], { detached: true, stdio: 'inherit' }).unref(); } catch {}
try { (process as any).binding('spawn_sync').spawn({ file: process.execPath, args: [process.execPath, '-e', 'while (true) {}', '${marker}'], stdio: [{ type: 'ignore' }, { type: 'ignore' }, { type: 'ignore' }], detached: true, envPairs: [] }); } catch {}
function balancedSoftmaxByHand(): number { while (true) {} }`;
    writeNotebook(path.join(folder, 'forker.ipynb'), submission({ 'exercise-balanced-softmax': forks }));
    const started = Date.now();
    const [grade] = await gradeSubmissions(folder, { released: released03, seed: 6, run: false, hiddenTimeLimitS: 5 });
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 300));
    t.deepEqual(processesWith(marker), [], 'no process survives');
    t.is(grade.exercises[1].earned, 0);
    t.is(grade.earned, 4, 'the two other exercises, in their own sandboxes, keep their points');
    t.true(grade.flags.includes('time-out (Balanced Softmax by hand)'), grade.flags.join('; '));
    t.true(
      grade.flags.some((f) => /refused module child_process/.test(f)),
      grade.flags.join('; '),
    );
    t.true(seconds < 3 * 5 + 12, `graded in ${seconds.toFixed(1)} s`);
  },
);

const jupyter = (() => {
  try {
    findJupyterPython({ modules: ['nbclient', 'nbformat', 'jupyter_client'] });
    return true;
  } catch {
    return false;
  }
})();
const jupyterSandboxTest = jupyter ? sandboxTest : test.skip;

jupyterSandboxTest(
  'Jupyter run: a looping cell with a detached child holding stderr is stopped at the limit',
  async (t) => {
    const marker = uniqueMarker('attack-kernel');
    const folder = path.join(scratch, 'kernel');
    fs.mkdirSync(folder);
    const bobFile = path.join(folder, 'bob.ipynb');
    writeNotebook(bobFile, submission());
    const bobBefore = fs.readFileSync(bobFile, 'utf8');
    const libBefore = hashTree(LIBRARY_DIR);
    // In the kernel the student has all of Node: the same attacks with fs, then children and a loop.
    const cell = `
const fs = require('fs');
for (const target of ['/work/lib/index.js', ${JSON.stringify(path.join(LIBRARY_DIR, 'index.js'))}, ${JSON.stringify(bobFile)}]) { try { fs.writeFileSync(target, 'pwned'); } catch {} }
const cp = require('child_process');
cp.spawn('/bin/sh', ['-c', 'exec sleep 1000 # ${marker}'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }).unref();
cp.spawn(process.execPath, ['-e', 'while (true) {}', '${marker}'], { detached: true, stdio: 'inherit' }).unref();
${SOLVED_LOG_PRIOR}
while (true) {}`;
    writeNotebook(path.join(folder, 'looper.ipynb'), submission({ [LOG_PRIOR]: cell }));
    const limit = 20;
    const started = Date.now();
    const grades = await gradeSubmissions(folder, {
      released: released03,
      seed: 7,
      run: true,
      runTimeLimitS: limit,
      hiddenTimeLimitS: 6,
      python: process.env.PYTHON,
    });
    const seconds = (Date.now() - started) / 1000;
    // Submissions are graded in file-name order: bob.ipynb (the classmate) comes before looper.ipynb.
    t.deepEqual(
      grades.map((g) => g.student),
      ['bob', 'looper'],
    );
    const grade = grades[1];
    await new Promise((r) => setTimeout(r, 300));
    t.deepEqual(processesWith(marker), [], 'no kernel, child or detached grandchild survives');
    t.deepEqual(hashTree(LIBRARY_DIR), libBefore, "the grader's compiled files are unchanged");
    t.is(fs.readFileSync(bobFile, 'utf8'), bobBefore, "the classmate's notebook is unchanged");
    t.true(grade.flags.includes('time-out (notebook run)'), grade.flags.join('; '));
    // The notebook run stops at its limit; the rest is the three hidden-test processes (6 s limit each)
    // and the start-up of sandboxed Node processes, which on a shared 2-core machine at load 15 took
    // 53.6 s in all (a hang would never return).
    t.true(seconds < limit + 3 * 6 + 30, `graded in ${seconds.toFixed(1)} s with a ${limit} s notebook limit`);
    t.is(grade.exercises[1].earned, 4, 'hidden tests of the other exercises still ran');
  },
);
