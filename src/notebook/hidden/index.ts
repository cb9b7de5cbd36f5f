/** Every hidden-test suite, by solution notebook (see `../hidden-tests.ts` for how to add one). */
import type { HiddenSuite } from '../hidden-tests';
import { balancedSoftmaxSuite } from './03-balanced-softmax';
import { supConClassWeightsSuite } from './04-supcon-class-weights';

export const HIDDEN_SUITES: readonly HiddenSuite[] = [balancedSoftmaxSuite, supConClassWeightsSuite];

/** The suite for a solution notebook name ('03-balanced-softmax', with or without '.ipynb'), or null. */
export function hiddenSuiteFor(notebook: string): HiddenSuite | null {
  const name = notebook.replace(/\.exercise\.ipynb$|\.ipynb$/, '');
  return HIDDEN_SUITES.find((s) => s.notebook === name) ?? null;
}
