/**
 * Exercise versions are generated from the solution notebooks, never edited by hand (the d2l /
 * fastbook rule), so a fixed typo or API change reaches both at once.
 *
 * In a solution notebook:
 * - a code cell tagged `solution` has its body between `// BEGIN SOLUTION <hint>` and
 *   `// END SOLUTION` lines replaced by a TODO comment (with the hint) and a
 *   `throw new Error('TODO ...')` at the same indentation; without markers the whole cell is replaced.
 *   Write solution regions as function bodies, so the stub still type-checks in tslab.
 * - a markdown cell tagged `solution` becomes a prompt for the student's answer.
 * - a cell tagged `solution-only` is dropped.
 * - a code cell tagged `check` is kept as written and a hash of its source is stored in its metadata
 *   (`rescom.checkHash`), so the grader can tell when a check was edited.
 * Every output and execution count is cleared.
 */
import { createHash } from 'node:crypto';
import { cleanNotebook } from './clean';
import type { Notebook, NotebookCell } from './format';
import { hasTag, sourceText } from './format';

export const SOLUTION_TAG = 'solution';
export const SOLUTION_ONLY_TAG = 'solution-only';
export const CHECK_TAG = 'check';
/** Tag the generator puts on the cells the student must complete. */
export const EXERCISE_TAG = 'exercise';

const BEGIN = /^([ \t]*)\/\/\s*BEGIN SOLUTION\b[ \t]*(.*)$/;
const END = /^[ \t]*\/\/\s*END SOLUTION\b/;

export interface ExerciseOptions {
  /** Solution file name recorded in the exercise's metadata and header (default: 'the solution notebook'). */
  source?: string;
  /** Command shown in the header for grading; default `npm run grade -- <file>`. */
  gradeCommand?: string;
}

/** Hash of a check cell's source, stored by the generator and verified by the grader. */
export function checkHash(source: string): string {
  return createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex').slice(0, 16);
}

/** Replace each marked solution region of a code cell by a TODO stub. Throws on unbalanced markers. */
export function stubSolutionCode(source: string, where = 'cell'): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let open: { indent: string; hint: string; line: number } | null = null;
  let regions = 0;
  lines.forEach((line, index) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open)
        throw new Error(
          `stubSolutionCode: ${where} line ${index + 1}: BEGIN SOLUTION inside the region opened on line ${open.line}`,
        );
      open = { indent: begin[1], hint: begin[2].trim(), line: index + 1 };
      return;
    }
    if (END.test(line)) {
      if (!open) throw new Error(`stubSolutionCode: ${where} line ${index + 1}: END SOLUTION without BEGIN SOLUTION`);
      const { indent, hint } = open as { indent: string; hint: string };
      out.push(`${indent}// TODO${hint ? `: ${hint}` : ': your code here'}`);
      out.push(`${indent}throw new Error(${JSON.stringify(`TODO${hint ? `: ${hint}` : ''}`)});`);
      open = null;
      regions++;
      return;
    }
    if (!open) out.push(line);
  });
  if (open)
    throw new Error(
      `stubSolutionCode: ${where}: BEGIN SOLUTION on line ${(open as { line: number }).line} is never closed`,
    );
  if (regions === 0) {
    return ['// TODO: write this cell (see the exercise above)', "throw new Error('TODO: write this cell');"].join(
      '\n',
    );
  }
  return out.join('\n');
}

/**
 * Build the exercise version of a solution notebook (a new object; the input is not changed).
 * Throws when the notebook has no `solution` cell or no `check` cell: an exercise without either
 * cannot be graded.
 */
export function makeExercise(solution: Notebook, options: ExerciseOptions = {}): Notebook {
  const source = options.source ?? 'the solution notebook';
  const solutions = solution.cells.filter((c) => hasTag(c, SOLUTION_TAG));
  const checks = solution.cells.filter((c) => hasTag(c, CHECK_TAG));
  if (solutions.length === 0) throw new Error(`makeExercise: ${source} has no cell tagged '${SOLUTION_TAG}'`);
  if (checks.length === 0) throw new Error(`makeExercise: ${source} has no cell tagged '${CHECK_TAG}'`);
  const cleaned = cleanNotebook(solution);
  const cells: NotebookCell[] = [];
  for (const cell of cleaned.cells) {
    if (hasTag(cell, SOLUTION_ONLY_TAG)) continue;
    if (hasTag(cell, SOLUTION_TAG)) cells.push(toExerciseCell(cell, source));
    else if (hasTag(cell, CHECK_TAG) && cell.cell_type === 'code') {
      cells.push({ ...cell, metadata: { ...cell.metadata, rescom: { checkHash: checkHash(sourceText(cell)) } } });
    } else cells.push(cell);
  }
  const header: NotebookCell = {
    cell_type: 'markdown',
    id: 'exercise-header',
    metadata: {},
    source: [
      `> **Exercise version** generated from \`${source}\` by \`npm run notebooks:exercises\`; do not edit it by hand.`,
      `> Fill in every cell marked \`TODO\`, run the notebook top to bottom, and read the \`CHECK\` lines.`,
      `> Grade it with \`${options.gradeCommand ?? 'npm run grade -- <this file>'}\`.`,
    ].join('\n'),
  };
  if (cells.some((c) => c.id === header.id))
    throw new Error(`makeExercise: ${source} already has a cell with id '${header.id}'`);
  const [first, ...rest] = cells;
  // Keep the chapter title first; the header goes right under it.
  const ordered = first?.cell_type === 'markdown' ? [first, header, ...rest] : [header, ...cells];
  return {
    ...cleaned,
    metadata: { ...cleaned.metadata, rescom: { exercise: { source } } },
    cells: ordered,
  };
}

function toExerciseCell(cell: NotebookCell, source: string): NotebookCell {
  const tags = [...(cell.metadata.tags ?? []).filter((t) => t !== SOLUTION_TAG), EXERCISE_TAG];
  const metadata = { ...cell.metadata, tags };
  if (cell.cell_type === 'markdown') {
    return { ...cell, metadata, source: '**Your answer:** _write it here._' };
  }
  return { ...cell, metadata, source: stubSolutionCode(sourceText(cell), `${source} cell ${cell.id}`) };
}
