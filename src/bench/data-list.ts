/**
 * `npm run bench:data -- --list`: throughput of the streamed ImageNet pipeline (read JPEG ->
 * decode (sharp, else jpeg-js) -> RandomResizedCrop 224 + flip + ColorJitter + RandomGrayscale +
 * RandAugment, two views -> uint8 batches -> normalised float32 model input, as trainStep makes it)
 * on a generated tree of JPEGs with ImageNet-like sides (300-500 px), by a pool of worker threads.
 * Beside it, in interleaved windows (`--rounds`, default 3, sharing `--seconds`), its peer:
 * torchvision's DataLoader with PIL decoding, the same list, transforms, size, batch and worker
 * count (bench/pytorch/data.py; two views only; `--no-peer` skips it).
 * Ends with
 * `RESULT list_img_s=<images per second> workers=<n> img_per_cpu_s=<images per CPU-second> pixels=cpp|js torchvision_img_s=<peer|NA> torchvision_img_per_cpu_s=<peer|NA> ratio=<ours/peer|NA>`
 * (an image = its two views; pixels: whether the pixel addon ran the augmentations' loops, or JS:
 * `RESCOM_PIXELS=0` turns it off for a side-by-side run).
 *
 *   npm run bench:data -- --list [--workers N] [--seconds S] [--rounds R] [--batch B] [--views 1|2] [--size 224] [--dir DIR] [--decoder auto|sharp|js] [--no-peer]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWorkerCount, loadListImageSet, nativePixels, pixelLoopsDescription, resolveDecoder, streamTwoViewBatches, twoViewInput, WorkerPool, writeSyntheticImageLists, type DecoderName, type TwoViewBatch } from '../data';
import { Rng } from '../util/rng';
import { formatResultLine } from './result-line';
import { PythonServer } from './python-server';

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
      rounds: { type: 'string' },
      'no-peer': { type: 'boolean' },
    },
  });
  const rounds = Number(values.rounds ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer; got '${values.rounds}'`);
  const withPeer = !values['no-peer'];
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
  const script = path.join(__dirname, '..', '..', 'bench', 'pytorch', 'data.py');
  const peerArgs = ['--list', listFile, '--root', dir, '--workers', `${pool.size}`, '--batch', `${batchSize}`, '--size', `${size}`];
  const peer = withPeer && twoViews ? await PythonServer.start(script, peerArgs, (line) => console.log(`torchvision: ${line}`)) : null;
  if (withPeer && !peer) console.log(twoViews ? 'torchvision: /usr/bin/python3 with torch and torchvision not found; ratio NA' : 'torchvision: peer runs two views only; ratio NA');
  let input = new Float32Array(0);
  // One stream of epochs, kept across the timed windows: prefetched batches carry over (as the
  // peer's persistent DataLoader workers do), none is thrown away at a window's end.
  async function* epochs(): AsyncGenerator<TwoViewBatch, void, undefined> {
    for (;;) yield* streamTwoViewBatches({ set, batchSize, rng, twoViews, pool, preset, decoder });
  }
  const stream = epochs();
  /** Our pipeline for `window` seconds: images, wall seconds, process CPU seconds (every thread). */
  const timeOurs = async (window: number) => {
    let count = 0;
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < window) {
      const batch = (await stream.next()).value as TwoViewBatch;
      // The consumer's share: the uint8 views normalised into float32 model input (twoViewInput,
      // as trainStep does), here into one reused buffer, as a GPU trainer's staging buffer.
      const [n, h, w, c] = batch.shape;
      if (input.length < (twoViews ? 2 : 1) * n * h * w * c) input = new Float32Array((twoViews ? 2 : 1) * n * h * w * c);
      twoViewInput(batch, twoViews, 'bench:data', input);
      count += batch.labels.length;
      elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    }
    const cpu = process.cpuUsage(cpuStart);
    return { count, elapsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  };
  try {
    // Warm-up (JIT, worker start).
    await stream.next();
    // Interleaved windows (ours, then torchvision's), so that both see the same background load.
    const window = seconds / rounds;
    let count = 0;
    let elapsed = 0;
    let cpuSeconds = 0;
    const peerRates: number[] = [];
    const peerCpu = { images: 0, seconds: 0 };
    for (let r = 1; r <= rounds; r++) {
      const ours = await timeOurs(window);
      count += ours.count;
      elapsed += ours.elapsed;
      cpuSeconds += ours.cpuSeconds;
      console.log(`round ${r}: ours ${(ours.count / ours.elapsed).toFixed(0)} images/s (load ${os.loadavg()[0].toFixed(2)})`);
      if (peer) {
        const line = await peer.ask(`run ${window}`, 'DATA');
        const m = line && /images=(\d+) s=([\d.]+) img_s=([\d.]+) cpu=([\d.]+)/.exec(line);
        if (!m) throw new Error(`bench:data: torchvision gave no DATA line (got ${JSON.stringify(line)})`);
        peerRates.push(Number(m[1]) / Number(m[2]));
        peerCpu.images += Number(m[1]);
        peerCpu.seconds += Number(m[4]);
        console.log(`round ${r}: torchvision DataLoader ${Number(m[3]).toFixed(0)} images/s (load ${os.loadavg()[0].toFixed(2)})`);
      }
    }
    const rate = count / elapsed;
    // process.cpuUsage() counts every thread of the process (workers, libvips / libuv threads): on a
    // shared machine, CPU time per image is the truer measure of the pipeline's cost.
    const perCore = count / Math.max(cpuSeconds, 1e-6);
    console.log(
      `${count} images (${twoViews ? 2 * count : count} views) in ${elapsed.toFixed(2)} s: ${rate.toFixed(0)} images/s with ${pool.size} workers; ` +
        `process CPU ${cpuSeconds.toFixed(1)} s = ${((1000 * cpuSeconds) / Math.max(count, 1)).toFixed(1)} ms per image, i.e. ${perCore.toFixed(0)} images/s per fully available core ` +
        `(load average now ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; ${os.cpus()[0]?.model ?? 'unknown CPU'})`,
    );
    const peerRate = peerRates.length ? peerRates.reduce((a, b) => a + b, 0) / peerRates.length : null;
    const peerPerCore = peerCpu.seconds > 0 ? peerCpu.images / peerCpu.seconds : null;
    if (peerRate !== null)
      console.log(
        `torchvision DataLoader (PIL, ${pool.size} workers, same list, transforms and size): ${peerRate.toFixed(0)} images/s, ` +
          `${((1000 * peerCpu.seconds) / Math.max(peerCpu.images, 1)).toFixed(1)} CPU-ms per image (process + workers); ratio ${(rate / peerRate).toFixed(3)}`,
      );
    console.log(
      formatResultLine({
        list_img_s: Math.round(rate),
        workers: pool.size,
        img_per_cpu_s: Math.round(perCore),
        pixels: nativePixels() ? 'cpp' : 'js',
        torchvision_img_s: peerRate === null ? null : Math.round(peerRate),
        torchvision_img_per_cpu_s: peerPerCore === null ? null : Math.round(peerPerCore),
        ratio: peerRate === null ? null : rate / peerRate,
      }),
    );
  } finally {
    peer?.close();
    await stream.return(undefined);
    await pool.dispose();
  }
}
