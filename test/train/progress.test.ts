import test from 'ava';
import { ProgressReporter, formatDuration, formatProgressLine, type ProgressUpdate } from '../../src/train/progress';

const update = (step: number, extra: Partial<ProgressUpdate> = {}): ProgressUpdate => ({
  epoch: 2,
  epochs: 10,
  step,
  stepsPerEpoch: 40,
  loss: 1.23456,
  lr: 0.05,
  imagesPerSecond: 310.04,
  etaSeconds: 252,
  ...extra,
});

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) }, writes };
}

test('a progress line shows epoch, steps, loss, lr, images/s and the run ETA', (t) => {
  const line = formatProgressLine(update(10, { detail: 'cls 1.0 con 0.5' }));
  t.is(
    line,
    'epoch  2/10  [#####...............] 10/40  loss 1.2346  cls 1.0 con 0.5  lr 0.0500  310.0 img/s  ETA 4m12s',
  );
  t.is(formatDuration(3725), '1h02m');
  t.is(formatDuration(9.4), '9s');
  t.is(formatDuration(null), '--');
});

test('without a terminal: whole lines, at most one per interval, and always the last step of an epoch', (t) => {
  let now = 0;
  const { stream, writes } = sink(false);
  const p = new ProgressReporter({ stream, lineIntervalSeconds: 10, now: () => now });
  p.update(update(1));
  now = 5000;
  p.update(update(2)); // too soon
  now = 10_000;
  p.update(update(3));
  now = 11_000;
  p.update(update(40)); // end of epoch: always
  t.is(writes.length, 3);
  t.true(writes.every((w) => w.endsWith('\n') && !w.includes('\r')));
  t.regex(writes[2], / 40\/40 /);
});

test('on a terminal: the line is redrawn in place and ends with a newline at the end of the epoch', (t) => {
  let now = 0;
  const { stream, writes } = sink(true);
  const p = new ProgressReporter({ stream, now: () => now });
  p.update(update(1));
  now = 50;
  p.update(update(2)); // throttled (< 100 ms)
  now = 200;
  p.update(update(3));
  p.message('note');
  now = 400;
  p.update(update(40));
  t.true(writes[0].startsWith('\r') && !writes[0].endsWith('\n'));
  t.is(writes.length, 5); // step 1, step 3, newline before the message, the message, step 40
  t.is(writes[2], '\n');
  t.is(writes[3], 'note\n');
  t.true(writes[4].startsWith('\r') && writes[4].endsWith('\n'));
});
