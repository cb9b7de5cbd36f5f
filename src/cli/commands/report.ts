import { join, resolve } from 'node:path';
import { readRunConsistently } from '../../train/run-read';
import { checkOwnOutput } from '../../util/own-output';
import {
  HTML_REPORT_OUTPUT,
  evaluationSummaryRows,
  formatTable,
  readRunDir,
  runReport,
  writeHtmlReport,
} from '../../viz';
import type { Command } from '../command';
import { parseOptions } from '../parse-options';

const HELP = `usage: rescom report RUN_DIR [--out FILE] [--title TEXT]

Builds a self-contained HTML report (plotly inlined, works offline) of a training run folder from
the files it holds (each optional, at least one required):
  RUN_DIR/log.jsonl                          epoch log of rescom train: training curves
  RUN_DIR/test-results.json                  final test evaluation written by rescom train
  RUN_DIR/eval-test.json, eval-val.json      written by rescom eval: per-class accuracy, class
                                             counts, confusion matrix, reliability diagram
  RUN_DIR/config.json                        the run's configuration
Prints the results table.

  --out FILE     where the report goes (default RUN_DIR/report.html)
  --title TEXT   report title (default: from the config's name)`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'build the HTML report of a training run directory',
  help: HELP,
  async run(args) {
    const { values, positionals } = parseOptions<{ out?: string; title?: string }>(
      'report',
      args,
      { out: { type: 'string' }, title: { type: 'string' } },
      true,
    );
    if (positionals.length !== 1)
      throw new Error(`rescom report: expected one RUN_DIR; got ${positionals.length} (see rescom report --help)`);
    const runDir = resolve(positionals[0]);
    const out = resolve(values.out ?? join(runDir, 'report.html'));
    checkOwnOutput(out, { ...HTML_REPORT_OUTPUT, who: 'rescom report', option: '--out' });
    // A run being trained is read between two of its writes (run-read.ts), never half-way.
    const run = readRunConsistently(runDir, () => readRunDir(runDir), { who: 'rescom report' });
    const bytes = writeHtmlReport(runReport(run, { title: values.title }), out, { option: '--out' });
    if (run.evaluations.length) console.log(formatTable(evaluationSummaryRows(run.evaluations)));
    if (run.log) console.log(`${run.log.length} epochs in log.jsonl`);
    console.log(`wrote ${out} (${(bytes / 1e6).toFixed(1)} MB)`);
    return 0;
  },
};
