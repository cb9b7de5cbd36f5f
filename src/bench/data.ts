/**
 * `npm run bench:data`: throughput of the two-view CIFAR pipeline (RandomCrop pad 4 + flip +
 * AutoAugment CIFAR-10 + Cutout 16, both views, normalised into float32 batches) on synthetic
 * 32x32x3 images. Must stay well above the training rate (at least 5x the ResNet-32 step rate).
 * Ends with `RESULT data_img_s=<images per second>` (an image = its two views).
 * With `--list`: the streamed ImageNet pipeline on generated JPEGs instead (data-list.ts).
 */
import { augmentationPreset, twoViewBatches } from '../data';
import type { ImageSet } from '../data';
import { Rng } from '../util/rng';
import { benchList } from './data-list';
import { formatResultLine } from './result-line';

function syntheticCifar(count: number, rng: Rng): ImageSet {
  // Smooth random images (not white noise), so histogram ops see realistic value spreads.
  const pixels = new Uint8Array(count * 32 * 32 * 3);
  for (let i = 0; i < count; i++) {
    const base = [rng.int(256), rng.int(256), rng.int(256)];
    const gx = rng.uniform(-4, 4);
    const gy = rng.uniform(-4, 4);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const v = base[c] + gx * (x - 16) + gy * (y - 16) + rng.int(32) - 16;
          pixels[((i * 32 + y) * 32 + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % 10;
  return { pixels, labels, height: 32, width: 32, channels: 3, numClasses: 10 };
}

function main(): void {
  const rng = new Rng(2203);
  const set = syntheticCifar(4096, rng);
  const preset = augmentationPreset('cifar');
  const batchSize = 128;
  const seconds = Number(process.env.BENCH_DATA_SECONDS ?? 5);
  console.log(`pipeline: ${preset.description}, two views, batch ${batchSize}, synthetic 32x32x3`);
  // Warm-up epoch slice (JIT).
  let warm = 0;
  for (const _ of twoViewBatches({ set, batchSize, augment: preset, rng })) if (++warm >= 4) break;
  let images = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (const batch of twoViewBatches({ set, batchSize, augment: preset, rng })) {
      images += batch.labels.length;
      elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      if (elapsed >= seconds) break;
    }
  }
  const rate = images / elapsed;
  console.log(`${images} images (${2 * images} views) in ${elapsed.toFixed(2)} s: ${rate.toFixed(0)} images/s, ${(2 * rate).toFixed(0)} views/s, single thread`);
  console.log(formatResultLine({ data_img_s: Math.round(rate) }));
}

if (process.argv.includes('--list')) {
  benchList(process.argv.slice(2)).catch((err) => {
    console.error(`bench:data --list: ${(err as Error).message}`);
    process.exit(1);
  });
} else {
  main();
}
