/**
 * The demo's HTML report: the training class counts, a Many / Medium / Few comparison of the methods,
 * and per method its training curves, per-class accuracy and confusion matrix. Figures come from
 * src/viz; the report is self-contained (plotly inlined) and opens offline.
 */
import type { EvaluationResult } from '../eval';
import { SHOT_GROUPS } from '../eval';
import {
  methodColor,
  baseLayout,
  classCountsBar,
  confusionMatrixFigure,
  perClassAccuracyBar,
  trainingCurvesFigure,
  writeHtmlReport,
  type PlotlyFigure,
  type Report,
  type ReportSection,
} from '../viz';

export interface DemoRun {
  method: string;
  result: EvaluationResult;
  /** log.jsonl records of the run. */
  log: Record<string, unknown>[];
  /** Wall-clock seconds the run took. */
  seconds: number;
}

export interface DemoReportOptions {
  title: string;
  /** Paragraphs about the setting (dataset, budget, backend). */
  intro: string;
  classCounts: number[];
  classNames?: string[];
  runs: DemoRun[];
  /**
   * The committed multi-seed protocol results as plain text (from the bench library's
   * `formatProtocolEvidence`), shown beside the live run; omitted when absent.
   */
  evidence?: string;
}

/**
 * What the live run is, in words, with ResCom's difference to each other method of the run (one
 * seed, so no spread: never a claim about the method), e.g.
 * "LIVE SHORT RUN (one seed, 15 epochs of resnet8 on 2228 training images): a demonstration ...".
 */
export function liveRunLabel(o: {
  epochs: number;
  backbone: string;
  trainImages: number;
  seed: number;
  runs: DemoRun[];
}): string {
  const lines = [
    `LIVE SHORT RUN, trained just now: one seed (${o.seed}), ${o.epochs} epochs of ${o.backbone} on ${o.trainImages} training images (embedded set).`,
    'A demonstration of the pipeline, not evidence: one seed has no spread, so no difference below can be told apart from seed-to-seed noise.',
  ];
  const rescom = o.runs.find((r) => r.method === 'rescom');
  if (rescom) {
    for (const other of o.runs.filter((r) => r !== rescom)) {
      const d = (a: number | null | undefined, b: number | null | undefined) =>
        typeof a === 'number' && typeof b === 'number'
          ? `${a - b >= 0 ? '+' : ''}${(100 * (a - b)).toFixed(1)}`
          : 'n/a';
      lines.push(
        `This run: ResCom minus ${other.method} = ${d(rescom.result.top1, other.result.top1)} points top-1, ${d(rescom.result.groups?.few.accuracy, other.result.groups?.few.accuracy)} points Few (one seed: not a measurement of the method's effect).`,
      );
    }
  }
  return lines.join('\n');
}

/** Grouped bars: one group per shot group (plus top-1), one bar per method. Accuracy in %. */
export function methodComparisonFigure(runs: DemoRun[], options: { title?: string } = {}): PlotlyFigure {
  const categories = ['top-1', ...SHOT_GROUPS];
  const value = (r: EvaluationResult, c: string) => {
    const v = c === 'top-1' ? r.top1 : (r.groups?.[c as (typeof SHOT_GROUPS)[number]].accuracy ?? null);
    return v === null ? null : 100 * v;
  };
  return {
    data: runs.map((run) => ({
      type: 'bar',
      name: run.method,
      x: categories,
      y: categories.map((c) => value(run.result, c)),
      marker: { color: methodColor(run.method) },
      text: categories.map((c) => {
        const v = value(run.result, c);
        return v === null ? '' : v.toFixed(1);
      }),
      textposition: 'outside',
    })),
    layout: baseLayout(options.title ?? 'Test accuracy by shot group', {
      barmode: 'group',
      yaxis: { title: { text: 'accuracy (%)' }, range: [0, 105] },
      xaxis: { title: { text: runs[0]?.result.groups ? runs[0].result.groups.rule : 'group' } },
    }),
  };
}

/** Rows for the report's summary table. */
export function comparisonRows(runs: DemoRun[]): Record<string, string | number | null>[] {
  const pct = (v: number | null | undefined) => (typeof v === 'number' ? +(100 * v).toFixed(1) : null);
  return runs.map((r) => ({
    method: r.method,
    'top-1 %': pct(r.result.top1),
    'top-5 %': pct(r.result.top5),
    'many %': pct(r.result.groups?.many.accuracy),
    'medium %': pct(r.result.groups?.medium.accuracy),
    'few %': pct(r.result.groups?.few.accuracy),
    'mean per-class %': pct(r.result.meanClassAccuracy),
    'train time (s)': Math.round(r.seconds),
  }));
}

export function demoReport(options: DemoReportOptions): Report {
  const sections: ReportSection[] = [
    { heading: 'Setting', text: options.intro },
    {
      heading: 'Training data',
      figure: classCountsBar({
        counts: options.classCounts,
        classNames: options.classNames,
        title: 'Training images per class (long-tailed)',
      }),
    },
    {
      heading: 'Results on the balanced test set',
      text: 'Final model of each run, evaluated once after the last epoch (no selection on the test set).',
      figure: methodComparisonFigure(options.runs),
      table: comparisonRows(options.runs),
    },
  ];
  if (options.evidence) {
    sections.push({
      heading: 'Beside it: the committed multi-seed protocol results',
      text: 'The live run above is one seed on a short budget. The evidence on whether ResCom helps beyond seed noise is the reference protocol, run over several seeds and committed to the repository (bench/results/protocol); this is what it holds now.',
      code: options.evidence,
    });
  }
  for (const run of options.runs) {
    sections.push({
      heading: `${run.method}: training curves`,
      figure: trainingCurvesFigure(run.log, { title: `${run.method}: losses, validation accuracy, learning rate` }),
    });
    sections.push({
      heading: `${run.method}: per-class accuracy`,
      figure: perClassAccuracyBar(run.result, { title: `${run.method}: per-class test accuracy` }),
    });
    sections.push({
      heading: `${run.method}: confusion matrix`,
      figure: confusionMatrixFigure({
        counts: run.result.confusion,
        classNames: run.result.perClass.map((r) => r.name),
        title: `${run.method}: confusion (row-normalised)`,
      }),
    });
  }
  return { title: options.title, sections };
}

/** Write the report to `file` (atomically); returns bytes written. */
export function writeDemoReport(options: DemoReportOptions, file: string): number {
  return writeHtmlReport(demoReport(options), file);
}
