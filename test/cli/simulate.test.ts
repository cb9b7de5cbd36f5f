import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCommand } from '../../src/cli/commands/simulate';

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    const code = await simulateCommand.run(args);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

test('rescom simulate --json prints one JSON object with the paper heat-map numbers', async (t) => {
  const { code, out } = await capture(['--if', '10', '--batches', '500', '--seed', '3', '--json', '--no-html']);
  t.is(code, 0);
  const result = JSON.parse(out);
  t.deepEqual(result.options, { classes: 10, imbalanceFactor: 10, nMax: 5000, batchSize: 128, batches: 500, seed: 3 });
  t.is(result.pairFrequency.cellsBelowThreshold, 45);
  t.is(Math.round(result.pairFrequency.matrix[0][1] * 100) / 100, 0.77);
  // IF 10 counts: floor(5000 * 10^(-c/9)), head 5000, tail 500.
  t.is(result.classCounts[0], 5000);
  t.is(result.classCounts[9], 500);
  t.is(result.simulation.numBatches, 500);
  t.is(result.html, null);
  // Same seed, same output.
  t.is((await capture(['--if', '10', '--batches', '500', '--seed', '3', '--json', '--no-html'])).out, out);
});

test('rescom simulate prints the tables and writes the HTML heat map', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rescom-sim-'));
  try {
    const file = join(dir, 'sim.html');
    const { code, out } = await capture(['--classes', '4', '--batches', '200', '--out', file]);
    t.is(code, 0);
    t.regex(out, /Pair frequency r_i r_j \(4 classes, IF 100\)/);
    t.regex(out, /pairs\/Siamese batch/);
    t.regex(out, /head\/tail ratio: samples 100/);
    t.true(existsSync(file));
    const html = readFileSync(file, 'utf8');
    t.is(html.split('Plotly.newPlot(').length - 1, 3);
    t.true(html.includes('"type":"heatmap"'));
    t.deepEqual(readdirSync(dir), ['sim.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rescom simulate rejects bad options by name', async (t) => {
  await t.throwsAsync(() => capture(['--batch-size', '0']), {
    message: /--batch-size must be an integer from 1 to 65536 \(plain decimal\); got '0'/,
  });
  await t.throwsAsync(() => capture(['--classes', '1']), { message: /--classes must be an integer from 2 to/ });
  await t.throwsAsync(() => capture(['--bogus']), { message: /bogus/ });
});
