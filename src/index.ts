/**
 * rescom-lab: ResCom (Rebalanced Siamese Contrastive Mining, arXiv 2203.11506) on TensorFlow.js.
 * Every notebook, CLI command and benchmark calls this library; it is the single home of logic.
 */
export * as tf from '@tensorflow/tfjs';
export * from './backend';
export * as data from './data';
export * as models from './models';
export * as losses from './losses';
export * as contrast from './contrast';
export * as train from './train';
export * as evaluation from './eval';
export * as analysis from './analysis';
export * as viz from './viz';
export * as configs from './configs';
export * as util from './util';
export * as notebook from './notebook';
