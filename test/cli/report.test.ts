import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { evaluateClassifier } from '../../src/eval';
import { appendJsonl } from '../../src/train/jsonl-log';
import { writeCheckpointEvaluation } from '../../src/train/evaluate-checkpoint';
import { readRunDir } from '../../src/viz';

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    return { code: await reportCommand.run(args), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

// A run folder written with the trainer's own writers (src/train), so the report reads what they write.
function makeRun(dir: string): void {
  for (let epoch = 1; epoch <= 3; epoch++) {
    appendJsonl(join(dir, 'log.jsonl'), {
      epoch,
      lrFirst: 0.1,
      lrLast: 0.1 / epoch,
      loss: 3 - epoch / 2,
      cls: 2 - epoch / 3,
      con: 1,
      steps: 10,
      images: 1280,
      seconds: 5,
      imagesPerSecond: 256,
      val: {
        top1: 0.2 * epoch,
        top5: null,
        meanClassAccuracy: 0.2,
        many: 0.5,
        medium: 0.2,
        few: 0.1,
        grouping: 'rank-thirds',
      },
    });
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'tiny-run', method: 'rescom' }));
  const result = evaluateClassifier({
    scores: [
      [2, 0, 0],
      [0, 2, 0],
      [2, 0, 0],
      [0, 0, 2],
    ],
    labels: [0, 1, 1, 2],
    numClasses: 3,
    trainCounts: [100, 30, 5],
  });
  writeCheckpointEvaluation(
    {
      checkpointDir: join(dir, 'checkpoints', 'epoch-3'),
      runDir: dir,
      config: { name: 'tiny-run' } as never,
      split: 'test',
      result,
    },
    dir,
  );
}

test('rescom report builds an offline HTML report from the files rescom train / eval write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rescom-run-'));
  try {
    makeRun(dir);
    const run = readRunDir(dir);
    t.is(run.log!.length, 3);
    t.deepEqual(
      run.evaluations.map((e) => e.source),
      ['eval-test.json'],
    );
    const { code, out } = await capture([dir]);
    t.is(code, 0);
    // top-1: rows 0, 1 and 3 hit, row 2 (label 1, predicted 0) misses -> 75%
    t.regex(out, /eval-test\.json\s+4\s+75\s/);
    t.regex(out, /3 epochs in log\.jsonl/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // training curves + per-class + class counts + confusion + calibration
    t.is(html.split('Plotly.newPlot(').length - 1, 5);
    t.true(html.includes('ResCom run report: tiny-run'));
    t.true(html.includes('rank-thirds'));
    t.true(html.includes('&quot;method&quot;: &quot;rescom&quot;'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rescom report refuses a folder that is not a run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rescom-empty-'));
  try {
    await t.throwsAsync(() => capture([dir]), { message: /holds none of log\.jsonl/ });
    await t.throwsAsync(() => capture([join(dir, 'missing')]), { message: /does not exist/ });
    await t.throwsAsync(() => capture([]), { message: /expected one RUN_DIR/ });
    writeFileSync(join(dir, 'eval-test.json'), '{"result": {}}');
    await t.throwsAsync(() => capture([dir]), { message: /has no evaluation result/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
