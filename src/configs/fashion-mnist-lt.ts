/**
 * Fashion-MNIST-LT: the 28x28 grey images of Fashion-MNIST in an exp long-tailed subset. The default
 * (`fashion-mnist-lt`) uses the small IF-100 subset embedded in the package, so it runs offline
 * anywhere; the `-if100` / `-if10` variants draw the subset from the full files
 * (`data-scripts/fashion-mnist`, Debian's /usr/share/datasets/fashion-mnist).
 *
 * Not a paper setting: hyper-parameters follow the CIFAR recipe scaled to a small ResNet and short
 * runs (cosine decay so any epoch budget ends at a small learning rate). The queue is short
 * (K = 5) because tail classes hold only a handful of images: a long queue would keep its random
 * initial keys for most of a short run, and hard-positive mining (least similar key) would pick them.
 */
import { DATASETS } from '../data/datasets';
import type { ExperimentConfig } from './types';

export const FASHION_MNIST_LT: ExperimentConfig = {
  name: 'fashion-mnist-lt',
  dataset: 'fashion-mnist-lt-embedded',
  dataDir: '',
  imbalanceFactor: 100,
  imbalanceProfile: 'exp',
  nMax: 0,
  imageSize: 28,
  backbone: 'resnet8',
  method: 'rescom',
  epochs: 30,
  batchSize: 64,
  lr: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
  warmupEpochs: 1,
  schedule: 'cosine',
  stepEpochs: [],
  stepFactors: [],
  minLrFactor: 1e-3,
  temperature: 0.2,
  conWeight: 0.5,
  effectiveNumBeta: 0.999,
  queuePerClass: 5,
  selectNumPos: 1,
  selectNumNeg: 40,
  projectionDim: 32,
  augment: DATASETS['fashion-mnist'].augment,
  valFraction: 0.1,
  valPerClass: 0,
  subsetSeed: -1,
  subsetList: '',
  seed: 0,
  evalBatchSize: 256,
};

function fullFashionMnistLt(imbalanceFactor: number): ExperimentConfig {
  return {
    ...FASHION_MNIST_LT,
    name: `fashion-mnist-lt-if${imbalanceFactor}`,
    dataset: 'fashion-mnist',
    dataDir: '/usr/share/datasets/fashion-mnist',
    imbalanceFactor,
    batchSize: 128,
    lr: 0.1,
    queuePerClass: 10,
    selectNumPos: 1,
    selectNumNeg: 90,
  };
}

/** Full Fashion-MNIST files, IF 100 (6,000 head images down to 60). */
export const FASHION_MNIST_LT_IF100 = fullFashionMnistLt(100);
/** Full Fashion-MNIST files, IF 10. */
export const FASHION_MNIST_LT_IF10 = fullFashionMnistLt(10);
