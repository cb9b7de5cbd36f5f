/**
 * What a tuning run is judged by: its validation split only (a balanced held-out set drawn from the
 * training images the long-tailed subset left unused; `valPerClass` of the config), never the test
 * set. The score is the final epoch's validation top-1, the model that would ship; the mean of the
 * last epochs is kept beside it as a steadier reading of the same curve.
 */
import * as path from 'node:path';
import { LOG_FILE, readJsonl } from '../../train';

/** Epochs averaged for `lastMeanTop1`. */
export const LAST_EPOCHS = 5;

export interface ValidationScore {
  epochs: number;
  /** Validation top-1 after the final epoch, in [0, 1]. */
  top1: number;
  /** Validation accuracy of the few-shot third after the final epoch, in [0, 1]. */
  few: number;
  /** Mean validation top-1 over the last LAST_EPOCHS epochs (all of them when fewer). */
  lastMeanTop1: number;
}

/** The validation score of a run folder with `epochs` logged epochs; null while it has fewer. */
export function validationScore(runDir: string, epochs: number): ValidationScore | null {
  const log = readJsonl(path.join(runDir, LOG_FILE));
  if (log.length < epochs) return null;
  const top1s = log.slice(0, epochs).map((record, i) => {
    const val = record.val as { top1?: unknown } | null | undefined;
    if (!val || typeof val.top1 !== 'number') {
      throw new Error(`validationScore: ${path.join(runDir, LOG_FILE)} epoch ${i + 1} has no validation top-1 (the config needs a validation split)`);
    }
    return val.top1;
  });
  const last = log[epochs - 1].val as { few?: unknown };
  const tail = top1s.slice(-LAST_EPOCHS);
  return {
    epochs,
    top1: top1s[epochs - 1],
    few: typeof last.few === 'number' ? last.few : NaN,
    lastMeanTop1: tail.reduce((a, b) => a + b, 0) / tail.length,
  };
}
