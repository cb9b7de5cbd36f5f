/**
 * The HTML report of a training run folder (`rescom report RUN_DIR`). Files read, all optional
 * except that at least one must exist:
 *   RUN_DIR/log.jsonl          one JSON object per epoch (src/train): training curves
 *   RUN_DIR/config.json        the run's config (src/train): shown as text
 *   RUN_DIR/test-results.json  written by the trainer at the end: { summary, result: EvaluationResult }
 *   RUN_DIR/eval-test.json, RUN_DIR/eval-val.json   written by `rescom eval`: { split, summary, result }
 * Each evaluation gets per-class accuracy, class counts, confusion matrix and reliability diagram.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationResult } from '../eval/evaluate';
import { classCountsBar } from './figures-data';
import { confusionMatrixFigure, perClassAccuracyBar, reliabilityDiagram } from './figures-eval';
import type { Report, ReportSection } from './html-report';
import type { Cell } from './text-table';
import { trainingCurvesFigure } from './training-curves';
import { readTrainingLog, trainingSeries, type LogRecord } from './training-log';

export const RUN_REPORT_FILES = {
  log: 'log.jsonl',
  config: 'config.json',
  evaluations: ['test-results.json', 'eval-test.json', 'eval-val.json'],
} as const;

export interface RunEvaluation {
  /** File it came from, e.g. 'eval-test.json'. */
  source: string;
  result: EvaluationResult;
}

export interface RunContents {
  runDir: string;
  log: LogRecord[] | null;
  /** Lines of a log that were skipped (a torn last line of a run in progress). */
  skippedLogLines: number[];
  config: Record<string, unknown> | null;
  evaluations: RunEvaluation[];
}

function readJson(fn: string, path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${fn}: ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function isEvaluation(v: unknown): v is EvaluationResult {
  const r = v as EvaluationResult;
  return (
    !!r && typeof r.top1 === 'number' && Array.isArray(r.perClass) && Array.isArray(r.confusion) && !!r.calibration
  );
}

/** Read what a run folder holds; throws when it holds none of the files above. */
export function readRunDir(runDir: string): RunContents {
  const fn = 'readRunDir';
  if (!existsSync(runDir)) throw new Error(`${fn}: run folder '${runDir}' does not exist`);
  const logPath = join(runDir, RUN_REPORT_FILES.log);
  const log = existsSync(logPath) ? readTrainingLog(logPath) : null;
  const configPath = join(runDir, RUN_REPORT_FILES.config);
  const config = existsSync(configPath) ? (readJson(fn, configPath) as Record<string, unknown>) : null;
  const evaluations: RunEvaluation[] = [];
  for (const name of RUN_REPORT_FILES.evaluations) {
    const path = join(runDir, name);
    if (!existsSync(path)) continue;
    const content = readJson(fn, path) as { result?: unknown };
    if (!isEvaluation(content.result))
      throw new Error(
        `${fn}: ${path} has no evaluation result (expected { result: { top1, perClass, confusion, calibration, ... } })`,
      );
    evaluations.push({ source: name, result: content.result });
  }
  if (!log && !config && !evaluations.length) {
    throw new Error(
      `${fn}: '${runDir}' holds none of ${[RUN_REPORT_FILES.log, RUN_REPORT_FILES.config, ...RUN_REPORT_FILES.evaluations].join(', ')}; is it a run folder of rescom train?`,
    );
  }
  return { runDir, log: log?.records ?? null, skippedLogLines: log?.skipped ?? [], config, evaluations };
}

/** One summary row per evaluation: top-1, top-5, Many/Medium/Few (grouping named), ECE. */
export function evaluationSummaryRows(evaluations: RunEvaluation[]): Record<string, Cell>[] {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(1000 * v) / 10);
  return evaluations.map(({ source, result: r }) => ({
    source,
    images: r.numSamples,
    'top-1 %': pct(r.top1),
    'top-5 %': pct(r.top5),
    'many %': pct(r.groups?.many.accuracy),
    'medium %': pct(r.groups?.medium.accuracy),
    'few %': pct(r.groups?.few.accuracy),
    grouping: r.groups?.grouping ?? null,
    'ECE %': pct(r.calibration.ece),
  }));
}

/** The report of a run folder's contents. */
export function runReport(run: RunContents, options: { title?: string } = {}): Report {
  const sections: ReportSection[] = [];
  const name = typeof run.config?.name === 'string' ? run.config.name : run.runDir;
  if (run.evaluations.length) {
    const notes = run.evaluations.flatMap(({ source, result }) =>
      result.groups ? [`${source}: ${result.groups.rule} (${result.groups.grouping}); ${result.groups.note}.`] : [],
    );
    sections.push({
      heading: 'Results',
      text: notes.join('\n\n') || undefined,
      table: evaluationSummaryRows(run.evaluations),
    });
  }
  if (run.log && run.log.length) {
    const s = trainingSeries(run.log);
    const last = run.log.length - 1;
    const skipped = run.skippedLogLines.length
      ? ` Line ${run.skippedLogLines.join(', ')} of the log was incomplete and skipped (run in progress?).`
      : '';
    sections.push({
      heading: 'Training',
      text: `${run.log.length} epochs logged; last epoch: loss ${s.loss[last]?.toFixed(4) ?? 'n/a'}, validation top-1 ${s.valTop1[last] === null ? 'n/a' : `${(100 * s.valTop1[last]!).toFixed(1)}%`}.${skipped}`,
      figure: trainingCurvesFigure(run.log),
    });
  } else {
    sections.push({ heading: 'Training', text: `No ${RUN_REPORT_FILES.log} in this folder.` });
  }
  for (const { source, result } of run.evaluations) {
    const names = result.perClass.map((p) => p.name);
    sections.push({
      heading: `${source}: per-class accuracy`,
      figure: perClassAccuracyBar(result),
      table: result.perClass.map((p) => ({ ...p })),
    });
    if (result.perClass.every((p) => p.trainCount !== null)) {
      sections.push({
        heading: `${source}: training images per class`,
        figure: classCountsBar({ counts: result.perClass.map((p) => p.trainCount ?? 0), classNames: names }),
      });
    }
    sections.push({
      heading: `${source}: confusion matrix`,
      figure: confusionMatrixFigure({ counts: result.confusion, classNames: names }),
    });
    sections.push({ heading: `${source}: calibration`, figure: reliabilityDiagram(result.calibration) });
  }
  if (run.config) sections.push({ heading: 'Configuration', code: JSON.stringify(run.config, null, 2) });
  return { title: options.title ?? `ResCom run report: ${name}`, sections };
}
