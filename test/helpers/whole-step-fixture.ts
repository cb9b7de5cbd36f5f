/**
 * Reads test/fixtures/whole-step/step.json (written by make.py there): the hashed inputs it describes
 * (weights, momentum buffers, images) computed exactly as make.py computes them, and its stored arrays.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A stored array: base64 little-endian float32, or int16 times `scale`. */
export type StoredArray = { dtype: 'float32'; data: string } | { dtype: 'int16'; scale: number; data: string };

/** `offset + scale * u` rounded to float32, u = hashUniform(seed). */
export interface ValueSpec {
  seed: number;
  offset: number;
  scale: number;
}

export interface ParameterSpec {
  /** PyTorch name (bench/pytorch/models.py ResComNet). */
  torch: string;
  /** The project's weight name (`originalName`), e.g. `stage2_block1_conv1/kernel`. */
  tfjs: string;
  kind: 'conv' | 'dense' | 'vector';
  /** TensorFlow.js layout. */
  shape: number[];
  trainable: boolean;
  value: ValueSpec;
  /** The momentum buffer before the step (trainable weights only). */
  buffer?: ValueSpec;
}

export interface WholeStepFixture {
  config: {
    backbone: 'resnet8';
    height: number;
    width: number;
    channels: number;
    num_classes: number;
    projection_dim: number;
    class_counts: number[];
    batch: number;
    queue_per_class: number;
    select_num_pos: number;
    select_num_neg: number;
    temperature: number;
    con_weight: number;
    effective_num_beta: number;
    lr: number;
    momentum: number;
    weight_decay: number;
    run_lr: number;
    run_steps: number;
  };
  images: { template_seed: number; noise_seed: number; template_weight: number; noise_weight: number };
  parameters: ParameterSpec[];
  /** `[run_steps][batch]`; step 0 is the one-step case. */
  labels: number[][];
  queue: StoredArray;
  queue_ptr: number[];
  expected: {
    losses32: Losses;
    losses64: Losses;
    grads64: Record<string, StoredArray>;
    grads32: Record<string, StoredArray>;
    updates32: Record<string, StoredArray>;
    running32: Record<string, StoredArray>;
    queue32: StoredArray;
    queue_ptr: number[];
    /** PyTorch's float32-vs-float64 gradient error per weight (max |g32 - g64| / max |g64|). */
    conditioning: Record<string, number>;
    mining_margin: number;
    /** Sum of each weight's hashed initial values (float64), keyed by project name. */
    input_sums: Record<string, number>;
    /** Sums of step 0's view 1 and view 2. */
    image_sums: [number, number];
    run_losses32: number[];
    run_losses64: number[];
  };
}

export interface Losses {
  cls: number;
  con: number;
  total: number;
}

export const WHOLE_STEP_FIXTURE = path.join(__dirname, '..', 'fixtures', 'whole-step', 'step.json');

export function loadWholeStepFixture(file = WHOLE_STEP_FIXTURE): WholeStepFixture {
  return JSON.parse(readFileSync(file, 'utf8')) as WholeStepFixture;
}

/**
 * u[i] in [-1, 1), i < count: the murmur3 finaliser of (i + seed * 0x9E3779B9) mod 2^32, top 24 bits
 * (make.py `hash_uniform`; integer arithmetic, so both languages give the same values).
 */
export function hashUniform(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const base = Math.imul(seed, 0x9e3779b9);
  for (let i = 0; i < count; i++) {
    let z = (base + i) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    out[i] = (z >>> 8) / 2 ** 23 - 1;
  }
  return out;
}

/** `count` values of a spec, float32 (make.py `values`). */
export function specValues(spec: ValueSpec, count: number): Float32Array {
  const u = hashUniform(spec.seed, count);
  return Float32Array.from(u, (v) => spec.offset + spec.scale * v);
}

/** One view of one step's batch, `[N, H, W, C]` float32 (make.py `images`). */
export function batchView(fixture: WholeStepFixture, step: number, view: 0 | 1): Float32Array {
  const { height, width, channels } = fixture.config;
  const per = height * width * channels;
  const labels = fixture.labels[step];
  const im = fixture.images;
  const noise = hashUniform(im.noise_seed + 2 * step + view, labels.length * per);
  const out = new Float32Array(labels.length * per);
  labels.forEach((y, i) => {
    const template = hashUniform(im.template_seed + y, per);
    for (let j = 0; j < per; j++)
      out[i * per + j] = im.template_weight * template[j] + im.noise_weight * noise[i * per + j];
  });
  return out;
}

/** A stored array's values. */
export function decode(stored: StoredArray): Float32Array {
  const bytes = Buffer.from(stored.data, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (stored.dtype === 'float32')
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
  return Float32Array.from({ length: bytes.length / 2 }, (_, i) => view.getInt16(2 * i, true) * stored.scale);
}
