/**
 * `npm run bench:data -- --list`: throughput of the streamed ImageNet pipeline (read JPEG ->
 * decode (sharp, else jpeg-js) -> RandomResizedCrop 224 + flip + ColorJitter + RandomGrayscale +
 * RandAugment, two views -> uint8 batches -> normalised float32 model input, as trainStep makes it)
 * on a generated tree of JPEGs with ImageNet-like sides (300-500 px), by a pool of worker threads.
 * Ends with
 * `RESULT list_img_s=<images per second> workers=<n> img_per_cpu_s=<images per CPU-second> pixels=cpp|js`
 * (an image = its two views; pixels: whether the pixel addon ran the augmentations' loops, or JS:
 * `RESCOM_PIXELS=0` turns it off for a side-by-side run).
 *
 *   npm run bench:data -- --list [--workers N] [--seconds S] [--batch B] [--views 1|2] [--size 224] [--dir DIR] [--decoder auto|sharp|js]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWorkerCount, loadListImageSet, nativePixels, pixelLoopsDescription, resolveDecoder, streamTwoViewBatches, twoViewInput, WorkerPool, writeSyntheticImageLists, type DecoderName } from '../data';
import { Rng } from '../util/rng';
import { formatResultLine } from './result-line';

export async function benchList(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      list: { type: 'boolean' },
      workers: { type: 'string' },
      seconds: { type: 'string' },
      batch: { type: 'string' },
      views: { type: 'string' },
      size: { type: 'string' },
      dir: { type: 'string' },
      images: { type: 'string' },
      decoder: { type: 'string' },
    },
  });
  const workers = values.workers !== undefined ? Number(values.workers) : defaultWorkerCount();
  const seconds = Number(values.seconds ?? process.env.BENCH_DATA_SECONDS ?? 10);
  const batchSize = Number(values.batch ?? 64);
  const twoViews = (values.views ?? '2') !== '1';
  const size = Number(values.size ?? 224);
  const images = Number(values.images ?? 320);
  const decoder = (values.decoder ?? 'auto') as DecoderName;
  const dir = values.dir ?? path.join(os.tmpdir(), `rescom-bench-list-${images}`);
  const numClasses = 20;
  const listFile = path.join(dir, 'ImageNet_LT_train.txt');
  if (!fs.existsSync(listFile)) {
    const started = Date.now();
    const nMax = Math.max(1, Math.round(images / 6.5)); // exp profile, IF 10 over 20 classes: ~6.5 nMax images
    const made = await writeSyntheticImageLists({ dir, format: 'imagenet-lt', numClasses, nMax, imbalanceFactor: 10, testPerClass: 0, sideRange: [300, 500], seed: 2203 });
    console.log(`generated ${made.images} JPEGs (300-500 px sides) in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const set = await loadListImageSet({ listFile, root: dir, numClasses, size });
  const pool = new WorkerPool({ workers });
  const load = os.loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(
    `pipeline: ImageNet preset at ${size} px (RandomResizedCrop + flip + ColorJitter + RandomGrayscale + RandAugment), ${twoViews ? 'two views' : 'one view'}, batch ${batchSize}, ` +
      `decoder ${resolveDecoder(decoder)}, pixel loops ${pixelLoopsDescription()}, ${set.labels.length} listed JPEGs; workers ${pool.size}, ${os.cpus().length} cores, load average ${load}`,
  );
  const rng = new Rng(2203);
  const preset = { name: 'imagenet' as const, size };
  try {
    // Warm-up (JIT, worker start).
    for await (const _ of streamTwoViewBatches({ set, batchSize, rng, twoViews, pool, preset, decoder })) break;
    let count = 0;
    let input = new Float32Array(0);
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < seconds) {
      for await (const batch of streamTwoViewBatches({ set, batchSize, rng, twoViews, pool, preset, decoder })) {
        // The consumer's share: the uint8 views normalised into float32 model input (twoViewInput,
        // as trainStep does), here into one reused buffer, as a GPU trainer's staging buffer.
        const [n, h, w, c] = batch.shape;
        if (input.length < (twoViews ? 2 : 1) * n * h * w * c) input = new Float32Array((twoViews ? 2 : 1) * n * h * w * c);
        twoViewInput(batch, twoViews, 'bench:data', input);
        count += batch.labels.length;
        elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        if (elapsed >= seconds) break;
      }
    }
    const rate = count / elapsed;
    const cpu = process.cpuUsage(cpuStart);
    // process.cpuUsage() counts every thread of the process (workers, libvips / libuv threads): on a
    // shared machine, CPU time per image is the truer measure of the pipeline's cost.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const perCore = count / Math.max(cpuSeconds, 1e-6);
    console.log(
      `${count} images (${twoViews ? 2 * count : count} views) in ${elapsed.toFixed(2)} s: ${rate.toFixed(0)} images/s with ${pool.size} workers; ` +
        `process CPU ${cpuSeconds.toFixed(1)} s = ${((1000 * cpuSeconds) / Math.max(count, 1)).toFixed(1)} ms per image, i.e. ${perCore.toFixed(0)} images/s per fully available core ` +
        `(load average now ${os.loadavg().map((v) => v.toFixed(2)).join(' ')})`,
    );
    console.log(formatResultLine({ list_img_s: Math.round(rate), workers: pool.size, img_per_cpu_s: Math.round(perCore), pixels: nativePixels() ? 'cpp' : 'js' }));
  } finally {
    await pool.dispose();
  }
}
