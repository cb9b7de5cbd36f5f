/**
 * `leanVariableGrads`: `tf.variableGrads` that frees memory as the backward pass moves, as
 * PyTorch's autograd does.
 *
 * TensorFlow.js (4.22, tfjs-core `backpropagateGradients` in tape.ts) keeps every tensor a tape
 * node saved for its backward pass, and the gradient of every intermediate tensor, until the whole
 * backward pass has ended: the peak holds all saved activations plus all activation gradients.
 * For ResNet-50 at 224 px with 2 x 8 images that is past the wasm heap's 4 GB (measured: 4002 MiB
 * of heap with only the saved activations freed at the end; see docs/wasm-training.md).
 *
 * Nodes are processed strictly in reverse tape order, so when a node's gradient function is
 * called, the node processed before it has finished: its saved tensors and the gradients of its
 * outputs (each consumed only by the node that produced the output) are freed then. A gradient
 * function that hands back one of its inputs' tensors unchanged (Add, Identity, ...) gets a clone
 * (shared data, no copy), so every pending gradient is a tensor object of its own and freeing one
 * never frees another. The values are exactly those of `tf.variableGrads` (test/train/lean-gradients.test.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs-core tape node this file touches (engine.ts `TapeNode`). */
interface TapeNode {
  gradient?: (dys: tf.Tensor[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

interface EngineWithTape {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
}

/** Wraps the gradient function of every node on `tape` so that each node frees what it held once done. */
function releaseAsBackpropagated(tape: TapeNode[]): void {
  let finished: tf.Tensor[] = [];
  for (const node of tape) {
    const original = node.gradient;
    if (!original) continue;
    node.gradient = (dys: tf.Tensor[]) => {
      // The node processed before this one has run all its input gradients by now.
      tf.dispose(finished);
      const own = new Set<tf.Tensor>([...dys.filter((d) => d != null), ...(node.saved ?? [])]);
      const handedOut = new Set<tf.Tensor>();
      const lazy = original(dys);
      const wrapped: Record<string, () => tf.Tensor> = {};
      for (const [name, compute] of Object.entries(lazy)) {
        wrapped[name] = () => {
          const dx = compute();
          const unique = own.has(dx) || handedOut.has(dx) ? dx.clone() : dx;
          handedOut.add(unique);
          return unique;
        };
      }
      finished = [...own];
      return wrapped;
    };
  }
}

/**
 * Same contract as `tf.variableGrads(f, varList)` (gradients of the scalar `f()` with respect to
 * `varList`, default every trainable variable), with the memory of the backward pass released as
 * it goes (see the file comment). Not for nested (higher-order) gradients.
 */
export function leanVariableGrads(
  f: () => tf.Scalar,
  varList?: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = tf.engine() as unknown as EngineWithTape;
  if (engine.state.gradientDepth > 0)
    throw new Error('leanVariableGrads: cannot run inside another gradient computation (higher-order gradients)');
  return tf.variableGrads(() => {
    const value = f();
    const tape = engine.state.activeTape;
    if (tape) releaseAsBackpropagated(tape);
    return value;
  }, varList);
}
