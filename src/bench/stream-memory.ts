/**
 * `npm run bench:memory`: trains on a generated ImageNet-LT-format list of 100,000 entries (files
 * repeat) streamed from disk, for a few hundred steps, and records the process's resident memory
 * and tf.memory() every few steps: the streaming pipeline's memory must stay flat whatever the list
 * length (issue 17). Ends with `RESULT rss_start_mb=.. rss_end_mb=.. rss_max_mb=.. tf_bytes_end=..`.
 *
 *   npm run bench:memory -- [--entries 100000] [--steps 300] [--every 25] [--backbone resnet8] [--imageSize 32] [--batchSize 32] [--workers 2] [--dir DIR]
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../backend';
import { applyOverrides, getConfig } from '../configs';
import { writeRepeatedList, writeSyntheticImageLists } from '../data';
import { prepareTrainingData, train } from '../train';
import { formatResultLine } from './result-line';

class Stop extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string', default: '100000' },
      steps: { type: 'string', default: '300' },
      every: { type: 'string', default: '25' },
      backbone: { type: 'string', default: 'resnet8' },
      imageSize: { type: 'string', default: '32' },
      batchSize: { type: 'string', default: '32' },
      workers: { type: 'string', default: '2' },
      dir: { type: 'string' },
    },
  });
  const entries = Number(values.entries);
  const steps = Number(values.steps);
  const every = Number(values.every);
  const dir = values.dir ?? path.join(os.tmpdir(), `rescom-memory-list-${entries}`);
  const listFile = path.join(dir, 'ImageNet_LT_train.txt');
  if (!fs.existsSync(listFile) || fs.readFileSync(listFile, 'utf8').split('\n').length - 1 !== entries) {
    const made = await writeSyntheticImageLists({ dir, format: 'imagenet-lt', numClasses: 40, nMax: 30, imbalanceFactor: 10, testPerClass: 1, sideRange: [48, 96], seed: 5 });
    const source = `${made.trainList}.source`;
    fs.renameSync(made.trainList, source);
    writeRepeatedList(source, made.trainList, entries);
    console.log(`generated ${made.images} JPEGs (48-96 px) in ${dir}; ${path.basename(listFile)} rewritten to ${entries} entries (files repeat)`);
  }
  await selectBackend({ log: null });
  const config = applyOverrides(getConfig('imagenet-lt'), [
    ['dataDir', dir],
    ['backbone', values.backbone!],
    ['imageSize', values.imageSize!],
    ['batchSize', values.batchSize!],
    ['epochs', '1'],
    ['warmupEpochs', '0'],
    ['queuePerClass', '2'],
    ['selectNumNeg', '20'],
    ['projectionDim', '32'],
  ]);
  const data = await prepareTrainingData(config, { workers: Number(values.workers), log: (line) => console.log(line) });
  console.log(
    `streaming ${data.train.labels.length} training entries (${entries} listed), ${config.backbone} at ${config.imageSize} px, batch ${config.batchSize} x 2 views, ` +
      `${values.workers} workers; ${os.cpus().length} cores, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`,
  );
  const mb = (bytes: number) => bytes / 1048576;
  const samples: { step: number; rss: number; heap: number; external: number; tfBytes: number; tensors: number; seconds: number }[] = [];
  const started = Date.now();
  const sample = (step: number) => {
    const m = process.memoryUsage();
    const t = tf.memory();
    samples.push({ step, rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external + m.arrayBuffers), tfBytes: t.numBytes, tensors: t.numTensors, seconds: (Date.now() - started) / 1000 });
    const s = samples[samples.length - 1];
    console.log(`step ${String(step).padStart(5)}  rss ${s.rss.toFixed(0)} MB  heap ${s.heap.toFixed(0)} MB  external+buffers ${s.external.toFixed(0)} MB  tf ${mb(s.tfBytes).toFixed(1)} MB in ${s.tensors} tensors  ${s.seconds.toFixed(0)} s`);
  };
  sample(0);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-memory-run-'));
  try {
    await train({
      config,
      data,
      runDir,
      progress: null,
      log: null,
      onStep: ({ step }) => {
        if (step % every === 0) sample(step);
        if (step >= steps) throw new Stop();
      },
    });
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  } finally {
    await data.dispose?.();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const after = samples.filter((s) => s.step > 0);
  const first = after[0] ?? samples[0];
  const last = samples[samples.length - 1];
  console.log(`rss after ${first.step} steps ${first.rss.toFixed(0)} MB, after ${last.step} steps ${last.rss.toFixed(0)} MB (max ${Math.max(...samples.map((s) => s.rss)).toFixed(0)} MB)`);
  console.log(
    formatResultLine({
      rss_start_mb: Math.round(first.rss),
      rss_end_mb: Math.round(last.rss),
      rss_max_mb: Math.round(Math.max(...samples.map((s) => s.rss))),
      tf_bytes_end: last.tfBytes,
      steps: last.step,
    }),
  );
}

main().catch((err) => {
  console.error(`bench:memory: ${(err as Error).message}`);
  process.exit(1);
});
