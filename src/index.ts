/**
 * rescom-lab: ResCom (Rebalanced Siamese Contrastive Mining, arXiv 2203.11506) on TensorFlow.js.
 * Every notebook, CLI command and benchmark calls this library; it is the single home of logic.
 *
 * The public API, by namespace (each folder's index.ts lists its part):
 *   selectBackend, currentBackend  choose and start the tfjs backend (wasm training kernels included)
 *   data         dataset records and readers, long-tailed subsets, augmentation, two-view batches
 *   models       CIFAR / ImageNet ResNets, heads, the ResCom network
 *   losses       CE, focal, LDAM-DRW, Balanced Softmax, SupCon, the ResCom loss, methods, `ResComCriterion`
 *   contrast     class-balanced queue, hard pair miner (host and device), effective-number weights
 *   train        the trainer, schedules, SGD, checkpoints, logs, evaluation of checkpoints, the demo
 *   evaluation   top-k, per-class, Many/Medium/Few, confusion, calibration, predictions
 *   analysis     dual-imbalance simulation, gradient decoupling, representation analyses
 *   viz          plotly figures, `showFigure`, text tables, HTML reports
 *   configs      experiment configs, overrides, validation, saved-config versions
 *   notebook     notebook helpers (budget, checks, tables, image grids) and notebook tooling
 *   util         the seeded `Rng`, atomic writes
 * Not public: argument checks, the PyTorch parity plumbing, kernel registration details; import
 * those from their files inside the repository.
 */
export * as tf from '@tensorflow/tfjs';
export {
  BACKEND_NAMES,
  backendFromEnvironment,
  currentBackend,
  selectBackend,
  type BackendInfo,
  type BackendName,
  type BackendOptions,
} from './backend/select';
export { releaseWebGpu } from './backend/webgpu';
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
