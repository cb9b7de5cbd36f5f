/**
 * What the grader reads from a student's notebook, and nothing more: the code of the answer cells
 * (the cells the released exercise tags `exercise`, matched by cell id, or by the function names they
 * declare when the id was changed) and the text of the written answers. Everything else (checks,
 * layout, tags) comes from the released exercise, so deleting, editing or re-tagging cells changes
 * nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXERCISE_TAG } from './exercise';
import type { Notebook, NotebookCell } from './format';
import { hasTag, parseNotebook, sourceText } from './format';

/** Tag for markdown cells whose answer is marked by hand (besides markdown `exercise` cells). */
export const WRITTEN_ANSWER_TAG = 'written-answer';
/** The placeholder `makeExercise` puts in a written-answer cell. */
const WRITTEN_PLACEHOLDER = '**Your answer:** _write it here._';

export interface WrittenAnswer {
  cell: string;
  /** The prompt above the answer cell in the released exercise (its text, shortened). */
  question: string;
  /** The student's text; '' when missing or left as the placeholder. */
  answer: string;
}

export interface AnswerCell {
  id: string;
  source: string;
  /** Where the student's code for it came from. */
  found: 'cell id' | 'function name' | 'missing';
}

/** Read a submission as a notebook; a one-line error when it is not one. */
export function readSubmission(file: string): Notebook {
  let text: string;
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    if (stat.size > 50 * 2 ** 20) throw Object.assign(new Error('over 50 MiB'), { code: 'over 50 MiB' });
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`'${file}' cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseNotebook(text, file);
  } catch (error) {
    throw new Error(
      `'${file}' is not a Jupyter notebook (${(error as Error).message.replace(/^parseNotebook: \S+ /, '')})`,
    );
  }
}

/** The student's name for the gradebook: the file name without its extensions. */
export function studentName(file: string): string {
  return path.basename(file).replace(/(\.exercise)?\.ipynb$/, '');
}

const declares = (name: string) =>
  new RegExp(`\\b(function\\s*\\*?\\s*${name}\\s*[(<]|(const|let|var)\\s+${name}\\s*[=:])`);

/**
 * The student's code for each code cell the release tags `exercise`, in released order.
 * `functionsOf(id)` names the functions a cell declares (from the hidden suite).
 */
export function answerCells(
  released: Notebook,
  submission: Notebook | null,
  functionsOf: (cellId: string) => string[],
): AnswerCell[] {
  const releasedIds = new Set(released.cells.map((c) => c.id));
  const studentCode = (submission?.cells ?? []).filter((c) => c.cell_type === 'code');
  const byId = new Map(studentCode.map((c) => [c.id, c]));
  return released.cells
    .filter((c) => c.cell_type === 'code' && hasTag(c, EXERCISE_TAG))
    .map((cell) => {
      const same = byId.get(cell.id);
      if (same) return { id: cell.id, source: sourceText(same), found: 'cell id' as const };
      const functions = functionsOf(cell.id);
      // A cell the student made (an id the release does not have) that declares the function.
      const moved = studentCode.find(
        (c) => !releasedIds.has(c.id) && functions.some((f) => declares(f).test(sourceText(c))),
      );
      if (moved) return { id: cell.id, source: sourceText(moved), found: 'function name' as const };
      return { id: cell.id, source: '', found: 'missing' as const };
    });
}

/** Written answers: released markdown `exercise` / `written-answer` cells and the student's text. */
export function writtenAnswers(released: Notebook, submission: Notebook | null): WrittenAnswer[] {
  const student = new Map((submission?.cells ?? []).map((c) => [c.id, c]));
  const out: WrittenAnswer[] = [];
  released.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'markdown' || !(hasTag(cell, EXERCISE_TAG) || hasTag(cell, WRITTEN_ANSWER_TAG))) return;
    const prompt = [...released.cells.slice(0, index)]
      .reverse()
      .find((c) => c.cell_type === 'markdown' && !hasTag(c, EXERCISE_TAG));
    const question = prompt ? sourceText(prompt).trim() : '';
    const mine = student.get(cell.id);
    const text = mine && mine.cell_type === 'markdown' ? sourceText(mine).trim() : '';
    out.push({
      cell: cell.id,
      question: question.length > 800 ? `${question.slice(0, 797)}...` : question,
      answer: text === WRITTEN_PLACEHOLDER || text === sourceText(cell).trim() ? '' : text,
    });
  });
  return out;
}

/** The released notebook with the student's answer cells put in (everything else from the release). */
export function assembleNotebook(
  released: Notebook,
  answers: { id: string; source: string }[],
  written: WrittenAnswer[],
): Notebook {
  const code = new Map(answers.map((a) => [a.id, a.source]));
  const text = new Map(written.map((w) => [w.cell, w.answer]));
  const cells: NotebookCell[] = released.cells.map((cell) => {
    if (cell.cell_type === 'code' && code.has(cell.id))
      return { ...cell, source: code.get(cell.id) as string, outputs: [], execution_count: null };
    if (cell.cell_type === 'markdown' && text.get(cell.id)) return { ...cell, source: text.get(cell.id) as string };
    return cell;
  });
  return { ...released, cells };
}
