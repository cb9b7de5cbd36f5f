import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evalCommand } from '../../src/cli/commands/eval';
import { trainCommand } from '../../src/cli/commands/train';
import { useTestBackend } from '../helpers/backend';
import { tinyOverrides, writeTinyEmbedded } from './tiny-embedded';

let runDir = '';
test.before(async () => {
  await useTestBackend();
  const dataDir = writeTinyEmbedded();
  runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-eval-')), 'run');
  const original = console.log;
  console.log = () => {};
  try {
    await trainCommand.run([
      '--config',
      'fashion-mnist-lt',
      '--method',
      'balsfx',
      ...tinyOverrides(dataDir),
      '--epochs',
      '2',
      '--run-dir',
      runDir,
    ]);
  } finally {
    console.log = original;
  }
});

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    return { code: await evalCommand.run(args), out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

test.serial(
  'rescom eval prints top-1, top-5, Many/Medium/Few and writes per-class CSV and JSON that agree',
  async (t) => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-eval-out-'));
    const { code, out } = await capture(['--checkpoint', runDir, '--out', outDir]);
    t.is(code, 0);
    t.regex(out, /top-1\s+top-5\s+many\s+medium\s+few/);
    t.regex(out, /Many \/ Medium \/ Few: classes ranked by training count/);
    const json = JSON.parse(fs.readFileSync(path.join(outDir, 'eval-test.json'), 'utf8'));
    const csv = fs.readFileSync(path.join(outDir, 'per-class-test.csv'), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])));
    t.is(rows.length, 10);
    // Independent check: top-1 recomputed from the per-class CSV counts.
    const correct = rows.reduce((s, r) => s + Number(r.correct), 0);
    const tested = rows.reduce((s, r) => s + Number(r.testCount), 0);
    t.is(tested, 20);
    t.true(Math.abs(json.summary.top1 - correct / tested) < 1e-12);
    // Same model, same data: the training run's own final test evaluation agrees.
    const trained = JSON.parse(fs.readFileSync(path.join(runDir, 'test-results.json'), 'utf8'));
    t.deepEqual(json.result.confusion, trained.result.confusion);
    t.is(json.summary.top1, trained.summary.top1);
    const printed = Number(/^balsfx\s+([\d.]+)/m.exec(out)![1]);
    t.is(printed, +(100 * json.summary.top1).toFixed(1));
  },
);

test.serial(
  '--split val evaluates the held-out training split; the default output folder is the run folder',
  async (t) => {
    const { code } = await capture(['--checkpoint', path.join(runDir, 'checkpoints'), '--split', 'val']);
    t.is(code, 0);
    const json = JSON.parse(fs.readFileSync(path.join(runDir, 'eval-val.json'), 'utf8'));
    t.is(json.split, 'val');
    t.true(json.result.numSamples > 0 && json.result.numSamples < 20);
    t.true(fs.existsSync(path.join(runDir, 'per-class-val.csv')));
  },
);

test.serial('bad arguments are clear errors', async (t) => {
  await t.throwsAsync(evalCommand.run(['--models-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'no-models-'))]), {
    message: /no shipped model/,
  });
  await t.throwsAsync(evalCommand.run(['--checkpoint', runDir, '--split', 'train']), {
    message: /--split must be test or val/,
  });
  await t.throwsAsync(evalCommand.run(['--checkpoint', path.join(os.tmpdir(), 'nothing-here-rescom')]), {
    message: /--checkpoint '.*nothing-here-rescom' does not exist/,
  });
});
