import * as fs from 'node:fs';
import { formatGradeReport, gradeNotebook } from '../../notebook';
import { readJsonFile } from '../../util/read-file';
import type { Command } from '../command';
import { parseNumberOption } from '../parse-number';
import { parseOptions } from '../parse-options';

/** `rescom grade FILE`: execute a completed exercise notebook and print each check and the score. */
export const gradeCommand: Command = {
  name: 'grade',
  summary: 'execute a completed exercise notebook and print each check and the score',
  help: [
    'usage: rescom grade FILE.ipynb [--json] [--strict] [--cell-timeout S]',
    '',
    'Runs the notebook top to bottom with the tslab kernel (Jupyter with nbclient must be installed;',
    'PYTHON selects its interpreter), going on past failing cells, then reads the CHECK lines of the',
    "cells tagged 'check'.",
    '',
    '  --json             print the report as one JSON object',
    '  --strict           exit 1 unless every check passes (default: exit 0 once graded)',
    '  --cell-timeout S   seconds one cell may run (default 600)',
    '  RESCOM_QUICK=1     (environment) smaller budgets in notebooks that read it',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions<{ json: boolean; strict: boolean; 'cell-timeout': string }>(
      'grade',
      args,
      {
        json: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'cell-timeout': { type: 'string', default: '600' },
      },
      true,
    );
    if (positionals.length !== 1) {
      console.error(`rescom grade: expected one notebook file; got ${positionals.length}. See rescom grade --help.`);
      return 2;
    }
    const [file] = positionals;
    if (!fs.existsSync(file)) {
      console.error(`rescom grade: '${file}' does not exist`);
      return 2;
    }
    const cellTimeoutS = parseNumberOption('grade', 'cell-timeout', values['cell-timeout'], { min: 1, max: 86_400 })!;
    // Refuse anything that is not a notebook here, in one line, before Jupyter sees it (it would print a Python traceback).
    let notebook: { cells?: unknown; nbformat?: unknown };
    try {
      notebook = readJsonFile(file, 'rescom grade', 'a Jupyter notebook (.ipynb: JSON with nbformat and cells)');
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    if (!Array.isArray(notebook.cells) || typeof notebook.nbformat !== 'number') {
      console.error(`rescom grade: '${file}' is JSON but not a Jupyter notebook (expected nbformat and a cells list)`);
      return 2;
    }
    if (!values.json) console.error(`rescom grade: running ${file} ...`);
    const report = await gradeNotebook({ file, cellTimeoutS });
    if (values.json) console.log(JSON.stringify({ file, ...report }));
    else console.log(formatGradeReport(report, file));
    if (report.total === 0) {
      console.error(`rescom grade: ${file} has no cell tagged 'check'; nothing to grade`);
      return 1;
    }
    return values.strict && report.passed < report.total ? 1 : 0;
  },
};
