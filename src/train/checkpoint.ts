/**
 * Checkpoints: one folder per completed epoch, `RUN/checkpoints/epoch-0007/`, holding
 *   model.json + weights.bin  the model in TensorFlow.js layers format (`tf.loadLayersModel(fileSystemHandler(dir))`)
 *   state.json + state.bin    epoch, config, RNG state, optimiser state (momentum buffers), criterion
 *                             state (class-balanced queue), the epoch history
 * Each folder is written under a temporary name and renamed when complete; then `latest.json` is
 * replaced atomically. Only the newest `keep` folders stay. A run that stops (killed, or diverged)
 * therefore always has a complete last good checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSavedConfig, savedConfig, type ExperimentConfig } from '../configs';
import type { RngState } from '../util/rng';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic-write';
import { fileSystemHandler } from './file-io';
import { decodeState, encodeState } from './state-codec';
import type { CriterionState } from './train-step';

export const CHECKPOINT_FORMAT = 'rescom-checkpoint/1';

/** Everything besides the model that a run needs to continue exactly. */
export interface TrainingState {
  /** Completed epochs (the next epoch to run, 0-based). */
  epoch: number;
  config: ExperimentConfig;
  /** The trainer's generator state after `epoch` epochs. */
  rng: RngState;
  /** Optimiser step count and momentum buffers (tensors, in trainable-weight order). */
  optimizer: { iterations: number; buffers: tf.Tensor[] };
  /** The criterion's state (e.g. queue keys and pointers); any tree of JSON values and tensors. */
  criterion: CriterionState;
  /** One record per completed epoch (what log.jsonl holds). */
  history: Record<string, unknown>[];
}

export interface SaveCheckpointOptions {
  runDir: string;
  model: tf.LayersModel;
  state: TrainingState;
  /** Checkpoint folders kept (newest first). Default 2. */
  keep?: number;
}

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, 'checkpoints');
}

/** Write the checkpoint of `state.epoch` and return its folder. */
export async function saveCheckpoint(options: SaveCheckpointOptions): Promise<string> {
  const { runDir, model, state, keep = 2 } = options;
  const root = checkpointsDir(runDir);
  const name = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const finalDir = path.join(root, name);
  // A folder of this epoch left by a run that was killed after writing it but before training on:
  // the new one replaces it (same epoch, so the same content when the run is deterministic).
  if (fs.existsSync(finalDir)) fs.rmSync(finalDir, { recursive: true, force: true });
  const encoded = await encodeState({ ...state, config: savedConfig(state.config), format: CHECKPOINT_FORMAT });
  await writeDirAtomic(finalDir, async (tmp) => {
    await model.save(fileSystemHandler(tmp));
    fs.writeFileSync(path.join(tmp, 'state.bin'), new Uint8Array(encoded.data));
    fs.writeFileSync(path.join(tmp, 'state.json'), JSON.stringify({ format: CHECKPOINT_FORMAT, specs: encoded.specs, state: encoded.json }));
  });
  writeFileAtomic(path.join(root, 'latest.json'), JSON.stringify({ epoch: state.epoch, dir: name }));
  const old = fs
    .readdirSync(root)
    .filter((f) => /^epoch-\d+$/.test(f))
    .sort()
    .reverse()
    .slice(Math.max(1, keep));
  for (const f of old) fs.rmSync(path.join(root, f), { recursive: true, force: true });
  return finalDir;
}

/**
 * The newest complete checkpoint folder of a run, or null. Accepts a run folder, its
 * `checkpoints/` folder or a checkpoint folder itself.
 */
export function findCheckpoint(location: string): string | null {
  if (fs.existsSync(path.join(location, 'state.json'))) return location;
  const root = fs.existsSync(path.join(location, 'checkpoints')) ? checkpointsDir(location) : location;
  const pointer = path.join(root, 'latest.json');
  if (fs.existsSync(pointer)) {
    const { dir } = JSON.parse(fs.readFileSync(pointer, 'utf8')) as { dir: string };
    if (fs.existsSync(path.join(root, dir, 'state.json'))) return path.join(root, dir);
  }
  if (!fs.existsSync(root)) return null;
  const dirs = fs
    .readdirSync(root)
    .filter((f) => /^epoch-\d+$/.test(f) && fs.existsSync(path.join(root, f, 'state.json')))
    .sort();
  return dirs.length ? path.join(root, dirs[dirs.length - 1]) : null;
}

/** Read a checkpoint's state (the caller owns its tensors: dispose `optimizer.buffers` and criterion tensors). */
export function loadTrainingState(dir: string): TrainingState {
  const file = path.join(dir, 'state.json');
  if (!fs.existsSync(file)) throw new Error(`loadTrainingState: '${dir}' is not a checkpoint folder (no state.json)`);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; specs: tf.io.WeightsManifestEntry[]; state: unknown };
  if (saved.format !== CHECKPOINT_FORMAT) {
    throw new Error(`loadTrainingState: '${file}' has format '${saved.format}'; expected '${CHECKPOINT_FORMAT}'`);
  }
  const bytes = fs.readFileSync(path.join(dir, 'state.bin'));
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const state = decodeState({ json: saved.state, specs: saved.specs, data }) as TrainingState & { format?: string };
  delete state.format;
  // A checkpoint of an earlier config version resumes: its config gets the later fields' defaults.
  state.config = loadSavedConfig(state.config, `loadTrainingState: '${file}'`);
  return state;
}

/** Only the config stored in a checkpoint (reads no tensors). */
export function readCheckpointConfig(dir: string): ExperimentConfig {
  const file = path.join(dir, 'state.json');
  if (!fs.existsSync(file)) throw new Error(`readCheckpointConfig: '${dir}' is not a checkpoint folder (no state.json)`);
  return loadSavedConfig((JSON.parse(fs.readFileSync(file, 'utf8')) as { state: { config: unknown } }).state.config, `readCheckpointConfig: '${file}'`);
}

/**
 * Copy a checkpoint's weights into an existing model of the same architecture, by position
 * (layer names differ between model instances; positions and shapes do not).
 */
export async function loadWeightsInto(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = await fileSystemHandler(dir).load!();
  const specs = artifacts.weightSpecs ?? [];
  const weights = model.weights;
  if (specs.length !== weights.length) {
    throw new Error(`loadWeightsInto: checkpoint '${dir}' has ${specs.length} weights; the model has ${weights.length} (another architecture?)`);
  }
  const decoded = tf.io.decodeWeights(artifacts.weightData!, specs);
  const tensors = specs.map((s) => decoded[s.name]);
  specs.forEach((s, i) => {
    if (!tf.util.arraysEqual(s.shape, weights[i].shape as number[])) {
      tf.dispose(tensors);
      throw new Error(`loadWeightsInto: weight ${i} ('${s.name}') has shape [${s.shape}] in '${dir}' but [${weights[i].shape}] in the model`);
    }
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}
