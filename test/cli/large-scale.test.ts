// Item 4 of issue 17: a generated miniature of each image-list format (ImageNet-LT, iNaturalist 2018,
// Places-LT: a few hundred small JPEGs over a few dozen classes, long-tailed, the published list-file
// layout) trains one epoch of ResNet-50 through the CLI, streamed by worker threads; the ImageNet-LT
// run is SIGKILLed mid-epoch after a mid-epoch checkpoint and resumed, ending bit-identical to an
// uninterrupted run. Small images (32 px) and batches keep ResNet-50 on CPU wasm CI-sized.
import test from 'ava';
import { spawn } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticImageLists, type ListFormat } from '../../src/data';
import { fileSystemHandler, findCheckpoint, readJsonl } from '../../src/train';
import { useTestBackend } from '../helpers/backend';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-large-scale-'));
test.before(() => useTestBackend());
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

async function miniature(format: ListFormat): Promise<string> {
  const dir = path.join(root, `${format}-data`);
  // 24 classes, 16..2 training images per class (exp profile, IF 8): 171 + 48 test = 219 JPEGs of 36-64 px.
  await writeSyntheticImageLists({
    dir,
    format,
    numClasses: 24,
    nMax: 16,
    imbalanceFactor: 8,
    testPerClass: 2,
    sideRange: [36, 64],
    seed: 17,
  });
  return dir;
}

function args(config: string, dataDir: string, runDir: string): string[] {
  return [
    'train',
    '--config',
    config,
    '--dataDir',
    dataDir,
    '--run-dir',
    runDir,
    '--imageSize',
    '32',
    '--batchSize',
    '16',
    '--epochs',
    '1',
    '--warmupEpochs',
    '0',
    '--evalBatchSize',
    '32',
    '--queuePerClass',
    '2',
    '--selectNumNeg',
    '20',
    '--projectionDim',
    '32',
    '--workers',
    '2',
    '--checkpoint-every',
    '3',
  ];
}

/** Runs the CLI; with `killAtStep`, SIGKILLs it once a mid-epoch checkpoint of at least that step exists. */
function cli(
  argv: string[],
  runDir: string,
  killAtStep?: number,
): Promise<{ code: number | null; killedAt: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', MAIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let killedAt = 0;
    const timer = killAtStep
      ? setInterval(() => {
          const pointer = path.join(runDir, 'checkpoints', 'latest.json');
          if (!fs.existsSync(pointer)) return;
          const { step } = JSON.parse(fs.readFileSync(pointer, 'utf8')) as { step?: number };
          if ((step ?? 0) >= killAtStep && killedAt === 0) {
            killedAt = step!;
            child.kill('SIGKILL');
          }
        }, 10)
      : null;
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, killedAt, output });
    });
    child.on('error', reject);
  });
}

async function weights(runDir: string): Promise<Float32Array[]> {
  const model = await tf.loadLayersModel(fileSystemHandler(findCheckpoint(runDir)!));
  const values = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  model.dispose();
  return values;
}

// ImageNet-LT in three tests (each stays within AVA's per-test inactivity timeout on a busy machine).
const inet = { dataDir: '', whole: path.join(root, 'inet-whole'), killed: path.join(root, 'inet-killed') };

test.serial('ImageNet-LT miniature: one epoch of ResNet-50 through the CLI (uninterrupted)', async (t) => {
  inet.dataDir = await miniature('imagenet-lt');
  t.regex(
    fs.readFileSync(path.join(inet.dataDir, 'ImageNet_LT_train.txt'), 'utf8'),
    /^train\/n\d{8}\/n\d{8}_\d+\.JPEG 0\n/,
  );
  const a = await cli(args('imagenet-lt', inet.dataDir, inet.whole), inet.whole);
  t.is(a.code, 0, a.output);
  t.regex(a.output, /labels 0\.\.23 \(24 of imagenet-lt's 1000 classes\)/);
  t.regex(
    a.output,
    /entries streamed from .* at \d+ px \(imagenet augmentation; decoder (sharp|js), pixel loops (C\+\+ \(pixel addon\)|JavaScript \(.+\))\)/,
  );
  t.regex(a.output, /backbone resnet50/);
  t.regex(a.output, /epoch 1\/1 done/);
});

test.serial('ImageNet-LT miniature: the same run SIGKILLed after its mid-epoch checkpoint at step 3', async (t) => {
  t.truthy(inet.dataDir, 'needs the previous test');
  const k = await cli(args('imagenet-lt', inet.dataDir, inet.killed), inet.killed, 3);
  t.is(k.killedAt, 3, k.output);
  t.not(k.code, 0);
  t.false(fs.existsSync(path.join(inet.killed, 'test-results.json')));
});

test.serial('ImageNet-LT miniature: resumed mid-epoch, it ends bit-identical to the uninterrupted run', async (t) => {
  const r = await cli(
    ['train', '--run-dir', inet.killed, '--resume', '--workers', '1', '--checkpoint-every', '3'],
    inet.killed,
  );
  t.is(r.code, 0, r.output);
  t.regex(r.output, /resuming .*epoch-0000-step-00000[3-9] after epoch 0\/1 and [3-8]\/9 steps of epoch 1/);
  const wa = await weights(inet.whole);
  const wb = await weights(inet.killed);
  t.is(wa.length, wb.length);
  t.true(wa.length > 150, `ResNet-50 has > 150 weight tensors; got ${wa.length}`);
  let differing = 0;
  wa.forEach((w, i) =>
    Buffer.compare(
      Buffer.from(w.buffer, w.byteOffset, w.byteLength),
      Buffer.from(wb[i].buffer, wb[i].byteOffset, wb[i].byteLength),
    ) === 0
      ? 0
      : differing++,
  );
  t.is(differing, 0, 'every weight tensor bit-identical');
  const la = readJsonl(path.join(inet.whole, 'log.jsonl'));
  const lb = readJsonl(path.join(inet.killed, 'log.jsonl'));
  t.deepEqual(
    lb.map((x) => [x.loss, x.steps]),
    la.map((x) => [x.loss, x.steps]),
  );
  const ta = JSON.parse(fs.readFileSync(path.join(inet.whole, 'test-results.json'), 'utf8'));
  const tb = JSON.parse(fs.readFileSync(path.join(inet.killed, 'test-results.json'), 'utf8'));
  t.deepEqual(tb.summary, ta.summary);
});

for (const [format, config, list] of [
  ['inaturalist2018', 'inaturalist2018', /^train_val2018\/(Plantae|Insecta|Aves|Fungi)\/0\/[0-9a-f]{8}t0\.jpg 0\n/],
  ['places-lt', 'places-lt', /^data_256\/s\/scene000\/00000001\.jpg 0\n/],
] as const) {
  test.serial(
    `${format} miniature: one epoch of ResNet-50 through the CLI, streamed, test set evaluated`,
    async (t) => {
      const dataDir = await miniature(format);
      const files = fs.readdirSync(dataDir).filter((f) => f.endsWith('.txt'));
      t.regex(
        fs.readFileSync(
          path.join(
            dataDir,
            files.find((f) => /train/.test(f))!,
          ),
          'utf8',
        ),
        list,
      );
      const runDir = path.join(root, `${format}-run`);
      const run = await cli(args(config, dataDir, runDir), runDir);
      t.is(run.code, 0, run.output);
      t.regex(run.output, /epoch 1\/1 done/);
      const results = JSON.parse(fs.readFileSync(path.join(runDir, 'test-results.json'), 'utf8'));
      t.is(results.epochs, 1);
      t.true(results.summary.top1 >= 0 && results.summary.top1 <= 1);
    },
  );
}
