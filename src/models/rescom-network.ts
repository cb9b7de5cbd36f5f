/**
 * The ResCom network (docs/paper-notes.md; BCL/ResCom reference): backbone -> features f, a linear
 * classifier on f (logits) and a projection MLP on f (projections z, normalised by the loss).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { cifarResNet } from './resnet-cifar';
import { bottleneckResNet } from './resnet-imagenet';
import { linearClassifier, projectionHead } from './heads';
import type { Sym } from './layers';

export type BackboneName = 'resnet8' | 'resnet20' | 'resnet32' | 'resnet44' | 'resnet56' | 'resnet50' | 'resnext50';

export interface BackboneInfo {
  /** Feature dimension dFeat (output of global average pooling). */
  featureDim: number;
  description: string;
}

/** Every backbone by name, with its feature dimension and a one-line description. */
export const BACKBONES: Readonly<Record<BackboneName, BackboneInfo>> = {
  resnet8: { featureDim: 64, description: 'CIFAR-style ResNet-8 (1 block per stage, 16/32/64 ch, ~78k params): fast CPU demos on 28x28x1' },
  resnet20: { featureDim: 64, description: 'CIFAR ResNet-20 (3 blocks per stage, 16/32/64 ch, option-A shortcuts, ~0.27M params)' },
  resnet32: { featureDim: 64, description: 'CIFAR ResNet-32 (5 blocks per stage, ~0.46M params): the paper\'s CIFAR-LT backbone' },
  resnet44: { featureDim: 64, description: 'CIFAR ResNet-44 (7 blocks per stage, ~0.66M params)' },
  resnet56: { featureDim: 64, description: 'CIFAR ResNet-56 (9 blocks per stage, ~0.85M params)' },
  resnet50: { featureDim: 2048, description: 'ImageNet ResNet-50 (torchvision v1.5, ~23.5M params without fc): ImageNet-LT / iNaturalist / Places-LT' },
  resnext50: { featureDim: 2048, description: 'ImageNet ResNeXt-50 32x4d (~23.0M params without fc)' },
};

const CIFAR_BLOCKS: Partial<Record<BackboneName, number>> = { resnet8: 1, resnet20: 3, resnet32: 5, resnet44: 7, resnet56: 9 };

export interface BackboneOptions {
  backbone: BackboneName;
  /** [H, W, C] of one image. */
  inputShape: [number, number, number];
  /** Seeds every initialiser (one draw per weight tensor, in build order). */
  rng: Rng;
}

/** Builds `backbone` on a new input; returns the input and features [N, dFeat] symbolic tensors. */
export function buildBackbone(options: BackboneOptions): { input: Sym; features: Sym } {
  const { backbone, inputShape, rng } = options;
  if (!(backbone in BACKBONES)) {
    throw new Error(`buildBackbone: backbone must be one of ${Object.keys(BACKBONES).join(', ')}; got '${String(backbone)}'`);
  }
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(`buildBackbone: inputShape must be [H, W, C] positive integers; got ${JSON.stringify(inputShape)}`);
  }
  const input = tf.input({ shape: inputShape, name: 'images' });
  const blocks = CIFAR_BLOCKS[backbone];
  const features =
    blocks !== undefined
      ? cifarResNet({ input, blocksPerStage: blocks, rng })
      : bottleneckResNet({ input, groups: backbone === 'resnext50' ? 32 : 1, widthPerGroup: backbone === 'resnext50' ? 4 : 64, rng });
  return { input, features };
}

export interface ResComModelOptions extends BackboneOptions {
  numClasses: number;
  /** Projection dimension dCon (paper: 32 on CIFAR with ResNet-32, 128 on ImageNet-LT). */
  projectionDim: number;
}

export interface ResComNetwork {
  /**
   * images [N, H, W, C] -> [features [N, dFeat], logits [N, numClasses], projections [N, dCon]]
   * (projections NOT L2-normalised). Train with `model.apply(x, { training: true })` (BatchNorm
   * batch statistics); `model.predict(x)` uses running statistics.
   */
  model: tf.LayersModel;
  featureDim: number;
  projectionDim: number;
  numClasses: number;
  backbone: BackboneName;
  dispose(): void;
}

/** Builds backbone + linear classifier + projection MLP as one tf.LayersModel with three outputs. */
export function createResComModel(options: ResComModelOptions): ResComNetwork {
  const { numClasses, projectionDim, rng } = options;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`createResComModel: numClasses must be an integer >= 2; got ${numClasses}`);
  }
  if (!Number.isInteger(projectionDim) || projectionDim < 1) {
    throw new Error(`createResComModel: projectionDim must be a positive integer; got ${projectionDim}`);
  }
  const { input, features } = buildBackbone(options);
  const logits = linearClassifier(features, { numClasses, rng });
  const projections = projectionHead(features, { projectionDim, rng });
  const model = tf.model({ inputs: input, outputs: [features, logits, projections], name: `rescom_${options.backbone}` });
  return {
    model,
    featureDim: BACKBONES[options.backbone].featureDim,
    projectionDim,
    numClasses,
    backbone: options.backbone,
    dispose: () => model.dispose(),
  };
}

export interface CountParametersOptions {
  /** Also count non-trainable weights (BatchNorm running statistics). Default false, like PyTorch's `parameters()`. */
  includeNonTrainable?: boolean;
}

/** Number of scalar weights in `model` (trainable only by default). */
export function countParameters(model: tf.LayersModel, options: CountParametersOptions = {}): number {
  const weights = options.includeNonTrainable ? model.weights : model.trainableWeights;
  return weights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
