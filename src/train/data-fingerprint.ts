/**
 * A fingerprint of the data a run trains on, stored in its checkpoints: a resume may point
 * `--dataDir` at a new place (the dataset moved), but not at other data. sha256 over each split's
 * shape, labels and content: the pixels of in-memory sets (Fashion-MNIST, CIFAR: ~0.1-0.3 s), the
 * listed paths of streamed image lists (their files are not read: a list naming the same files in
 * the same order with the same labels counts as the same data).
 */
import { createHash, type Hash } from 'node:crypto';
import type { ImageSource } from '../data/types';
import { isListImageSet } from '../data/stream/list-set';
import type { TrainingData } from './training-data';

function addSplit(hash: Hash, name: string, set: ImageSource | null): void {
  hash.update(`${name}:`);
  if (!set) {
    hash.update('none;');
    return;
  }
  hash.update(`${set.labels.length}x${set.height}x${set.width}x${set.channels}/${set.numClasses};`);
  hash.update(new Uint8Array(set.labels.buffer, set.labels.byteOffset, set.labels.byteLength));
  if (isListImageSet(set)) hash.update(set.paths.join('\n'));
  else {
    const pixels = (set as ImageSource & { pixels?: Uint8Array }).pixels;
    if (pixels) hash.update(pixels);
  }
}

/** `sha256:<hex>` of the train, validation and test splits (what the run trains and is tested on). */
export function dataFingerprint(data: TrainingData): string {
  const hash = createHash('sha256');
  addSplit(hash, 'train', data.train);
  addSplit(hash, 'val', data.val);
  addSplit(hash, 'test', data.test);
  return `sha256:${hash.digest('hex')}`;
}
