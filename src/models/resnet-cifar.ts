/**
 * CIFAR ResNets (He et al. 2016, Sec. 4.2): 6n+2 layers, three stages of n BasicBlocks with
 * 16/32/64 channels, option-A shortcuts, global average pooling -> 64 features. As the reference
 * implementation (Idelbayev's resnet_cifar, used by LDAM/BCL/ResCom): 3x3 convs without bias,
 * Kaiming-normal fan_in init, BatchNorm gamma 1 beta 0. n = 3, 5, 7, 9 give ResNet-20/32/44/56;
 * n = 1 gives ResNet-8, small enough for CPU demos on 28x28x1.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { OptionAShortcut } from './option-a-shortcut';
import { batchNormAddRelu, batchNormRelu, conv, type Sym } from './layers';

export const CIFAR_STAGE_CHANNELS = [16, 32, 64] as const;

export interface CifarResNetOptions {
  /** Input [N, H, W, C] symbolic tensor. */
  input: Sym;
  /** BasicBlocks per stage (n in 6n+2). */
  blocksPerStage: number;
  rng: Rng;
}

/** Builds the backbone graph; returns features [N, 64]. */
export function cifarResNet(options: CifarResNetOptions): Sym {
  const { input, blocksPerStage, rng } = options;
  if (!Number.isInteger(blocksPerStage) || blocksPerStage < 1) {
    throw new Error(`cifarResNet: blocksPerStage must be a positive integer; got ${blocksPerStage}`);
  }
  // The stem as PaddedConv2D (tf.conv2d, the same padding and weights): tf.layers.conv2d's fused op
  // computes its input's gradient eagerly, and the image needs none (2.2 ms of a ResNet-8 step).
  let x = conv(input, { filters: 16, kernelSize: 3, fanMode: 'fanIn', name: 'stem_conv', rng, explicitPadding: true });
  x = batchNormRelu(x, 'stem_bn');
  CIFAR_STAGE_CHANNELS.forEach((channels, stage) => {
    for (let b = 0; b < blocksPerStage; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      x = basicBlock(x, { channels, strides, name: `stage${stage + 1}_block${b + 1}`, rng });
    }
  });
  return tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as Sym;
}

function basicBlock(x: Sym, o: { channels: number; strides: number; name: string; rng: Rng }): Sym {
  const inChannels = x.shape[3] as number;
  let y = conv(x, { filters: o.channels, kernelSize: 3, strides: o.strides, fanMode: 'fanIn', name: `${o.name}_conv1`, rng: o.rng });
  y = batchNormRelu(y, `${o.name}_bn1`);
  y = conv(y, { filters: o.channels, kernelSize: 3, fanMode: 'fanIn', name: `${o.name}_conv2`, rng: o.rng });
  const shortcut =
    o.strides !== 1 || inChannels !== o.channels
      ? (new OptionAShortcut({ outChannels: o.channels, name: `${o.name}_shortcut` }).apply(x) as Sym)
      : x;
  // relu(bn2(y) + shortcut) in one layer: one pass each way and no sum kept for the backward pass.
  return batchNormAddRelu(y, shortcut, `${o.name}_bn2`);
}
