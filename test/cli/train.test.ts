import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainCommand } from '../../src/cli/commands/train';
import { CONFIG_NAMES, FLAG_FIELDS } from '../../src/configs';
import { readJsonl } from '../../src/train';
import { useTestBackend } from '../helpers/backend';
import { tinyOverrides, writeTinyEmbedded } from './tiny-embedded';

let dataDir = '';
test.before(async () => {
  await useTestBackend();
  dataDir = writeTinyEmbedded();
});

const quietly = async <T>(f: () => Promise<T>): Promise<{ value: T; out: string }> => {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    return { value: await f(), out: lines.join('\n') };
  } finally {
    console.log = original;
  }
};

test('--help lists every config, method and config field', (t) => {
  for (const name of CONFIG_NAMES) t.true(trainCommand.help.includes(name), name);
  for (const field of FLAG_FIELDS) t.true(trainCommand.help.includes(`--${field}`), field);
  t.regex(trainCommand.help, /--resume/);
  t.regex(trainCommand.help, /supcon-balsfx/);
});

test('unknown options and invalid values are errors naming the field and the allowed values', async (t) => {
  await t.throwsAsync(trainCommand.run(['--epoch', '3']), { message: /unknown option '--epoch'.*did you mean epochs/ });
  await t.throwsAsync(trainCommand.run(['--set', 'optimizer=adam']), {
    message: /unknown field 'optimizer'; fields are: name, dataset/,
  });
  await t.throwsAsync(trainCommand.run(['--method', 'moco']), { message: /'method' must be one of ce, balsfx/ });
  await t.throwsAsync(trainCommand.run(['--config', 'cifar1000']), {
    message: /unknown config 'cifar1000'; expected one of fashion-mnist-lt/,
  });
  await t.throwsAsync(trainCommand.run(['--resume', '--run-dir', path.join(os.tmpdir(), 'no-such-run-here')]), {
    message: /no checkpoint/,
  });
});

test('rescom train runs the real pipeline (data, ResNet-8, ResCom) and reports the test set', async (t) => {
  const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-cli-')), 'run');
  const before = tf.memory().numTensors;
  const { value, out } = await quietly(() =>
    trainCommand.run([
      '--config',
      'fashion-mnist-lt',
      '--method',
      'rescom',
      ...tinyOverrides(dataDir),
      '--run-dir',
      runDir,
    ]),
  );
  t.is(value, 0);
  t.is(tf.memory().numTensors, before, 'model, optimiser, queue and every step released their tensors');
  t.regex(out, /method rescom, backbone resnet8, 3 epochs/);
  t.regex(out, /top-1\s+top-5\s+many\s+medium\s+few/);
  const log = readJsonl(path.join(runDir, 'log.jsonl'));
  t.deepEqual(
    log.map((r) => r.epoch),
    [1, 2, 3],
  );
  t.true(log.every((r) => (r.con as number) > 0));
  const saved = JSON.parse(fs.readFileSync(path.join(runDir, 'test-results.json'), 'utf8'));
  t.is(saved.result.numSamples, 20);
  const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  t.is(config.batchSize, 8);
  t.is(config.dataDir, dataDir);
});
