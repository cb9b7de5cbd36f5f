// bench:data runs end to end and ends with its RESULT line (a short run: not a speed test).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

test('bench:data --list streams the ImageNet pipeline at 224 from generated JPEGs and prints images/s with the worker count', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-bench-list-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/bench/data.ts'), '--list', '--images', '13', '--seconds', '0.5', '--batch', '4', '--workers', '1', '--dir', dir], {
    encoding: 'utf8',
  });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /generated \d+ JPEGs \(300-500 px sides\)/);
  t.regex(run.stdout, /ImageNet preset at 224 px .* two views, batch 4, decoder (sharp|js), pixel loops (C\+\+|JavaScript) .*, \d+ listed JPEGs; workers 1, \d+ cores, load average/);
  const lines = run.stdout.trim().split('\n');
  t.regex(
    lines[lines.length - 1],
    /^RESULT list_img_s=\d+ workers=1 img_per_cpu_s=\d+ pixels=(cpp|js) torchvision_img_s=(\d+|NA) torchvision_img_per_cpu_s=(\d+|NA) ratio=([\d.]+|NA)$/,
  );
  const result = parseResultLine(run.stdout);
  t.true(Number(result.list_img_s) > 0);
  // The torchvision peer (bench/pytorch/data.py) runs where /usr/bin/python3 has torch and torchvision.
  const peer = spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0;
  if (peer) {
    t.true(Number(result.torchvision_img_s) > 0 && Number(result.ratio) > 0, lines[lines.length - 1]);
    t.regex(run.stdout, /torchvision DataLoader \(PIL, 1 workers, same list, transforms and size\): \d+ images\/s/);
  } else t.is(result.ratio, 'NA');
});

test('bench:data --list names a bad --rounds', (t) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/bench/data.ts'), '--list', '--rounds', '0'], {
    encoding: 'utf8',
  });
  t.is(run.status, 1);
  t.regex(run.stderr, /bench:data --list: --rounds must be a positive integer; got '0'/);
});
