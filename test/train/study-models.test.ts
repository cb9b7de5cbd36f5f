import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstPerClass, shippedModelsOf, studyModels } from '../../src/train/study-models';

function fakeShipped(modelsDir: string, config: string, method: string, seed: number): void {
  const dir = path.join(modelsDir, config, `${method}-s${seed}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ name: config, method, seed, epochs: 30 }));
  fs.writeFileSync(path.join(dir, 'test-results.json'), JSON.stringify({ epochs: 30, summary: { top1: 0.5 } }));
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), '');
}

test('shippedModelsOf: one config and seed, ResCom first, then the methods in their fixed order', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'study-models-'));
  for (const m of ['supcon-balsfx', 'balsfx', 'rescom']) fakeShipped(dir, 'fashion-mnist-lt-ref', m, 0);
  fakeShipped(dir, 'fashion-mnist-lt-ref', 'ce', 1);
  fakeShipped(dir, 'other', 'ce', 0);
  t.deepEqual(
    shippedModelsOf({ modelsDir: dir }).map((m) => m.method),
    ['rescom', 'balsfx', 'supcon-balsfx'],
  );
  t.deepEqual(
    shippedModelsOf({ modelsDir: dir, seed: 1 }).map((m) => m.id),
    ['fashion-mnist-lt-ref/ce-s1'],
  );
});

test('studyModels: with nothing shipped and no checkpoint, the error names the chapter to run', async (t) => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'study-models-empty-'));
  await t.throwsAsync(
    () => studyModels({ modelsDir: empty, checkpointRoot: path.join(empty, 'runs'), checkpointMethods: ['rescom'] }),
    {
      message: /no checkpoint in .*rescom: run the chapter that trains it \(07-full-training\.ipynb\) first/,
    },
  );
  await t.throwsAsync(() => studyModels({ source: 'gpu' as never, checkpointRoot: empty, checkpointMethods: [] }), {
    message: /source must be 'shipped' or 'checkpoints'/,
  });
});

test('firstPerClass keeps the first k images of each class, pixels and labels together', (t) => {
  const labels = [0, 1, 0, 2, 0, 1];
  const data = Float32Array.from({ length: 6 * 2 }, (_, i) => i);
  const out = firstPerClass({ data, shape: [6, 1, 2, 1] }, labels, 2);
  t.deepEqual(out.labels, [0, 1, 0, 2, 1]);
  t.deepEqual(out.images.shape, [5, 1, 2, 1]);
  t.deepEqual(Array.from(out.images.data), [0, 1, 2, 3, 4, 5, 6, 7, 10, 11]);
  t.throws(() => firstPerClass({ data, shape: [6, 1, 2, 1] }, labels, 0), {
    message: /perClass must be an integer >= 1/,
  });
  t.throws(() => firstPerClass({ data, shape: [6, 1, 2, 1] }, [0], 1), { message: /1 labels for 6 images/ });
});
