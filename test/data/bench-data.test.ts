// bench:data runs end to end and ends with its RESULT line (a short run: not a speed test).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseResultLine } from '../../src/bench/result-line';

test('bench:data prints two-view images/s as its last RESULT line', (t) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/bench/data.ts')], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_DATA_SECONDS: '0.3' },
  });
  t.is(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.regex(lines[lines.length - 1], /^RESULT data_img_s=\d+$/);
  t.true(Number(parseResultLine(run.stdout).data_img_s) > 0);
  t.regex(run.stdout, /AutoAugment\(CIFAR-10 policy\) \+ Cutout\(1 x 16\)/);
});
