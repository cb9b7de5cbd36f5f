import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  figureToText,
  formatTable,
  readTrainingLog,
  showFigure,
  trainingCurvesFigure,
  trainingSeries,
  PLOTLY_MIME,
} from '../../src/viz';

test('formatTable aligns columns, right-aligns numbers and marks missing cells', (t) => {
  const text = formatTable([
    { group: 'many', acc: 0.91234, n: 3 },
    { group: 'few', acc: null, n: 12 },
  ]);
  t.is(text, ['group     acc   n', '-----  ------  --', 'many   0.9123   3', 'few         -  12'].join('\n'));
  t.is(formatTable([]), '(no rows)');
});

test('figureToText renders a heat map as a grid and long traces subsampled', (t) => {
  const heat = figureToText({
    data: [
      {
        type: 'heatmap',
        z: [
          [1, 0.5],
          [0.5, 0.25],
        ],
        x: ['1', '2'],
        y: ['1', '2'],
      },
    ],
    layout: { title: { text: 'H' } },
  });
  t.is(heat, ['== H ==', 'heatmap:', '     1     2', '-  ---  ----', '1    1   0.5', '2  0.5  0.25'].join('\n'));
  const long = figureToText(
    {
      data: [
        {
          type: 'scatter',
          name: 's',
          x: Array.from({ length: 30 }, (_, i) => i),
          y: Array.from({ length: 30 }, (_, i) => i * i),
        },
      ],
      layout: {},
    },
    { maxRows: 10 },
  );
  t.regex(long, /s \(every 3th of 30 points\):/);
  t.is(long.split('\n').length, 1 + 1 + 2 + 10);
});

test('showFigure sends a plotly bundle to a notebook display, else prints text', (t) => {
  const fig = { data: [{ type: 'bar', x: ['a'], y: [new Float32Array([2])[0]] }], layout: { title: { text: 'T' } } };
  const calls: [string, unknown][] = [];
  const display = {
    raw: (type: string, data: unknown) => calls.push([type, data]),
    text: (s: string) => calls.push(['text', s]),
  };
  t.is(showFigure(fig, { display }), undefined);
  t.is(calls[0][0], PLOTLY_MIME);
  t.deepEqual(calls[0][1], { data: [{ type: 'bar', x: ['a'], y: [2] }], layout: { title: { text: 'T' } } });
  t.regex(calls[1][1] as string, /== T ==/);
  const printed: string[] = [];
  showFigure(fig, { display: null, print: (s) => printed.push(s) });
  t.is(calls.length, 2);
  t.regex(printed[0], /== T ==/);
  // A display that is not ready (outside a running cell) falls back to text.
  const broken = {
    raw: () => {
      throw new Error('Not ready');
    },
    text: () => undefined,
  };
  showFigure(fig, { display: broken, print: (s) => printed.push(s) });
  t.is(printed.length, 2);
  // Outside tslab, no display is found.
  showFigure(fig, { print: (s) => printed.push(s) });
  t.is(printed.length, 3);
  t.throws(() => showFigure({} as never), { message: /showFigure: fig must be a plotly figure/ });
});

test('training log: both field layouts give the same series; a torn last line is skipped', (t) => {
  const trainer = [
    {
      epoch: 1,
      lrFirst: 0.01,
      lrLast: 0.1,
      loss: 2,
      cls: 1.5,
      con: 1,
      imagesPerSecond: 100,
      val: { top1: 0.3, many: 0.5, medium: 0.2, few: 0.1, grouping: 'rank-thirds' },
    },
    { epoch: 2, lrFirst: 0.1, lrLast: 0.1, loss: 1.5, cls: 1.1, con: 0.8, imagesPerSecond: 110, val: null },
  ];
  const flat = [
    {
      epoch: 1,
      lr: 0.1,
      train_loss: 2,
      cls_loss: 1.5,
      con_loss: 1,
      val_top1: 0.3,
      val_many: 0.5,
      val_medium: 0.2,
      val_few: 0.1,
      images_per_s: 100,
    },
    { epoch: 2, lr: 0.1, train_loss: 1.5, cls_loss: 1.1, con_loss: 0.8, images_per_s: 110 },
  ];
  const a = trainingSeries(trainer);
  t.deepEqual(a, trainingSeries(flat));
  t.deepEqual(a.valTop1, [0.3, null]);
  t.deepEqual(a.lr, [0.1, 0.1]);
  const fig = trainingCurvesFigure(trainer);
  t.deepEqual(
    fig.data.map((d) => d.name),
    [
      'loss (total)',
      'classification loss',
      'contrastive loss',
      'val top-1',
      'val many',
      'val medium',
      'val few',
      'learning rate',
    ],
  );
  t.deepEqual(fig.data[3].y, [30, null]);
  t.deepEqual(
    [...new Set(fig.data.map((d) => (d as { legend?: string }).legend ?? 'legend'))],
    ['legend', 'legend2'],
    'a legend per panel',
  );
  const colors = fig.data.filter((d) => d.showlegend !== false).map((d) => (d.line as { color: string }).color);
  t.is(
    new Set(colors.slice(0, 3)).size + new Set(colors.slice(3)).size,
    colors.length,
    'no colour repeats within a panel',
  );
  // A method without a contrastive term (con logged as 0): no contrastive line, no copy of the loss.
  const balsfx = trainingCurvesFigure(trainer.map((r) => ({ ...r, con_loss: 0, con: 0 })));
  t.deepEqual(balsfx.data.map((d) => d.name).slice(0, 2), ['loss (total)', 'val top-1']);

  const dir = mkdtempSync(join(tmpdir(), 'rescom-log-'));
  try {
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, `${JSON.stringify(trainer[0])}\n${JSON.stringify(trainer[1])}\n{"epoch": 3, "lo`);
    const log = readTrainingLog(path);
    t.is(log.records.length, 2);
    t.deepEqual(log.skipped, [3]);
    writeFileSync(path, `${JSON.stringify(trainer[0])}\nnot json\n${JSON.stringify(trainer[1])}\n`);
    t.throws(() => readTrainingLog(path), { message: /line 2 is not a JSON object/ });
    t.throws(() => readTrainingLog(join(dir, 'missing.jsonl')), { message: /readTrainingLog: no log at/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
