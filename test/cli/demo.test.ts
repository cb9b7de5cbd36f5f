import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoCommand } from '../../src/cli/commands/demo';
import { useTestBackend } from '../helpers/backend';
import { writeTinyEmbedded } from './tiny-embedded';

let dataDir = '';
test.before(async () => {
  await useTestBackend();
  dataDir = writeTinyEmbedded();
});

const tiny = () => [
  '--dataDir',
  dataDir,
  '--batchSize',
  '8',
  '--warmupEpochs',
  '0',
  '--valFraction',
  '0.2',
  '--queuePerClass',
  '2',
  '--selectNumNeg',
  '6',
  '--projectionDim',
  '8',
  '--epochs',
  '1',
];

async function capture(f: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    return { code: await f(), out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

for (const mode of ['parallel', 'sequential'] as const) {
  test.serial(
    `rescom demo (${mode}) trains both methods, prints the Many/Medium/Few table and writes an offline HTML report`,
    async (t) => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-demo-')), 'demo');
      const args = [...tiny(), '--out', out, ...(mode === 'sequential' ? ['--sequential'] : [])];
      const protocolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-demo-protocol-'));
      const { code, out: text } = await capture(() => demoCommand.run([...args, '--protocol-dir', protocolDir]));
      t.is(code, 0);
      // The live run is labelled for what it is, and printed beside the committed protocol results.
      t.regex(text, /LIVE SHORT RUN, trained just now: one seed \(0\), 1 epochs of resnet8 on \d+ training images/);
      t.regex(text, /A demonstration of the pipeline, not evidence/);
      t.regex(
        text,
        /This run: ResCom minus balsfx = [+-][\d.]+ points top-1, [+-][\d.]+ points Few \(one seed: not a measurement/,
      );
      t.regex(
        text,
        /Beside it, the evidence: the committed multi-seed results of each protocol\.\nFixed-subset protocol \(fashion-mnist-lt-fixed\): one long-tailed subset for every seed, ten seeds \(fashion-mnist-lt-fixed: /,
      );
      t.regex(text, /none committed yet \(0 of 40 planned runs\)/);
      t.regex(
        text,
        /Per-seed-subset protocol \(fashion-mnist-lt-ref, the first 27 runs\).*\n\s+none committed yet \(0 of 27 planned runs\)/,
      );
      t.regex(text, mode === 'parallel' ? /in parallel, one process each/ : /one after another/);
      t.regex(text, /method\s+top-1\s+top-5\s+many\s+medium\s+few\nbalsfx\s+[\d.]+.*\nrescom\s+[\d.]+/);
      t.regex(text, /report: .*report\.html/);
      // The children report through messages: their own one-row tables never reach the output.
      t.is((text.match(/method\s+top-1/g) ?? []).length, 1, "one results table, the demo's");
      for (const method of ['balsfx', 'rescom']) {
        t.true(fs.existsSync(path.join(out, method, 'test-results.json')), method);
        t.true(fs.existsSync(path.join(out, method, 'log.jsonl')), method);
      }
      const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
      t.true(html.startsWith('<!DOCTYPE html>'));
      t.true(html.includes('none committed yet'), 'the report holds the protocol results too');
      t.true(html.includes('A live short run: one seed'));
      t.regex(html, /Plotly\.newPlot/);
      t.notRegex(html, /<script src=/, 'plotly is inlined, the report works offline');
      for (const heading of [
        'Results on the balanced test set',
        'Beside it: the committed multi-seed protocol results',
        'balsfx: training curves',
        'rescom: per-class accuracy',
        'rescom: confusion matrix',
      ])
        t.true(html.includes(heading), heading);
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
      t.deepEqual(summary.methods, ['balsfx', 'rescom']);
    },
  );
}

test('demo --help describes the main job; bad --epochs is an error', async (t) => {
  t.regex(demoCommand.help, /Fashion-MNIST-LT/);
  t.regex(demoCommand.help, /--sequential/);
  await t.throwsAsync(demoCommand.run(['--epochs', '0']), { message: /--epochs must be an integer from 1 to 10000/ });
});
