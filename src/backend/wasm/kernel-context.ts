/**
 * Calling wasm kernels from inside another wasm kernel. A kernel must return `TensorInfo`s owned
 * by the backend, so composite kernels call the registered kernel functions directly (not tf ops,
 * which would create engine-tracked tensors) and free their intermediates themselves.
 */
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;

/** The parts of the wasm backend these kernels use (public methods of BackendWasm). */
export interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Runs registered 'wasm' kernels and remembers their outputs so that `dispose` frees them. */
export class KernelContext {
  private readonly owned: TensorInfo[] = [];

  constructor(readonly backend: WasmBackendLike) {}

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`wasm training kernels: the wasm backend has no '${kernelName}' kernel`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend }) as TensorInfo;
    this.owned.push(out);
    return out;
  }

  /** A new float32 output with unspecified contents, for code that writes every element. */
  empty(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.owned.push(out);
    return out;
  }

  /** A new zero-filled float32 output the caller fills through `view`. */
  zeros(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.owned.push(out);
    this.view(out).fill(0);
    return out;
  }

  /** Float32 view of a tensor's heap memory. Re-take views after any allocation (the heap may grow). */
  view(info: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info) as Float32Array;
  }

  /** Frees every intermediate except `keep` (the kernel's output). Reshapes share data but each holds a reference, so identity (not dataId) decides. */
  dispose(keep: TensorInfo): void {
    for (const info of this.owned) if (info !== keep) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}

/** Executes `body` with a fresh context and frees everything it made except the returned output. */
export function withContext(backend: tf.KernelBackend, body: (ctx: KernelContext) => TensorInfo): TensorInfo {
  const ctx = new KernelContext(backend as WasmBackendLike);
  let out: TensorInfo | null = null;
  try {
    out = body(ctx);
    return out;
  } finally {
    ctx.dispose(out ?? ({ dataId: {} } as TensorInfo));
  }
}
