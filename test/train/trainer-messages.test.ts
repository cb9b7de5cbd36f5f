import test from 'ava';
import { isTrainerMessage, sendTrainerMessage } from '../../src/train';

test('trainer messages are recognised by shape; sending without an IPC channel is an error', (t) => {
  t.true(isTrainerMessage({ type: 'log', line: 'epoch 1' }));
  t.true(
    isTrainerMessage({
      type: 'finished',
      runDir: 'r',
      checkpoint: 'c',
      epochsCompleted: 1,
      finished: true,
      testResultsFile: null,
    }),
  );
  for (const bad of [null, 'log', { type: 'log' }, { type: 'finished' }, { type: 'table', line: 'x' }])
    t.false(isTrainerMessage(bad), JSON.stringify(bad));
  const send = process.send;
  process.send = undefined;
  try {
    t.throws(() => sendTrainerMessage({ type: 'log', line: 'x' }), {
      message: /sendTrainerMessage: this process has no IPC channel/,
    });
  } finally {
    process.send = send;
  }
});
