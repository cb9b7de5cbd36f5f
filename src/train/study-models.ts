/**
 * The trained models a chapter studies (chapter 08, evaluation): by default the models that ship
 * with the repository (models/<config>/<method>-s<seed>, ./shipped-models.ts) — ResCom and every
 * other shipped method of the same config and seed, evaluated on their config's full test set — and,
 * one option away or when no shipped model can be loaded (no model shipped, or its dataset files
 * absent), the checkpoints a chapter trained itself (chapter 07's run folders).
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../configs';
import type { EvaluationResult } from '../eval';
import { METHOD_NAMES } from '../losses/methods';
import { findCheckpoint, readCheckpointConfig } from './checkpoint';
import { prepareTrainingData } from './data-for-config';
import { evaluateCheckpoint } from './evaluate-checkpoint';
import { fileSystemHandler } from './file-io';
import {
  DEFAULT_SHIPPED_MODEL,
  evaluateShippedModel,
  listShippedModels,
  loadShippedModel,
  SHIPPED_MODELS_DIR,
  type ShippedModel,
} from './shipped-models';
import type { EvalImages, TrainingData } from './training-data';

export interface StudiedModel {
  method: string;
  /** Where the model comes from, for a reader: 'shipped models/fashion-mnist-lt-ref/rescom-s0' or 'checkpoint runs/...'. */
  origin: string;
  config: ExperimentConfig;
  /** Evaluation on the full test split of `config`'s data. */
  result: EvaluationResult;
  /** Shipped models: whether this evaluation equals the recorded test results exactly; null for checkpoints. */
  reproduced: boolean | null;
  /** Loads the model again (the caller disposes it). */
  load(): Promise<tf.LayersModel>;
}

export interface StudiedModels {
  source: 'shipped' | 'checkpoints';
  models: StudiedModel[];
  data: TrainingData;
  /** One sentence on what was used and, after a fallback, why. */
  note: string;
}

/** Shipped models of one config and seed, ResCom first, then in METHOD_NAMES order (checksums not yet checked). */
export function shippedModelsOf(options: { config?: string; seed?: number; modelsDir?: string } = {}): ShippedModel[] {
  const config = options.config ?? DEFAULT_SHIPPED_MODEL.config;
  const seed = options.seed ?? DEFAULT_SHIPPED_MODEL.seed;
  const rank = (m: string) => (m === 'rescom' ? -1 : (METHOD_NAMES as readonly string[]).indexOf(m) >>> 0);
  return listShippedModels(options.modelsDir ?? SHIPPED_MODELS_DIR)
    .filter((m) => m.config.name === config && m.seed === seed)
    .sort((a, b) => rank(a.method) - rank(b.method) || a.method.localeCompare(b.method));
}

async function fromShipped(options: { config?: string; seed?: number; modelsDir?: string }): Promise<StudiedModels> {
  const shipped = shippedModelsOf(options);
  if (shipped.length === 0)
    throw new Error(
      `no model of config ${options.config ?? DEFAULT_SHIPPED_MODEL.config}, seed ${options.seed ?? DEFAULT_SHIPPED_MODEL.seed} is shipped in ${options.modelsDir ?? SHIPPED_MODELS_DIR}`,
    );
  const data = await prepareTrainingData(shipped[0].config);
  const models: StudiedModel[] = [];
  for (const m of shipped) {
    const selector = { modelsDir: options.modelsDir, config: m.config.name, method: m.method, seed: m.seed };
    const evaluation = await evaluateShippedModel({ ...selector, data });
    models.push({
      method: m.method,
      origin: `shipped models/${m.id}`,
      config: m.config,
      result: evaluation.result,
      reproduced: evaluation.reproduced,
      load: async () => (await loadShippedModel(selector)).model,
    });
  }
  const note = `shipped models (${shipped.map((m) => m.id).join(', ')}), ${shipped[0].config.epochs} epochs each, evaluated on all ${data.test?.labels.length ?? 0} test images`;
  return { source: 'shipped', models, data, note };
}

async function fromCheckpoints(root: string, methods: readonly string[]): Promise<Omit<StudiedModels, 'note'>> {
  for (const method of methods) {
    if (!findCheckpoint(path.join(root, method)))
      throw new Error(
        `no checkpoint in ${path.join(root, method)}: run the chapter that trains it (07-full-training.ipynb) first`,
      );
  }
  // Same config (same seed) for all: the same subset, validation split and test set.
  const config = readCheckpointConfig(findCheckpoint(path.join(root, methods[0]))!);
  const data = await prepareTrainingData(config);
  const models: StudiedModel[] = [];
  for (const method of methods) {
    const e = await evaluateCheckpoint({ checkpoint: path.join(root, method), data });
    models.push({
      method,
      origin: `checkpoint ${e.checkpointDir}`,
      config: e.config,
      result: e.result,
      reproduced: null,
      load: () => tf.loadLayersModel(fileSystemHandler(e.checkpointDir)),
    });
  }
  return { source: 'checkpoints', models, data };
}

/**
 * The models to study. `source` 'shipped' (default) uses the shipped models of `config` / `seed`
 * (default: the reference protocol, seed 0) and falls back to the checkpoints under
 * `checkpointRoot/<method>` when none can be loaded; 'checkpoints' uses those directly.
 */
export async function studyModels(options: {
  source?: 'shipped' | 'checkpoints';
  checkpointRoot: string;
  checkpointMethods: readonly string[];
  config?: string;
  seed?: number;
  modelsDir?: string;
}): Promise<StudiedModels> {
  const source = options.source ?? 'shipped';
  if (source !== 'shipped' && source !== 'checkpoints')
    throw new Error(`studyModels: source must be 'shipped' or 'checkpoints'; got ${JSON.stringify(source)}`);
  if (source === 'shipped') {
    try {
      return await fromShipped(options);
    } catch (error) {
      const found = await fromCheckpoints(options.checkpointRoot, options.checkpointMethods);
      return {
        ...found,
        note: `checkpoints of ${options.checkpointRoot} (no shipped model could be loaded: ${(error as Error).message.split('\n')[0]})`,
      };
    }
  }
  const found = await fromCheckpoints(options.checkpointRoot, options.checkpointMethods);
  return { ...found, note: `checkpoints of ${options.checkpointRoot}, as asked` };
}

/** At most `perClass` images of each class, in their order (for analyses whose cost grows with N). */
export function firstPerClass(
  images: EvalImages,
  labels: ArrayLike<number>,
  perClass: number,
): { images: EvalImages; labels: number[] } {
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new Error(`firstPerClass: perClass must be an integer >= 1; got ${perClass}`);
  const [n, h, w, c] = images.shape;
  if (labels.length !== n) throw new Error(`firstPerClass: ${labels.length} labels for ${n} images`);
  const taken = new Map<number, number>();
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = taken.get(labels[i]) ?? 0;
    if (k < perClass) {
      taken.set(labels[i], k + 1);
      keep.push(i);
    }
  }
  const size = h * w * c;
  const data = new Float32Array(keep.length * size);
  keep.forEach((i, j) => data.set(images.data.subarray(i * size, (i + 1) * size), j * size));
  return { images: { data, shape: [keep.length, h, w, c] }, labels: keep.map((i) => labels[i]) };
}
