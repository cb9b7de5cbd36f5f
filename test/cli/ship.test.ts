import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evalCommand } from '../../src/cli/commands/eval';
import { shipCommand } from '../../src/cli/commands/ship';
import { trainCommand } from '../../src/cli/commands/train';
import { SHIPPED_MANIFEST, TEST_RESULTS_FILE, listShippedModels, verifyShippedModel } from '../../src/train';
import { useTestBackend } from '../helpers/backend';
import { tinyOverrides, writeTinyEmbedded } from './tiny-embedded';

let runDir = '';
let modelsDir = '';
test.before(async () => {
  await useTestBackend();
  const dataDir = writeTinyEmbedded();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-ship-'));
  runDir = path.join(root, 'run');
  modelsDir = path.join(root, 'models');
  const original = console.log;
  console.log = () => {};
  try {
    await trainCommand.run([
      '--config',
      'fashion-mnist-lt',
      '--method',
      'rescom',
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

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    return { code: await run(), out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

test.serial(
  'rescom ship + rescom eval: a shipped ResNet-8 run is verified and reproduces its recorded test accuracy exactly',
  async (t) => {
    const shipped = await capture(() => shipCommand.run([runDir, '--models-dir', modelsDir]));
    t.is(shipped.code, 0);
    const dir = path.join(modelsDir, 'fashion-mnist-lt', 'rescom-s0');
    t.deepEqual(fs.readdirSync(dir).sort(), [
      'SHA256SUMS',
      'config.json',
      'log.jsonl',
      'model.json',
      'test-results.json',
      'weights.bin',
    ]);
    t.notThrows(() => verifyShippedModel(dir));
    t.deepEqual(
      listShippedModels(modelsDir).map((m) => m.id),
      ['fashion-mnist-lt/rescom-s0'],
    );
    t.regex(
      listShippedModels(modelsDir)[0].trainCommand,
      /^npx rescom train --config fashion-mnist-lt --method rescom --seed 0 .*--set epochs=2 .*--run-dir runs\/fashion-mnist-lt-rescom-s0$/,
    );

    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-ship-eval-'));
    // --model / --seed / --config name the shipped model; its defaults are rescom, 0 and the reference protocol.
    const evaluated = await capture(() =>
      evalCommand.run([
        '--models-dir',
        modelsDir,
        '--config',
        'fashion-mnist-lt',
        '--model',
        'rescom',
        '--seed',
        '0',
        '--out',
        outDir,
      ]),
    );
    t.is(evaluated.code, 0, evaluated.out);
    t.regex(evaluated.out, /checksums verified/);
    t.regex(evaluated.out, /reproduced exactly/);
    t.regex(evaluated.out, /train it afresh: npx rescom train --config fashion-mnist-lt --method rescom/);
    const json = JSON.parse(fs.readFileSync(path.join(outDir, 'eval-test.json'), 'utf8'));
    const recorded = JSON.parse(fs.readFileSync(path.join(runDir, TEST_RESULTS_FILE), 'utf8'));
    t.is(json.summary.top1, recorded.summary.top1, 'the same number, not merely close');
    t.deepEqual(json.result.confusion, recorded.result.confusion);
    t.true(json.reproduced);

    const listed = await capture(() => evalCommand.run(['--list', '--models-dir', modelsDir]));
    t.regex(listed.out, /fashion-mnist-lt\/rescom-s0: resnet8, 2 epochs; recorded test top-1 [\d.]+%/);
  },
);

test.serial(
  'a corrupted weights file is refused, naming the file; a missing model says how to train and ship it',
  async (t) => {
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-ship-bad-')), 'models');
    fs.cpSync(modelsDir, copy, { recursive: true });
    const weights = path.join(copy, 'fashion-mnist-lt', 'rescom-s0', 'weights.bin');
    const bytes = fs.readFileSync(weights);
    bytes[bytes.length - 1] ^= 0x01; // one bit of one weight
    fs.writeFileSync(weights, bytes);
    await t.throwsAsync(evalCommand.run(['--models-dir', copy, '--config', 'fashion-mnist-lt']), {
      message: /checksum mismatch for '.*rescom-s0\/weights\.bin': expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}/,
    });
    fs.rmSync(path.join(copy, 'fashion-mnist-lt', 'rescom-s0', 'log.jsonl'));
    fs.rmSync(weights);
    t.throws(() => verifyShippedModel(path.join(copy, 'fashion-mnist-lt', 'rescom-s0')), {
      message: /weights\.bin' is missing \(listed in SHA256SUMS\)/,
    });
    fs.writeFileSync(path.join(copy, 'fashion-mnist-lt', 'rescom-s0', SHIPPED_MANIFEST), '');
    t.throws(() => verifyShippedModel(path.join(copy, 'fashion-mnist-lt', 'rescom-s0')), {
      message: /does not list model\.json/,
    });

    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-ship-none-'));
    await t.throwsAsync(evalCommand.run(['--models-dir', empty]), {
      message:
        /no shipped model fashion-mnist-lt-ref\/rescom-s0 .*shipped: none.*npx rescom train --config fashion-mnist-lt-ref --method rescom --seed 0/,
    });
    await t.throwsAsync(evalCommand.run(['--models-dir', empty, '--model', 'balsfx']), {
      message: /no shipped model fashion-mnist-lt-ref\/balsfx-s0/,
    });
    await t.throwsAsync(evalCommand.run(['--checkpoint', runDir, '--model', 'rescom']), {
      message: /give one or the other/,
    });
    await t.throwsAsync(shipCommand.run([path.join(empty, 'nope')]), { message: /is not a finished run/ });
  },
);
