/**
 * A full disk and long names are said before the work, naming the path and what to do: free space
 * for the checkpoints is checked before the first epoch (on a 1 MB tmpfs when this machine lets
 * root mount one; else the check itself on a real folder), and the messages of file-system errors
 * name the final path, not a temporary one.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorLine, userPath } from '../../src/cli/error-line';
import { checkFreeSpace, checkPathLength, freeBytes } from '../../src/util/path-checks';
import { writeTinyEmbedded } from '../cli/tiny-embedded';
import { tinyArgs } from './case-kit';
import { fingerprint, runCli } from './harness';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-disk-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

test('errorLine names the final path of a failed atomic write and says what to do', (t) => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    path: '/runs/a/.log.jsonl.1234.0.part',
  });
  t.is(
    errorLine(enospc),
    "rescom: '/runs/a/log.jsonl' could not be written: no space is left on its device (ENOSPC); free space there or write elsewhere (ENOSPC: no space left on device, write)",
  );
  t.is(userPath('/runs/a/checkpoints/.epoch-0003.tmp-Ab12Cd/weights.bin'), '/runs/a/checkpoints/epoch-0003');
  const long = Object.assign(new Error("ENAMETOOLONG: name too long, mkdir '/x/nnnn'"), {
    code: 'ENAMETOOLONG',
    path: '/x/nnnn',
  });
  t.regex(
    errorLine(long),
    /^rescom: '\/x\/nnnn' has a name too long for the file system \(ENAMETOOLONG\); choose a shorter path/,
  );
  const rofs = Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS', path: '/ro/f' });
  t.regex(errorLine(rofs), /'\/ro\/f' is on a read-only file system \(EROFS\); write elsewhere/);
});

test('checkPathLength and checkFreeSpace refuse before anything is written', (t) => {
  t.notThrows(() => checkPathLength(path.join(root, 'run'), 'w', '--run-dir', 100));
  t.throws(() => checkPathLength(path.join(root, 'x'.repeat(256)), 'w', '--run-dir'), {
    message: /w: --run-dir '.*' holds a name of 256 bytes .* at most 255 \(ENAMETOOLONG\)/,
  });
  t.throws(() => checkPathLength(`/${'a/'.repeat(2000)}b`, 'w', '--out', 100), { message: /paths take at most 4095/ });
  const free = freeBytes(root);
  t.true(free !== null && free > 0);
  t.notThrows(() => checkFreeSpace(root, 1, 'w', 'a byte'));
  t.throws(() => checkFreeSpace(path.join(root, 'new', 'run'), free! * 2, 'train', '3 checkpoints'), {
    message: new RegExp(
      `train: '${root}/new/run' has .* MB free; 3 checkpoints need about .* MB \\(ENOSPC before the first epoch\\)`,
    ),
  });
});

test('a run folder on a nearly full disk is refused before the first epoch', async (t) => {
  const mount = path.join(root, 'small');
  fs.mkdirSync(mount);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
  if (mounted.status !== 0) {
    t.log(
      `no tmpfs here (${String(mounted.stderr).trim() || 'mount failed'}): the check is tested above on a real folder`,
    );
    t.pass();
    return;
  }
  t.teardown(() => spawnSync('umount', [mount]));
  const run = path.join(mount, 'run');
  const data = writeTinyEmbedded();
  const before = fingerprint(mount);
  const result = await runCli(['train', ...tinyArgs(data), '--run-dir', run], root);
  t.is(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  t.is(lines.length, 1, result.stderr);
  t.regex(
    lines[0],
    new RegExp(
      `'${run}' has 1\\.0 MB free; 3 checkpoints of this model \\(.* MB each\\) need about .* MB \\(ENOSPC before the first epoch\\): free space there`,
    ),
  );
  t.notRegex(result.stdout, /epoch 1\/1 done/, 'no epoch was trained');
  t.deepEqual(fingerprint(mount), before, 'nothing left on the small disk');
});
