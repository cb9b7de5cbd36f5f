/**
 * Command-line overrides of config fields: `--set epochs=3`, `--epochs 3` and `--set stepEpochs=8,9`
 * all become typed values, then the whole config is validated again.
 */
import { CONFIG_SCHEMA, describeField } from './schema';
import type { ExperimentConfig } from './types';
import { unknownFieldMessage, validateConfig } from './validate';

/** Parse one field's text as the command line gives it. Throws naming the field and what it accepts. */
export function parseFieldValue(field: string, text: string): unknown {
  if (!(field in CONFIG_SCHEMA)) throw new Error(`parseFieldValue: ${unknownFieldMessage(field)}`);
  const key = field as keyof ExperimentConfig;
  const spec = CONFIG_SCHEMA[key];
  const fail = () => new Error(`parseFieldValue: field '${field}' must be ${describeField(key)}; got '${text}'`);
  const number = (s: string) => {
    if (s.trim() === '') throw fail();
    const n = Number(s);
    if (!Number.isFinite(n)) throw fail();
    return n;
  };
  switch (spec.kind) {
    case 'string':
    case 'enum':
      return text;
    case 'int':
    case 'number':
      return number(text);
    case 'int[]':
    case 'number[]':
      return text.trim() === '' ? [] : text.split(',').map(number);
  }
}

/** Split `field=value` (the argument of `--set`). */
export function parseAssignment(assignment: string): [string, string] {
  const at = assignment.indexOf('=');
  if (at <= 0) throw new Error(`parseAssignment: --set expects field=value (e.g. --set epochs=3); got '${assignment}'`);
  return [assignment.slice(0, at).trim(), assignment.slice(at + 1)];
}

/**
 * A new config with the given `[field, text]` pairs applied in order (later wins), validated.
 * @param overrides e.g. `[['epochs', '3'], ['lr', '0.05']]`
 */
export function applyOverrides(config: ExperimentConfig, overrides: Array<[string, string]>): ExperimentConfig {
  const next: Record<string, unknown> = { ...config };
  for (const [field, text] of overrides) next[field] = parseFieldValue(field, text);
  return validateConfig(next, 'applyOverrides');
}
