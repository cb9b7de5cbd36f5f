/** Every hidden-test suite, by solution notebook of notebooks/ or assignments/ (see `../hidden-tests.ts`). */
import type { HiddenSuite } from '../hidden-tests';
import { classImbalanceSuite } from './01-class-imbalance';
import { datasetsTwoViewsSuite } from './02-datasets-two-views';
import { balancedSoftmaxSuite } from './03-balanced-softmax';
import { supConClassWeightsSuite } from './04-supcon-class-weights';
import { classBalancedQueueSuite } from './05-class-balanced-queue';
import { gradientDecouplingMiningSuite } from './06-gradient-decoupling-mining';
import { fullTrainingSuite } from './07-full-training';
import { evaluationSuite } from './08-evaluation';
import { ablationSuite } from './09-ablation';
import { rescomStepSuite } from './10-rescom-step-by-hand';
import { trainingOnGpuSuite } from './11-training-on-a-gpu';
import { capstoneSuite } from './12-capstone-rescom-step';

export const HIDDEN_SUITES: readonly HiddenSuite[] = [
  classImbalanceSuite,
  datasetsTwoViewsSuite,
  balancedSoftmaxSuite,
  supConClassWeightsSuite,
  classBalancedQueueSuite,
  gradientDecouplingMiningSuite,
  fullTrainingSuite,
  evaluationSuite,
  ablationSuite,
  rescomStepSuite,
  trainingOnGpuSuite,
  capstoneSuite,
];

/** The suite for a solution notebook name ('03-balanced-softmax', with or without '.ipynb'), or null. */
export function hiddenSuiteFor(notebook: string): HiddenSuite | null {
  const name = notebook.replace(/\.exercise\.ipynb$|\.ipynb$/, '');
  return HIDDEN_SUITES.find((s) => s.notebook === name) ?? null;
}
