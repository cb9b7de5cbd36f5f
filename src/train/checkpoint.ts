/**
 * Checkpoints: one folder per completed epoch, `RUN/checkpoints/epoch-0007/`, and, with
 * `checkpointEvery`, mid-epoch ones `RUN/checkpoints/epoch-0007-step-000120/` (7 epochs and 120
 * steps of the 8th done; names sort in training order), holding
 *   model.json + weights.bin  the model in TensorFlow.js layers format (`tf.loadLayersModel(fileSystemHandler(dir))`)
 *   state.json + state.bin    epoch, config, RNG state, optimiser state (momentum buffers), criterion
 *                             state (class-balanced queue), the epoch history
 * Each folder is written under a temporary name and renamed when complete; then `latest.json` is
 * replaced atomically. Only the newest `keep` folders stay. A run that stops (killed, or diverged)
 * therefore always has a complete last good checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSavedConfig, savedConfig, type ExperimentConfig } from '../configs';
import type { RngState } from '../util/rng';
import type { NumericsStamp } from './backend-numerics';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic-write';
import { readFileChecked, readJsonFile } from '../util/read-file';
import { fileSystemHandler, MODEL_JSON, WEIGHTS_BIN } from './file-io';
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
  /** The backend line (and CPU) it trained on: a resume elsewhere is refused unless accepted (backend-numerics.ts). */
  numerics?: NumericsStamp;
  /** `dataFingerprint` of the data it trained on: a resume with other data is refused (data-fingerprint.ts). */
  data?: string;
  /**
   * Mid-epoch checkpoints only: `step` steps of epoch `epoch` (0-based) are done; `rng` is then the
   * epoch stream root BEFORE that epoch's fork (a resumed run forks it again and skips `step`
   * batches), and the partial sums let the epoch's record come out as an uninterrupted run's.
   */
  partial?: MidEpochProgress;
}

/** How far into an epoch a mid-epoch checkpoint is, and the epoch's running totals. */
export interface MidEpochProgress {
  step: number;
  sums: { cls: number; con: number; total: number };
  lrFirst: number;
  lrLast: number;
  /** Training wall and CPU seconds spent on the epoch so far. */
  seconds: number;
  cpuSeconds: number;
}

const CHECKPOINT_NAME = /^epoch-\d+(-step-\d+)?$/;

/** Folder name of a checkpoint: `epoch-0007` or `epoch-0007-step-000120`. */
export function checkpointName(epoch: number, step?: number): string {
  const base = `epoch-${String(epoch).padStart(4, '0')}`;
  return step ? `${base}-step-${String(step).padStart(6, '0')}` : base;
}

export interface SaveCheckpointOptions {
  runDir: string;
  model: tf.LayersModel;
  state: TrainingState;
  /** Checkpoint folders kept (newest first). Default 2. */
  keep?: number;
}

const STATE_JSON = 'state.json';
const STATE_BIN = 'state.bin';
/** The files whose sha256 state.json records. */
const CHECKSUMMED = [MODEL_JSON, WEIGHTS_BIN, STATE_BIN];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A checkpoint whose state.json parses but no longer matches its own checksum: it was edited after
 * it was written (a crash cannot do that: state.json is written whole, last, then renamed in). Not
 * a damaged checkpoint to fall back from, a changed one: refused.
 */
export class EditedCheckpointError extends Error {}

/** sha256 of state.json's content without its own checksum field (JSON.stringify is stable through a parse). */
function stateChecksum(content: Record<string, unknown>): string {
  return sha256(new TextEncoder().encode(JSON.stringify(content)));
}

/**
 * Test hook for the kill -9 tests: with RESCOM_FAULT=<point>:<epoch> the process SIGKILLs itself
 * at that point (e.g. `checkpoint-write:2`: weights written, state.json not yet). Off otherwise.
 */
export function faultPoint(point: string, epoch: number): void {
  if (process.env.RESCOM_FAULT === `${point}:${epoch}`) process.kill(process.pid, 'SIGKILL');
}

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, 'checkpoints');
}

