/**
 * Pins the public API (src/index.ts): the root names and, per namespace, that the internals the
 * issue names (argument checks, parity plumbing, kernel registration, test hooks) stay unexported,
 * and that there is one showFigure. A change to the list is a deliberate change to this file.
 */
import test from 'ava';
import * as rc from '../../src';
import { showFigure } from '../../src/viz/show';

test('the root exports exactly the documented names', (t) => {
  t.deepEqual(Object.keys(rc).sort(), [
    'BACKEND_NAMES',
    'analysis',
    'backendFromEnvironment',
    'configs',
    'contrast',
    'currentBackend',
    'data',
    'evaluation',
    'losses',
    'models',
    'notebook',
    'releaseWebGpu',
    'selectBackend',
    'tf',
    'train',
    'util',
    'viz',
  ]);
});

test('internals are not exported', (t) => {
  const hidden: Record<string, string[]> = {
    losses: ['checkShape', 'checkInteger', 'checkNumber', 'runParityCase'],
    data: ['assertImage', 'assertImageSet', 'assertListChecked', 'asUint8', 'restoreKind', 'viaUint8', 'emptyLike'],
    contrast: ['flattenRows', 'selectExtreme', 'QueueMirror'],
    train: ['faultPoint', 'writeFileAtomic', 'writeDirAtomic'],
    configs: ['PLAIN_DECIMAL', 'PLAIN_INTEGER'],
    viz: ['tslabDisplay'],
  };
  const namespaces = rc as unknown as Record<string, Record<string, unknown>>;
  for (const [ns, names] of Object.entries(hidden)) {
    for (const name of names) t.false(name in namespaces[ns], `${ns}.${name} is exported`);
  }
  t.false('registerWasmTrainingKernels' in rc);
  for (const [ns, names] of Object.entries(namespaces)) {
    // notebook.assertClose is a helper cells call, not an argument check.
    if (ns === 'tf' || ns === 'notebook' || typeof names !== 'object' || names === null) continue;
    for (const name of Object.keys(names)) t.false(/^assert[A-Z]/.test(name), `${ns}.${name} is an argument check`);
  }
});

test('one showFigure: notebook and viz give the same function, which returns nothing', (t) => {
  t.is(rc.notebook.showFigure, rc.viz.showFigure);
  t.is(rc.viz.showFigure, showFigure);
  t.is(showFigure({ data: [], layout: {} }, { display: null, print: () => undefined }), undefined);
});
