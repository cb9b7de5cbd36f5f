// rescom grade through the real CLI in a child process: it refuses in one line without bubblewrap
// unless told to trust the submissions, and its output carries no tfjs banner.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { sandboxTest } from '../notebook/sandbox-support';

const root = path.resolve(__dirname, '..', '..');
const MAIN = path.join(root, 'lib', 'cli', 'main.js');
const solution = path.join(root, 'notebooks', '01-class-imbalance.ipynb');
const exercise = path.join(root, 'notebooks', '01-class-imbalance.exercise.ipynb');

function grade(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(
    process.execPath,
    [MAIN, 'grade', solution, '--exercise', exercise, '--no-run', '--seed', '2', ...args],
    {
      encoding: 'utf8',
      env,
      timeout: 300_000,
    },
  );
}

test('without bubblewrap on PATH: one line saying how to install it, exit 2; --trust-submissions grades', (t) => {
  const refused = grade([], { PATH: '' });
  t.is(refused.status, 2, refused.stderr);
  t.is(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  t.regex(
    refused.stderr,
    /^rescom grade: bubblewrap \(bwrap\) is not installed; install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap.*--trust-submissions/,
  );
  const trusted = grade(['--trust-submissions'], { PATH: '' });
  t.is(trusted.status, 0, trusted.stderr);
  t.regex(trusted.stderr, /UNSANDBOXED/);
  t.regex(trusted.stdout, /score 4\/4 points \(100%\)/);
});

sandboxTest('sandboxed: the grade and nothing else (no tfjs banner, no kernel noise)', (t) => {
  const run = grade([], { PATH: process.env.PATH });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /PASS {2}long-tailed counts: 2\/2 points/);
  t.regex(run.stdout, /score 4\/4 points \(100%\)/);
  t.notRegex(run.stdout + run.stderr, /looks like you are running TensorFlow\.js|tfjs-node|=====/);
  t.deepEqual(run.stderr.trim().split('\n'), [`rescom grade: grading ${solution} ...`]);
});
