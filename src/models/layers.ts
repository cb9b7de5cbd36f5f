/** Small builders shared by the backbones: convolution with PyTorch padding, BatchNorm, ReLU. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { resComBatchNorm } from './batch-norm-layer';
import { GroupedConv2D } from './grouped-conv';
import { PaddedConv2D } from './padded-conv';
import { kaimingNormal } from './init';

export type Sym = tf.SymbolicTensor;

export interface ConvSpec {
  filters: number;
  kernelSize: number;
  strides?: number;
  /** Default 1. */
  groups?: number;
  /** Kaiming fan: 'fanIn' (CIFAR reference) or 'fanOut' (torchvision). */
  fanMode: 'fanIn' | 'fanOut';
  name: string;
  rng: Rng;
  /** Use PaddedConv2D (tf.conv2d with explicit symmetric padding) even at stride 1. Default false. */
  explicitPadding?: boolean;
}

/**
 * Bias-free convolution padded like PyTorch's `padding = kernelSize // 2` (symmetric). Stride-1
 * convolutions with odd kernels use tf.layers.conv2d 'same' (identical padding); strided ones use
 * PaddedConv2D with explicit symmetric padding (tfjs 'same' would pad bottom/right only); grouped
 * ones GroupedConv2D on a zero-padded input.
 */
export function conv(x: Sym, spec: ConvSpec): Sym {
  const inChannels = x.shape[x.shape.length - 1] as number;
  const strides = spec.strides ?? 1;
  const groups = spec.groups ?? 1;
  const k = spec.kernelSize;
  const fan = spec.fanMode === 'fanIn' ? (k * k * inChannels) / groups : (k * k * spec.filters) / groups;
  const kernelInitializer = kaimingNormal({ fan, rng: spec.rng });
  const pad = Math.floor(k / 2);
  if (groups > 1) {
    const input = pad > 0 ? (tf.layers.zeroPadding2d({ padding: pad, name: `${spec.name}_pad` }).apply(x) as Sym) : x;
    return new GroupedConv2D({ filters: spec.filters, kernelSize: k, groups, strides, padding: 'valid', kernelInitializer, name: spec.name }).apply(
      input,
    ) as Sym;
  }
  if (strides > 1 || k % 2 === 0 || spec.explicitPadding) {
    return new PaddedConv2D({ filters: spec.filters, kernelSize: k, strides, padding: pad, kernelInitializer, name: spec.name }).apply(x) as Sym;
  }
  return tf.layers
    .conv2d({ filters: spec.filters, kernelSize: k, strides, padding: 'same', useBias: false, kernelInitializer, name: spec.name })
    .apply(x) as Sym;
}

export function batchNorm(x: Sym, name: string): Sym {
  return resComBatchNorm({ name }).apply(x) as Sym;
}

/** BatchNorm followed by ReLU, fused into one layer (fewer passes over the activations). */
export function batchNormRelu(x: Sym, name: string): Sym {
  return resComBatchNorm({ name, relu: true }).apply(x) as Sym;
}

/** A residual block's tail `relu(BN(x) + shortcut)` as one layer (named like the BatchNorm it holds). */
export function batchNormAddRelu(x: Sym, shortcut: Sym, name: string): Sym {
  return resComBatchNorm({ name, relu: true, residual: true }).apply([x, shortcut]) as Sym;
}

export function relu(x: Sym, name: string): Sym {
  return tf.layers.reLU({ name }).apply(x) as Sym;
}
