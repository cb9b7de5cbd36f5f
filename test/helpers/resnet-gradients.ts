/** A whole small ResNet's gradients on wasm against the cpu backend (kernels-resnet.test.ts, onednn.test.ts). */
import type { ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { createResComModel } from '../../src/models';
import { Rng } from '../../src/util/rng';

/**
 * Gradients of every trainable weight of a small ResCom network (ResNet-8 backbone, stride-2
 * convs, option-A shortcuts, fast BatchNorm, heads) for a loss on all three outputs, on the current backend.
 */
function gradients(model: tf.LayersModel, x: tf.Tensor, r: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const outs = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, r[i])))) as tf.Scalar;
    });
    return model.trainableWeights.map((w) => grads[w.originalName ?? w.name]?.dataSync() as Float32Array);
  });
}

/** Compares a small ResCom network's gradients on the current 'wasm' kernels with the cpu backend's. */
export async function checkResNetGradients(t: ExecutionContext): Promise<void> {
  const net = createResComModel({
    backbone: 'resnet8',
    inputShape: [12, 12, 3],
    numClasses: 5,
    projectionDim: 6,
    rng: new Rng(21),
  });
  const x = tf.randomNormal([4, 12, 12, 3], 0, 1, 'float32', 22);
  const r = [64, 5, 6].map((d, i) => tf.randomNormal([4, d], 0, 1, 'float32', 30 + i));
  const snapshot = net.model.getWeights().map((w) => w.clone());
  const before = tf.memory().numTensors;
  const onWasm = gradients(net.model, x, r);
  t.is(tf.memory().numTensors, before, 'no tensor leaks');
  net.model.setWeights(snapshot); // the training call moved the running statistics (not used by the gradients, but keep runs identical)
  await tf.setBackend('cpu');
  const onCpu = gradients(net.model, x, r);
  await tf.setBackend('wasm');
  t.is(onWasm.length, net.model.trainableWeights.length);
  // A bias feeding BatchNorm (head_fc1/bias) has a true gradient of exactly 0 (BatchNorm subtracts
  // the mean): both backends return rounding noise, so it is checked to be ~0 instead.
  const largest = Math.max(...onCpu.map((g) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  let worst = 0;
  onWasm.forEach((g, i) => {
    const name = net.model.trainableWeights[i].originalName ?? net.model.trainableWeights[i].name;
    t.truthy(g, `gradient for ${name}`);
    if (name === 'head_fc1/bias') {
      t.true(
        g.every((v, k) => Math.abs(v) < 1e-5 * largest && Math.abs(onCpu[i][k]) < 1e-5 * largest),
        name,
      );
      return;
    }
    let diff = 0;
    let scale = 0;
    for (let k = 0; k < g.length; k++) {
      diff = Math.max(diff, Math.abs(g[k] - onCpu[i][k]));
      scale = Math.max(scale, Math.abs(onCpu[i][k]));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-12));
  });
  t.true(worst < 1e-4, `worst relative error ${worst}`);
  t.log(`worst relative error over ${onWasm.length} weights: ${worst.toExponential(2)}`);
  tf.dispose([x, ...r, ...snapshot]);
  net.dispose();
}