/** Write the checkpoint of `state.epoch` and return its folder. */
export async function saveCheckpoint(options: SaveCheckpointOptions): Promise<string> {
  const { runDir, model, state, keep = 2 } = options;
  const root = checkpointsDir(runDir);
  const name = checkpointName(state.epoch, state.partial?.step);
  const finalDir = path.join(root, name);
  // A folder of this epoch left by a run that was killed after writing it but before training on:
  // the new one replaces it (same epoch, so the same content when the run is deterministic).
  if (fs.existsSync(finalDir)) fs.rmSync(finalDir, { recursive: true, force: true });
  const encoded = await encodeState({ ...state, config: savedConfig(state.config), format: CHECKPOINT_FORMAT });
  await writeDirAtomic(finalDir, async (tmp) => {
    await model.save(fileSystemHandler(tmp));
    fs.writeFileSync(path.join(tmp, STATE_BIN), new Uint8Array(encoded.data));
    faultPoint('checkpoint-write', state.epoch);
    // state.json last: it records the sha256 of the three other files and of its own content
    // (checked on load: a config edited inside it is refused, not resumed).
    const checksums = Object.fromEntries(CHECKSUMMED.map((f) => [f, sha256(fs.readFileSync(path.join(tmp, f)))]));
    const content = { format: CHECKPOINT_FORMAT, checksums, specs: encoded.specs, state: encoded.json };
    fs.writeFileSync(path.join(tmp, STATE_JSON), JSON.stringify({ ...content, stateSha256: stateChecksum(content) }));
  });
  writeFileAtomic(
    path.join(root, 'latest.json'),
    JSON.stringify({ epoch: state.epoch, step: state.partial?.step ?? 0, dir: name }),
  );
  const old = fs
    .readdirSync(root)
    .filter((f) => CHECKPOINT_NAME.test(f))
    .sort()
    .reverse()
    .slice(Math.max(1, keep));
  for (const f of old) fs.rmSync(path.join(root, f), { recursive: true, force: true });
  return finalDir;
}

/**
 * The newest complete and intact checkpoint folder of a run, or null when there is none. Accepts a
 * run folder, its `checkpoints/` folder or a checkpoint folder itself. Each candidate (the one
 * `latest.json` names, then the epoch folders newest first) is checked with `verifyCheckpoint`; a
 * damaged one is skipped, saying so through `log` (default stderr), so a corrupt newest checkpoint
 * falls back to the previous good one. Throws when checkpoints exist but none is intact.
 */
export function findCheckpoint(
  location: string,
  options: { log?: ((line: string) => void) | null } = {},
): string | null {
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
  if (fs.existsSync(path.join(location, STATE_JSON))) {
    verifyCheckpoint(location);
    return location;
  }
  const root = fs.existsSync(path.join(location, 'checkpoints')) ? checkpointsDir(location) : location;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return null;
  const candidates: string[] = [];
  const pointer = path.join(root, 'latest.json');
  if (fs.existsSync(pointer)) {
    try {
      const { dir } = readJsonFile<{ dir?: unknown }>(
        pointer,
        'findCheckpoint',
        'a JSON object {"epoch": N, "dir": "epoch-NNNN"}',
      );
      if (typeof dir !== 'string' || !CHECKPOINT_NAME.test(dir))
        throw new Error(
          `findCheckpoint: '${pointer}' names ${JSON.stringify(dir)}; expected "epoch-NNNN" or "epoch-NNNN-step-NNNNNN"`,
        );
      candidates.push(dir);
    } catch (error) {
      log?.(`${(error as Error).message}; using the newest checkpoint folder instead`);
    }
  }
  const dirs = fs
    .readdirSync(root)
    .filter((f) => CHECKPOINT_NAME.test(f))
    .sort()
    .reverse();
  for (const d of dirs) if (!candidates.includes(d)) candidates.push(d);
  const problems: string[] = [];
  for (const name of candidates) {
    const dir = path.join(root, name);
    try {
      verifyCheckpoint(dir);
    } catch (error) {
      if (error instanceof EditedCheckpointError) throw error; // changed, not damaged: no fallback
      problems.push((error as Error).message);
      continue;
    }
    if (problems.length > 0) log?.(`checkpoint damaged: ${problems.join('; ')}; falling back to ${dir}`);
    return dir;
  }
  if (problems.length > 0) throw new Error(`findCheckpoint: no intact checkpoint in '${root}': ${problems.join('; ')}`);
  return null;
}

/**
 * Checks a checkpoint folder without building a model: state.json parses, has the expected
 * format and a config that passes the CLI's validator; model.json, weights.bin and state.bin match
 * the sha256 recorded in state.json (checkpoints written before checksums: sizes only); weights.bin
 * and state.bin have the bytes their manifests declare. Throws naming the file and what was expected.
 */
