/**
 * Field-by-field comparison of two configs, used to refuse resuming a checkpoint with a different
 * config (a resumed run must be the same experiment, or its result means nothing).
 */
import { CONFIG_FIELDS } from './schema';
import type { ExperimentConfig } from './types';

/**
 * Fields a resume may change: they do not change what is trained (where the data lies, the batch
 * size of evaluation passes). Every other field, those added later included, must stay as the
 * checkpoint has it (src/train/run-state.ts).
 */
export const RESUME_FREE_FIELDS = ['dataDir', 'evalBatchSize'] as const;

export interface ConfigDifference {
  field: string;
  saved: unknown;
  requested: unknown;
}

/** Fields whose values differ (arrays compared element-wise), in schema order; unknown fields too. */
export function configDifferences(saved: ExperimentConfig, requested: ExperimentConfig): ConfigDifference[] {
  const fields = new Set<string>([...CONFIG_FIELDS, ...Object.keys(saved), ...Object.keys(requested)]);
  const differences: ConfigDifference[] = [];
  for (const field of fields) {
    const a = (saved as unknown as Record<string, unknown>)[field];
    const b = (requested as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ field, saved: a, requested: b });
  }
  return differences;
}

/** `epochs: checkpoint 30, requested 40; lr: checkpoint 0.1, requested 0.05`. */
export function formatConfigDifferences(differences: ConfigDifference[]): string {
  return differences
    .map((d) => `${d.field}: checkpoint ${JSON.stringify(d.saved)}, requested ${JSON.stringify(d.requested)}`)
    .join('; ');
}
