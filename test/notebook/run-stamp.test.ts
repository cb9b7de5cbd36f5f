import test from 'ava';
import { backendLine, runStamp, type Notebook } from '../../src/notebook';

const nb = (
  outputs: NonNullable<Notebook['cells'][number]['outputs']>,
  metadata: Notebook['metadata'] = {},
): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata,
  cells: [{ cell_type: 'code', id: 'a', metadata: {}, source: '', outputs, execution_count: null }],
});

test('backendLine finds the line rc.selectBackend printed, in stdout only', (t) => {
  t.is(
    backendLine(
      nb([{ output_type: 'stream', name: 'stdout', text: ['hello\n', 'backend=wasm simd=yes threads=1\n'] }]),
    ),
    'backend=wasm simd=yes threads=1',
  );
  t.is(backendLine(nb([{ output_type: 'stream', name: 'stderr', text: 'backend=cpu\n' }])), null);
  t.is(backendLine(nb([])), null);
});

test('runStamp reads metadata.rescom.run and ignores anything else', (t) => {
  const run = { seconds: 3.5, quick: true, ok: true, finished: '2026-11-30T00:00:00.000Z', backend: null };
  t.deepEqual(runStamp(nb([], { rescom: { run } })), run);
  t.is(runStamp(nb([], { rescom: { exercise: { source: 'x' } } })), null);
  t.is(runStamp(nb([])), null);
});
