/**
 * Learning-rate schedules evaluated per optimisation step: linear warm-up, then either step decay
 * (multiply by stepFactors[i] from epoch stepEpochs[i]; x0.1 / x0.01 at 320 / 360 in the paper's CIFAR
 * runs) or cosine decay to lr * minLrFactor (the paper's ImageNet-LT runs). The trainer writes the
 * value into the optimiser before every step: the reference code computed its CIFAR schedule but
 * never assigned it, so its learning rate stayed at 0.1 (docs/paper-notes.md "Known defects").
 */

export interface LearningRateSchedule {
  /** Peak learning rate. */
  lr: number;
  /** Warm-up epochs W: lr rises linearly, step by step, to lr over the first W epochs. Default 0. */
  warmupEpochs?: number;
  /** 'step' (default) or 'cosine'. */
  schedule?: 'step' | 'cosine';
  /** Step schedule milestones (0-based epochs), ascending. Default []. */
  stepEpochs?: number[];
  /** Step schedule multipliers, one per milestone. Default []. */
  stepFactors?: number[];
  /** Cosine schedule: final lr / lr. Default 0. */
  minLrFactor?: number;
  /** Total epochs (the cosine's end). */
  epochs: number;
}

/**
 * Learning rate for the step at `epoch` (0-based) and `step` (0-based, of `stepsPerEpoch`).
 * Warm-up is linear in steps: the k-th step (1-based) of W warm-up epochs uses lr * k / (W * S), so
 * the first step already trains and the last warm-up step reaches lr. Cosine runs over the steps
 * after warm-up and reaches lr * minLrFactor at the last step.
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  position: { epoch: number; step: number; stepsPerEpoch: number },
): number {
  const { lr, epochs } = schedule;
  const { epoch, step, stepsPerEpoch } = position;
  if (!(lr > 0)) throw new Error(`learningRateAt: schedule.lr must be > 0; got ${lr}`);
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
    throw new Error(`learningRateAt: position.stepsPerEpoch must be a positive integer; got ${stepsPerEpoch}`);
  }
  if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(step) || step < 0 || step >= stepsPerEpoch) {
    throw new Error(
      `learningRateAt: position must have integer epoch >= 0 and 0 <= step < ${stepsPerEpoch}; got epoch ${epoch}, step ${step}`,
    );
  }
  const warmup = schedule.warmupEpochs ?? 0;
  const globalStep = epoch * stepsPerEpoch + step;
  const warmupSteps = warmup * stepsPerEpoch;
  if (globalStep < warmupSteps) return (lr * (globalStep + 1)) / warmupSteps;
  if ((schedule.schedule ?? 'step') === 'cosine') {
    const total = epochs * stepsPerEpoch - warmupSteps;
    const progress = total <= 1 ? 1 : (globalStep - warmupSteps) / (total - 1);
    const minLr = lr * (schedule.minLrFactor ?? 0);
    return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  }
  const milestones = schedule.stepEpochs ?? [];
  const factors = schedule.stepFactors ?? [];
  if (milestones.length !== factors.length) {
    throw new Error(
      `learningRateAt: stepEpochs (${milestones.length}) and stepFactors (${factors.length}) must have the same length`,
    );
  }
  let factor = 1;
  milestones.forEach((m, i) => {
    if (epoch >= m) factor = factors[i];
  });
  return lr * factor;
}
