import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as GraderModule from '../../notebook/grader';
import type { SubmissionGrade } from '../../notebook/grader';
import type * as GradebookModule from '../../notebook/gradebook';
import { readJsonFile } from '../../util/read-file';
import type { Command } from '../command';
import { parseIntegerOption, parseNumberOption } from '../parse-number';
import { parseOptions } from '../parse-options';

/**
 * `rescom grade FILE|FOLDER`: grade exercise notebooks with the released checks and hidden,
 * randomised tests (src/notebook/grader.ts). Every process that runs student code is sandboxed with
 * bubblewrap (src/notebook/sandbox.ts); without it grading refuses unless --trust-submissions.
 */
export const gradeCommand: Command = {
  name: 'grade',
  summary: 'grade exercise notebooks (one file, or a folder into a CSV gradebook) with hidden tests',
  help: [
    'usage: rescom grade FILE.ipynb|FOLDER [--exercise RELEASED.ipynb] [--out DIR] [--seed N] [--no-run]',
    '                    [--time-limit S] [--exercise-time-limit S] [--memory-mb N] [--jobs N] [--full]',
    '                    [--json] [--strict] [--trust-submissions]',
    '',
    "Scores come only from hidden, randomised cases run on the student's answer cells, one exercise per",
    'process, and compared with the library. Library functions an exercise forbids are trapped: a call',
    'scores 0 for it. The checks and every other cell come from the released exercise, never from the',
    "student's file; the released checks also run on the answers through Jupyter (PYTHON selects its",
    'interpreter), as feedback only. Every process running student code is sandboxed with bubblewrap',
    '(read-only system and grader, private tmpfs, own PID namespace, no network, clean environment,',
    'memory and process limits; at the time limit the whole namespace dies).',
    '',
    '  --exercise FILE  released exercise or instructor copy (solution notebook); default: the one in',
    "                   this checkout's notebooks/ that the submission names",
    '  --out DIR        write gradebook.csv, feedback/<student>.md and written-answers.md (a FOLDER',
    '                   defaults to FOLDER/grades)',
    '  --seed N         seed of the hidden cases (default random; printed, so a grade can be repeated)',
    '  --no-run         skip the Jupyter run of the visible checks (no Jupyter needed)',
    '  --time-limit S   seconds the notebook run may take (default 900)',
    '  --exercise-time-limit S  seconds the hidden tests of one exercise may take (default 60)',
    '  --memory-mb N    memory per sandboxed process (default 4096)',
    '  --jobs N         submissions graded at once (default 1)',
    '  --full           run the notebook with full budgets (default RESCOM_QUICK=1)',
    '  --json           print the grade(s) as JSON',
    '  --strict         exit 1 unless every submission has full marks',
    '  --trust-submissions  run student code WITHOUT the sandbox (only where bubblewrap cannot run and',
    '                   you trust every submission)',
  ].join('\n'),
  async run(args) {
    const teacher = teacherModules();
    if (!teacher) {
      console.error(
        'rescom grade: this is the student edition (npm run release): the grader and its hidden tests are only in the teacher edition',
      );
      return 2;
    }
    const { assertSandboxAvailable, gradeSubmission, gradeSubmissions, loadReleasedExercise, readSubmission } =
      teacher.grader;
    const { formatSubmissionGrade, writeGradeFiles } = teacher.gradebook;
    type Values = {
      exercise?: string;
      out?: string;
      seed?: string;
      'no-run': boolean;
      'time-limit': string;
      'exercise-time-limit': string;
      'memory-mb': string;
      jobs: string;
      'trust-submissions': boolean;
      full: boolean;
      json: boolean;
      strict: boolean;
    };
    let values: Values;
    let positionals: string[];
    try {
      ({ values, positionals } = parseOptions<Values>(
        'grade',
        args,
        {
          exercise: { type: 'string' },
          out: { type: 'string' },
          seed: { type: 'string' },
          'no-run': { type: 'boolean', default: false },
          'time-limit': { type: 'string', default: '900' },
          'exercise-time-limit': { type: 'string', default: '60' },
          'memory-mb': { type: 'string', default: '4096' },
          jobs: { type: 'string', default: '1' },
          'trust-submissions': { type: 'boolean', default: false },
          full: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          strict: { type: 'boolean', default: false },
        },
        true,
      ));
    } catch (error) {
      console.error(`${(error as Error).message}. See rescom grade --help.`);
      return 2;
    }
    if (positionals.length !== 1) {
      console.error(
        `rescom grade: expected one notebook file or folder; got ${positionals.length}. See rescom grade --help.`,
      );
      return 2;
    }
    const [target] = positionals;
    if (!fs.existsSync(target)) {
      console.error(`rescom grade: '${target}' does not exist`);
      return 2;
    }
    let timeLimitS: number;
    let exerciseTimeLimitS: number;
    let memoryMb: number;
    let jobs: number;
    let seed: number | undefined;
    try {
      timeLimitS = parseNumberOption('grade', 'time-limit', values['time-limit'], { min: 1, max: 86_400 })!;
      exerciseTimeLimitS = parseNumberOption('grade', 'exercise-time-limit', values['exercise-time-limit'], {
        min: 1,
        max: 86_400,
      })!;
      memoryMb = parseIntegerOption('grade', 'memory-mb', values['memory-mb'], { min: 256, max: 1_048_576 })!;
      jobs = parseIntegerOption('grade', 'jobs', values.jobs, { min: 1, max: 64 })!;
      seed = parseIntegerOption('grade', 'seed', values.seed, { min: 0, max: 2 ** 31 - 1 });
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    const folder = fs.statSync(target).isDirectory();
    if (folder && !fs.readdirSync(target).some((name) => name.endsWith('.ipynb'))) {
      console.error(
        `rescom grade: '${target}' is a folder with no .ipynb files; expected a notebook or a folder of submitted notebooks`,
      );
      return 2;
    }
    if (!folder) {
      try {
        // Anything that is not a notebook is refused here, in one line, before Jupyter sees it.
        const notebook = readJsonFile<{ cells?: unknown; nbformat?: unknown }>(
          target,
          'rescom grade',
          'a Jupyter notebook (.ipynb: JSON with nbformat and cells)',
        );
        if (!Array.isArray(notebook.cells) || typeof notebook.nbformat !== 'number') {
          throw new Error(
            `rescom grade: '${target}' is JSON but not a Jupyter notebook (expected nbformat and a cells list)`,
          );
        }
        readSubmission(target);
      } catch (error) {
        const message = (error as Error).message;
        console.error(message.startsWith('rescom grade:') ? message : `rescom grade: ${message}`);
        return 2;
      }
    }
    const trusted = values['trust-submissions'];
    try {
      assertSandboxAvailable(trusted);
    } catch (error) {
      console.error((error as Error).message);
      return 2;
    }
    if (trusted && !values.json)
      console.error('rescom grade: --trust-submissions: student code runs UNSANDBOXED on this machine');
    const common = {
      seed,
      run: !values['no-run'],
      runTimeLimitS: timeLimitS,
      hiddenTimeLimitS: exerciseTimeLimitS,
      memoryBytes: memoryMb * 2 ** 20,
      trusted,
      quick: !values.full,
      python: process.env.PYTHON || undefined,
    };
    let grades: SubmissionGrade[];
    try {
      const released = values.exercise === undefined ? undefined : loadReleasedExercise(values.exercise);
      if (folder) {
        if (!values.json) console.error(`rescom grade: grading every notebook in ${target} ...`);
        grades = await gradeSubmissions(target, {
          ...common,
          jobs,
          released,
          onGraded: (g) => {
            if (!values.json) console.log(formatSubmissionGrade(g));
          },
        });
      } else {
        if (!values.json) console.error(`rescom grade: grading ${target} ...`);
        grades = [await gradeSubmission({ ...common, submission: target, released })];
        if (!values.json) console.log(formatSubmissionGrade(grades[0]));
      }
    } catch (error) {
      console.error(`rescom grade: ${(error as Error).message.split('\n')[0]}`);
      return 2;
    }
    if (values.json) console.log(JSON.stringify(folder ? grades : grades[0]));
    const out = values.out ?? (folder ? path.join(target, 'grades') : undefined);
    if (out) {
      const files = writeGradeFiles(out, grades);
      if (!values.json)
        console.error(
          `rescom grade: wrote ${files.length} files under ${out} (gradebook.csv, feedback/, written-answers.md)`,
        );
    }
    return values.strict && grades.some((g) => g.earned < g.possible) ? 1 : 0;
  },
};

/** The grader's modules, or null in the student edition (which leaves them out). */
function teacherModules(): { grader: typeof GraderModule; gradebook: typeof GradebookModule } | null {
  try {
    return {
      // Loaded on use: the student edition has no grader, and every other command must still load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      grader: require('../../notebook/grader'),
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      gradebook: require('../../notebook/gradebook'),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}
