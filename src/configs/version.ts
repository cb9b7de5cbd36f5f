/**
 * Config versions. A saved config (in a checkpoint, or a run's config.json) carries `version`; a
 * config saved by an earlier version lacks the fields added since, and loading fills them with the
 * value that reproduces the earlier behaviour (the schema's `since` / `default`), so its run
 * resumes. Version history:
 *   1  the first config
 *   2  nMax (head-class size of the long-tailed subset; 0 = the whole class, as before)
 *   3  valPerClass (balanced validation from outside the subset; 0 = valFraction, as before)
 *   4  subsetSeed (the subset's own seed; -1 = the run seed, a new subset per seed, as before) and
 *      subsetList (subset rows from a list; '' = drawn, as before)
 * Adding a field: raise CONFIG_VERSION, give the field `since` and `default` in schema.ts, add a line here.
 */
import { CONFIG_FIELDS, CONFIG_SCHEMA } from './schema';
import type { ExperimentConfig } from './types';
import { validateConfig } from './validate';

export const CONFIG_VERSION = 4;

/** A config as saved: its fields and the version that wrote them. */
export type SavedConfig = ExperimentConfig & { version: number };

/** The form to save: the config with the current version. */
export function savedConfig(config: ExperimentConfig): SavedConfig {
  return { version: CONFIG_VERSION, ...config };
}

/**
 * A saved config (any version up to CONFIG_VERSION; none = 1) as a current, validated config: the
 * fields added after its version filled with their defaults. Throws naming `where` on a newer
 * version or an invalid config.
 */
export function loadSavedConfig(saved: unknown, where = 'loadSavedConfig'): ExperimentConfig {
  if (!saved || typeof saved !== 'object' || Array.isArray(saved))
    throw new Error(`${where}: a saved config must be an object; got ${JSON.stringify(saved)}`);
  const { version = 1, ...fields } = saved as Record<string, unknown>;
  if (!Number.isInteger(version) || (version as number) < 1 || (version as number) > CONFIG_VERSION) {
    throw new Error(
      `${where}: config version must be an integer in 1..${CONFIG_VERSION} (this rescom-lab); got ${JSON.stringify(version)}`,
    );
  }
  for (const field of CONFIG_FIELDS) {
    const spec = CONFIG_SCHEMA[field];
    if (!(field in fields) && spec.since !== undefined && spec.since > (version as number))
      fields[field] = spec.default;
  }
  return validateConfig(fields, where);
}
