/**
 * Where exercise versions live and how they are (re)generated: `NN-name.exercise.ipynb` next to its
 * solution `NN-name.ipynb`, so relative imports (`../lib/index.js`) work in both. A solution notebook
 * is an exercise source when any of its cells is tagged `solution`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeExercise, SOLUTION_TAG } from './exercise';
import { hasTag, readNotebook, serializeNotebook, writeNotebook } from './format';

export const EXERCISE_SUFFIX = '.exercise.ipynb';

/** `notebooks/03-x.ipynb` -> `notebooks/03-x.exercise.ipynb`. */
export function exerciseFileFor(solutionFile: string): string {
  if (!solutionFile.endsWith('.ipynb') || solutionFile.endsWith(EXERCISE_SUFFIX)) {
    throw new Error(`exerciseFileFor: solutionFile must be a solution '.ipynb'; got '${solutionFile}'`);
  }
  return solutionFile.slice(0, -'.ipynb'.length) + EXERCISE_SUFFIX;
}

/** Solution notebooks in `directory` that have cells tagged `solution`, sorted by name. */
export function exerciseSources(directory: string): string[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.ipynb') && !name.endsWith(EXERCISE_SUFFIX))
    .sort()
    .map((name) => path.join(directory, name))
    .filter((file) => readNotebook(file).cells.some((cell) => hasTag(cell, SOLUTION_TAG)));
}

/** The exercise text that `solutionFile` generates (what `writeExercises` would write). */
export function renderExercise(solutionFile: string): string {
  const base = path.basename(solutionFile);
  return serializeNotebook(
    makeExercise(readNotebook(solutionFile), {
      source: base,
      gradeCommand: `npm run grade -- notebooks/${path.basename(exerciseFileFor(base))}`,
    }),
  );
}

export interface ExerciseFileStatus {
  solution: string;
  exercise: string;
  /** True when the file on disk differs from what the solution generates (or is missing). */
  stale: boolean;
}

/** Compare each exercise on disk with what its solution generates. */
export function exerciseStatus(options: { directory: string }): ExerciseFileStatus[] {
  return exerciseSources(options.directory).map((solution) => {
    const exercise = exerciseFileFor(solution);
    const stale = !fs.existsSync(exercise) || fs.readFileSync(exercise, 'utf8') !== renderExercise(solution);
    return { solution, exercise, stale };
  });
}

/** (Re)generate every exercise in `directory` (atomic writes); returns what it wrote. */
export function writeExercises(options: { directory: string }): ExerciseFileStatus[] {
  const status = exerciseStatus(options);
  for (const entry of status) {
    if (!entry.stale) continue;
    const base = path.basename(entry.solution);
    writeNotebook(
      entry.exercise,
      makeExercise(readNotebook(entry.solution), {
        source: base,
        gradeCommand: `npm run grade -- notebooks/${path.basename(entry.exercise)}`,
      }),
    );
  }
  return status;
}
