import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { useTestBackend } from '../helpers/backend';
import { leanVariableGrads } from '../../src/train/lean-gradients';
import { createResComModel } from '../../src/models';
import { Rng } from '../../src/util/rng';

test.before(async () => {
  await useTestBackend();
});

/** Every gradient's bits, in trainable-weight order. */
function bits(grads: tf.NamedTensorMap, model: tf.LayersModel): Uint32Array[] {
  return model.trainableWeights.map(
    (w) => new Uint32Array((grads[w.originalName ?? w.name].dataSync() as Float32Array).slice().buffer),
  );
}

test.serial(
  'a whole ResCom network: the same gradients and loss as tf.variableGrads, bit for bit, and no leaks',
  (t) => {
    const net = createResComModel({
      backbone: 'resnet8',
      inputShape: [12, 12, 3],
      numClasses: 5,
      projectionDim: 6,
      rng: new Rng(3),
    });
    const x = tf.randomNormal([6, 12, 12, 3], 0, 1, 'float32', 4);
    const r = [64, 5, 6].map((d, i) => tf.randomNormal([6, d], 0, 1, 'float32', 5 + i));
    const loss = () => {
      const outs = net.model.apply(x, { training: true }) as tf.Tensor[];
      // The same tensor feeds two consumers (outs[0] twice): a gradient that is summed.
      return tf.addN([...outs.map((o, i) => tf.sum(tf.mul(o, r[i]))), tf.sum(tf.square(outs[0]))]) as tf.Scalar;
    };
    const variables = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const snapshot = net.model.getWeights().map((w) => w.clone());
    const before = tf.memory().numTensors;
    const plain = tf.variableGrads(loss, variables);
    const expected = bits(plain.grads, net.model);
    const expectedLoss = plain.value.dataSync()[0];
    tf.dispose([plain.value, ...Object.values(plain.grads)]);
    net.model.setWeights(snapshot); // the running statistics moved; start the second call from the same state
    const lean = leanVariableGrads(loss, variables);
    t.is(lean.value.dataSync()[0], expectedLoss);
    t.deepEqual(bits(lean.grads, net.model), expected);
    tf.dispose([lean.value, ...Object.values(lean.grads)]);
    t.is(tf.memory().numTensors, before, 'no tensor leaks');
    tf.dispose([x, ...r, ...snapshot]);
    net.dispose();
  },
);

test.serial(
  "a node's saved tensors are freed once the backward pass has moved past it; pass-through gradients survive",
  (t) => {
    const x = tf.variable(tf.tensor1d([1, 2, 3]));
    const seen: { savedByLater: tf.Tensor | null; freedInTime: boolean | null } = {
      savedByLater: null,
      freedInTime: null,
    };
    type Custom = Parameters<typeof tf.customGrad>[0];
    // later(y) = y * y saves y; earlier(x) = 3 x checks, in its own backward (which runs after
    // later's), that later's saved copy of y has been freed.
    const later = tf.customGrad(((y: tf.Tensor, save: tf.GradSaveFunc) => {
      save([y]);
      return {
        value: tf.mul(y, y),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          seen.savedByLater = saved[0];
          return tf.mul(dy, tf.mul(saved[0], 2));
        },
      };
    }) as Custom);
    const earlier = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return {
        value: tf.mul(a, 3),
        gradFunc: (dy: tf.Tensor) => {
          seen.freedInTime = seen.savedByLater?.isDisposed ?? null;
          return tf.mul(dy, 3);
        },
      };
    }) as Custom);
    const before = tf.memory().numTensors;
    const { value, grads } = leanVariableGrads(() => {
      const y = earlier(x) as tf.Tensor;
      // tf.add hands its output gradient to both inputs unchanged: both paths must survive.
      return tf.sum(tf.add(later(y) as tf.Tensor, y)) as tf.Scalar;
    }, [x]);
    t.is(seen.freedInTime, true, "later's saved tensor is freed before earlier's gradient runs");
    // d/dx sum(9x^2 + 3x) = 18x + 3
    t.deepEqual(Array.from(grads[x.name].dataSync()), [21, 39, 57]);
    tf.dispose([value, ...Object.values(grads)]);
    t.is(tf.memory().numTensors, before);
    x.dispose();
  },
);

test.serial('leanVariableGrads refuses to run inside another gradient computation', (t) => {
  const x = tf.variable(tf.scalar(2));
  t.throws(() => tf.variableGrads(() => leanVariableGrads(() => tf.square(x) as tf.Scalar, [x]).value, [x]), {
    message: /leanVariableGrads: cannot run inside another gradient computation/,
  });
  x.dispose();
});
