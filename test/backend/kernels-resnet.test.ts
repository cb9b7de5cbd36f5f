import test from 'ava';
import { useTestBackend } from '../helpers/backend';
import { checkResNetGradients } from '../helpers/resnet-gradients';
import { unregisterOneDnnKernels } from '../../src/backend/wasm/onednn';

test.serial('a whole small ResNet: wasm gradients match the cpu backend', async (t) => {
  await useTestBackend();
  unregisterOneDnnKernels(); // the JS/XNNPACK kernels; onednn.test.ts checks the oneDNN ones
  await checkResNetGradients(t);
});
