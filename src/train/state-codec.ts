/**
 * Turns a state tree (plain JSON values mixed with tensors and typed arrays, such as an optimiser's
 * momentum buffers or the criterion's queue) into JSON plus one binary blob, and back. Tensors are
 * stored bit-exactly through TensorFlow.js's weight encoding, so a resumed run continues with the
 * very same numbers.
 */
import * as tf from '@tensorflow/tfjs';

export interface EncodedState {
  /** The tree with each tensor replaced by `{ "$tensor": i }` and typed arrays by `{ "$typed": name, "data": [...] }`. */
  json: unknown;
  /** Weight specs of the tensors, in index order. */
  specs: tf.io.WeightsManifestEntry[];
  /** Their bytes. */
  data: ArrayBuffer;
}

type TypedName = 'Float32Array' | 'Int32Array' | 'Uint8Array' | 'Uint32Array' | 'Float64Array';
const TYPED: Record<TypedName, new (values: number[]) => ArrayLike<number>> = {
  Float32Array,
  Int32Array,
  Uint8Array,
  Uint32Array,
  Float64Array,
};

/** Encode a state tree. Tensors are read, not disposed. */
export async function encodeState(tree: unknown): Promise<EncodedState> {
  const tensors: { name: string; tensor: tf.Tensor }[] = [];
  const walk = (node: unknown): unknown => {
    if (node instanceof tf.Tensor) {
      tensors.push({ name: `t${tensors.length}`, tensor: node });
      return { $tensor: tensors.length - 1 };
    }
    if (ArrayBuffer.isView(node) && !(node instanceof DataView)) {
      const name = node.constructor.name as TypedName;
      if (!(name in TYPED)) throw new Error(`encodeState: unsupported typed array ${name}`);
      return { $typed: name, data: Array.from(node as unknown as ArrayLike<number>) };
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    if (typeof node === 'number' && !Number.isFinite(node)) return { $number: String(node) };
    return node;
  };
  const json = walk(tree);
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { json, specs, data: tf.io.CompositeArrayBuffer.join(data) };
}

/** Decode a state tree; the caller owns the tensors it contains. */
export function decodeState(encoded: EncodedState): unknown {
  const tensors = tf.io.decodeWeights(encoded.data, encoded.specs);
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.$tensor === 'number') {
        const t = tensors[`t${o.$tensor}`];
        if (!t) throw new Error(`decodeState: tensor ${o.$tensor} is missing from the binary data`);
        return t;
      }
      if (typeof o.$typed === 'string') return new TYPED[o.$typed as TypedName](o.data as number[]);
      if (typeof o.$number === 'string') return Number(o.$number);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(encoded.json);
}
