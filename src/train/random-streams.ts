/**
 * The trainer's random streams and the one order in which they are forked. Everything random in a
 * run (initial weights, the queue's initial keys, shuffling, augmentation) comes from one
 * `Rng(config.seed)`, forked in this order:
 *
 *   root = new Rng(config.seed)
 *   1. model      = root.fork()   initial weights (the model factory)
 *   2. criterion  = root.fork()   the queue's random initial keys (the criterion factory)
 *   3. epoch e    = root.fork()   at the start of each epoch e = 0, 1, ...: its shuffle and augmentation
 *
 * The checkpoint of epoch e stores `root.state()` after step 3 of that epoch; a mid-epoch checkpoint
 * (`checkpointEvery`) stores it from before the epoch's fork, so the resumed run forks the same stream. A resumed run forks
 * steps 1 and 2 again from the seed (so the factories build the same objects, whose weights and
 * queue the checkpoint then overwrites), and continues step 3 from the stored state. Adding a
 * stream anywhere but at the end of this list changes every run's numbers; change it here only.
 */
import { Rng, type RngState } from '../util/rng';

export interface RunStreams {
  /** Seeds the model's initial weights. */
  model: Rng;
  /** Seeds the criterion (the queue's initial keys). */
  criterion: Rng;
  /** The stream each epoch forks from (`forkEpochStream`); its state is what checkpoints store. */
  epochs: Rng;
}

/** Steps 1 and 2 of the order above; `resumeFrom` (a checkpoint's `rng`) replaces the epoch root. */
export function forkRunStreams(seed: number, resumeFrom?: RngState): RunStreams {
  const root = new Rng(seed);
  const model = root.fork();
  const criterion = root.fork();
  return { model, criterion, epochs: resumeFrom ? Rng.fromState(resumeFrom) : root };
}

/** Step 3: the stream of the next epoch's shuffle and augmentation (advances `epochs`). */
export function forkEpochStream(epochs: Rng): Rng {
  return epochs.fork();
}