export function verifyCheckpoint(dir: string): void {
  const fn = 'verifyCheckpoint';
  const file = path.join(dir, STATE_JSON);
  const saved = readJsonFile<{
    format?: unknown;
    checksums?: Record<string, string>;
    specs?: unknown;
    state?: { config?: unknown };
  }>(file, fn, 'a checkpoint state object');
  if (saved.format !== CHECKPOINT_FORMAT)
    throw new Error(`${fn}: '${file}' has format ${JSON.stringify(saved.format)}; expected '${CHECKPOINT_FORMAT}'`);
  // Checkpoints written before state.json carried its own checksum have none to compare.
  const { stateSha256, ...content } = saved as typeof saved & { stateSha256?: unknown };
  if (stateSha256 !== undefined && stateSha256 !== stateChecksum(content))
    throw new EditedCheckpointError(
      `${fn}: '${file}' was edited after it was written (its content no longer matches its stateSha256): a run's config and state cannot be changed in its checkpoint; restore the file, or train afresh with the new settings`,
    );
  for (const name of CHECKSUMMED) {
    const bytes = readFileChecked(path.join(dir, name), fn, `the checkpoint's ${name}`);
    const expected = saved.checksums?.[name];
    if (expected !== undefined && sha256(bytes) !== expected) {
      throw new Error(
        `${fn}: '${path.join(dir, name)}' has ${bytes.length} bytes whose sha256 differs from the one in ${file} (truncated or changed)`,
      );
    }
  }
  if (
    !saved.state ||
    typeof saved.state !== 'object' ||
    !saved.state.config ||
    typeof saved.state.config !== 'object'
  ) {
    throw new Error(`${fn}: '${file}' holds no state.config; expected the run's config`);
  }
  loadSavedConfig(saved.state.config, `${fn}: the config stored in '${file}'`);
  checkDeclaredBytes(path.join(dir, STATE_BIN), saved.specs, `${file} (specs)`);
  const modelFile = path.join(dir, MODEL_JSON);
  const model = readJsonFile<{ weightsManifest?: Array<{ weights?: unknown }> }>(
    modelFile,
    fn,
    'a TensorFlow.js layers model.json',
  );
  if (!Array.isArray(model.weightsManifest))
    throw new Error(`${fn}: '${modelFile}' has no weightsManifest; expected a TensorFlow.js layers model.json`);
  checkDeclaredBytes(
    path.join(dir, WEIGHTS_BIN),
    model.weightsManifest.flatMap((g) => (Array.isArray(g.weights) ? g.weights : [])),
    `${modelFile} (weightsManifest)`,
  );
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1 };

/** Throws unless `file` has exactly the bytes the weight specs declare. */
function checkDeclaredBytes(file: string, specs: unknown, declaredIn: string): void {
  if (!Array.isArray(specs)) throw new Error(`verifyCheckpoint: ${declaredIn} is not a list of weight specs`);
  let bytes = 0;
  for (const spec of specs as Array<{ name?: unknown; shape?: unknown; dtype?: unknown }>) {
    const shape = spec.shape;
    const per = DTYPE_BYTES[String(spec.dtype ?? 'float32')];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || per === undefined) {
      throw new Error(
        `verifyCheckpoint: ${declaredIn} declares weight ${JSON.stringify(spec.name)} with shape ${JSON.stringify(shape)} and dtype ${JSON.stringify(spec.dtype)}; expected integer dims and float32/int32/bool`,
      );
    }
    bytes += per * (shape as number[]).reduce((a, b) => a * b, 1);
  }
  const size = fs.statSync(file).size;
  if (size !== bytes)
    throw new Error(
      `verifyCheckpoint: '${file}' has ${size} bytes; ${declaredIn} declares ${bytes} (truncated or another model)`,
    );
}

/** Read a checkpoint's state (the caller owns its tensors: dispose `optimizer.buffers` and criterion tensors). */
export function loadTrainingState(dir: string): TrainingState {
  const file = path.join(dir, STATE_JSON);
  if (!fs.existsSync(file)) throw new Error(`loadTrainingState: '${dir}' is not a checkpoint folder (no state.json)`);
  verifyCheckpoint(dir);
  const saved = readJsonFile<{ format: string; specs: tf.io.WeightsManifestEntry[]; state: unknown }>(
    file,
    'loadTrainingState',
    'a checkpoint state object',
  );
  const bytes = fs.readFileSync(path.join(dir, STATE_BIN));
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const state = decodeState({ json: saved.state, specs: saved.specs, data }) as TrainingState & { format?: string };
  delete state.format;
  // A checkpoint of an earlier config version resumes: its config gets the later fields' defaults.
  state.config = loadSavedConfig(state.config, `loadTrainingState: '${file}'`);
  return state;
}

/** Only the config stored in a checkpoint (reads no tensors), validated as the CLI validates its own. */
export function readCheckpointConfig(dir: string): ExperimentConfig {
  const file = path.join(dir, STATE_JSON);
  if (!fs.existsSync(file))
    throw new Error(`readCheckpointConfig: '${dir}' is not a checkpoint folder (no state.json)`);
  const saved = readJsonFile<{ state?: { config?: Record<string, unknown> } }>(
    file,
    'readCheckpointConfig',
    'a checkpoint state object',
  );
  if (!saved.state?.config)
    throw new Error(`readCheckpointConfig: '${file}' holds no state.config; expected the run's config`);
  return loadSavedConfig(saved.state.config, `readCheckpointConfig: the config stored in '${file}'`);
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
    throw new Error(
      `loadWeightsInto: checkpoint '${dir}' has ${specs.length} weights; the model has ${weights.length} (another architecture?)`,
    );
  }
  const decoded = tf.io.decodeWeights(artifacts.weightData!, specs);
  const tensors = specs.map((s) => decoded[s.name]);
  specs.forEach((s, i) => {
    if (!tf.util.arraysEqual(s.shape, weights[i].shape as number[])) {
      tf.dispose(tensors);
      throw new Error(
        `loadWeightsInto: weight ${i} ('${s.name}') has shape [${s.shape}] in '${dir}' but [${weights[i].shape}] in the model`,
      );
    }
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}
