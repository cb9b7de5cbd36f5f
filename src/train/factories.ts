/**
 * How the trainer builds its network and criterion from a config: ResNet backbone + classifier +
 * projection MLP (src/models), and the method's criterion (src/losses). Tests and notebooks may pass
 * their own factories to `train`.
 */
import type * as tf from '@tensorflow/tfjs';
import { currentBackend } from '../backend';
import type { ExperimentConfig } from '../configs';
import { ResComCriterion } from '../losses';
import { createResComModel } from '../models';
import type { Rng } from '../util/rng';
import type { TrainingCriterion } from './train-step';

export interface ModelFactoryOptions {
  config: ExperimentConfig;
  /** [H, W, C] of one image. */
  inputShape: [number, number, number];
  numClasses: number;
  rng: Rng;
}

export interface CriterionFactoryOptions {
  config: ExperimentConfig;
  numClasses: number;
  classCounts: number[];
  rng: Rng;
}

export function defaultModelFactory(o: ModelFactoryOptions): { model: tf.LayersModel; dispose(): void } {
  return createResComModel({
    backbone: o.config.backbone,
    inputShape: o.inputShape,
    numClasses: o.numClasses,
    projectionDim: o.config.projectionDim,
    rng: o.rng,
  });
}

export function defaultCriterionFactory(o: CriterionFactoryOptions): TrainingCriterion {
  const c = o.config;
  return new ResComCriterion({
    method: c.method,
    numClasses: o.numClasses,
    classCounts: o.classCounts,
    projectionDim: c.projectionDim,
    queuePerClass: c.queuePerClass,
    selectNumPos: c.selectNumPos,
    selectNumNeg: c.selectNumNeg,
    temperature: c.temperature,
    conWeight: c.conWeight,
    effectiveNumBeta: c.effectiveNumBeta,
    rng: o.rng,
    // ldam-drw: re-weighting over the last fifth of the epochs (Cao et al.: from epoch 160 of 200).
    drwStartEpoch: Math.floor(0.8 * c.epochs),
    // WebGPU in Node cannot read tensors back synchronously: mine on the device there.
    mining: currentBackend()?.name === 'webgpu' ? 'device' : 'host',
  });
}
