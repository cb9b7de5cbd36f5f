/**
 * `npm run bench:speed`: runs the step, data and loss benchmarks one after another (each in its own
 * process, so one's memory does not disturb the next) and collects their RESULT lines into one table
 * naming the machine and backend. Ends with `RESULT` holding every figure.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatResultLine, parseResultLine } from './result-line';

const BENCHES = [
  { name: 'step', script: 'step.js', what: 'training step (ResNet-32 two views of 64; small ResNet 28x28 batch 128)' },
  { name: 'data', script: 'data.js', what: 'two-view CIFAR augmentation pipeline' },
  { name: 'loss', script: 'loss.js', what: 'ResCom step over plain cross-entropy step' },
];

function main(): number {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  const collected: Record<string, string> = {};
  const rows: string[][] = [];
  let backendLine = 'unknown';
  for (const bench of BENCHES) {
    console.log(`\n=== bench:${bench.name}: ${bench.what}`);
    const run = spawnSync(process.execPath, [path.join(__dirname, bench.script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 2 ** 20,
    });
    process.stdout.write(run.stdout ?? '');
    const backend = (run.stdout ?? '').split('\n').find((l) => l.startsWith('backend='));
    if (backend) backendLine = backend;
    if (run.status !== 0) {
      rows.push([bench.name, 'FAILED', `exit ${run.status}`]);
      continue;
    }
    const fields = parseResultLine(run.stdout);
    for (const [key, value] of Object.entries(fields)) {
      collected[key] = value;
      rows.push([bench.name, key, value]);
    }
  }
  console.log(`\n=== summary (${backendLine}; ${cpu}, ${os.cpus().length} cores)`);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 5));
  for (const row of [['bench', 'figure', 'value'], ...rows]) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  }
  console.log(formatResultLine(collected));
  return rows.some((r) => r[1] === 'FAILED') ? 1 : 0;
}

process.exit(main());
