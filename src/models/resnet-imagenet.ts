/**
 * ImageNet ResNet-50 (He et al. 2016, Table 1) and ResNeXt-50 32x4d (Xie et al. 2017, Table 1) as
 * torchvision builds them (the ResCom reference uses torchvision-style models): 7x7/2 stem, 3x3/2
 * max-pool, Bottleneck stages [3, 4, 6, 3] with stride on the 3x3 conv ("v1.5"), projection
 * shortcuts (1x1 conv + BN) where shape changes, global average pooling -> 2048 features.
 * Kaiming-normal fan_out init, BatchNorm gamma 1 beta 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { batchNorm, batchNormAddRelu, batchNormRelu, conv, relu, type Sym } from './layers';
import { PaddedMaxPool2D } from './padded-max-pool';

export interface BottleneckResNetOptions {
  /** Input [N, H, W, 3] symbolic tensor (tiny sizes work: features come from global pooling). */
  input: Sym;
  /** Cardinality: 1 for ResNet-50, 32 for ResNeXt-50 32x4d. */
  groups: number;
  /** Width per group: 64 for ResNet-50, 4 for ResNeXt-50 32x4d. */
  widthPerGroup: number;
  /** Bottlenecks per stage; default [3, 4, 6, 3] (50 layers). */
  blocks?: number[];
  rng: Rng;
}

const EXPANSION = 4;

/** Builds the backbone graph; returns features [N, 2048]. */
export function bottleneckResNet(options: BottleneckResNetOptions): Sym {
  const { input, groups, widthPerGroup, rng } = options;
  const blocks = options.blocks ?? [3, 4, 6, 3];
  let x = conv(input, { filters: 64, kernelSize: 7, strides: 2, fanMode: 'fanOut', name: 'stem_conv', rng });
  x = batchNormRelu(x, 'stem_bn');
  x = new PaddedMaxPool2D({ poolSize: 3, strides: 2, padding: 1, name: 'stem_pool' }).apply(x) as Sym;
  blocks.forEach((count, stage) => {
    const planes = 64 * 2 ** stage;
    for (let b = 0; b < count; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      x = bottleneck(x, { planes, strides, groups, widthPerGroup, name: `stage${stage + 1}_block${b + 1}`, rng });
    }
  });
  return tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as Sym;
}

function bottleneck(
  x: Sym,
  o: { planes: number; strides: number; groups: number; widthPerGroup: number; name: string; rng: Rng },
): Sym {
  const inChannels = x.shape[3] as number;
  const width = Math.floor(o.planes * (o.widthPerGroup / 64)) * o.groups;
  const outChannels = o.planes * EXPANSION;
  const rng = o.rng;
  let y = conv(x, { filters: width, kernelSize: 1, fanMode: 'fanOut', name: `${o.name}_conv1`, rng });
  y = batchNormRelu(y, `${o.name}_bn1`);
  y = conv(y, { filters: width, kernelSize: 3, strides: o.strides, groups: o.groups, fanMode: 'fanOut', name: `${o.name}_conv2`, rng });
  y = batchNormRelu(y, `${o.name}_bn2`);
  y = conv(y, { filters: outChannels, kernelSize: 1, fanMode: 'fanOut', name: `${o.name}_conv3`, rng });
  if (o.strides === 1 && inChannels === outChannels) {
    // relu(bn3(y) + x) in one layer: one pass each way and no sum kept for the backward pass.
    return batchNormAddRelu(y, x, `${o.name}_bn3`);
  }
  // With a projection shortcut the tail stays three layers: fusing it would move bn3 after
  // down_bn in the model's weight order, and checkpoints are loaded by position.
  y = batchNorm(y, `${o.name}_bn3`);
  let shortcut = conv(x, { filters: outChannels, kernelSize: 1, strides: o.strides, fanMode: 'fanOut', name: `${o.name}_down_conv`, rng });
  shortcut = batchNorm(shortcut, `${o.name}_down_bn`);
  const sum = tf.layers.add({ name: `${o.name}_add` }).apply([y, shortcut]) as Sym;
  return relu(sum, `${o.name}_relu3`);
}
