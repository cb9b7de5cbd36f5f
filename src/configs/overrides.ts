/**
 * Command-line overrides of config fields: `--set epochs=3`, `--epochs 3` and `--set stepEpochs=8,9`
 * all become typed values, then the whole config is validated again.
 */
import { CONFIG_SCHEMA, describeField } from './schema';
import type { ExperimentConfig } from './types';
import { unknownFieldMessage, validateConfig } from './validate';

/** `12`, `-3`: what an integer field accepts on the command line. */
export const PLAIN_INTEGER = /^[+-]?\d{1,15}$/;
/** `0.05`, `.5`, `5e-4`: what a number field accepts (no hex, binary, octal, Infinity or NaN). */
export const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;

/** Parse one field's text as the command line gives it. Throws naming the field and what it accepts. */
export function parseFieldValue(field: string, text: string): unknown {
  if (!(field in CONFIG_SCHEMA)) throw new Error(`parseFieldValue: ${unknownFieldMessage(field)}`);
  const key = field as keyof ExperimentConfig;
  const spec = CONFIG_SCHEMA[key];
  const fail = () => new Error(`parseFieldValue: field '${field}' must be ${describeField(key)}; got '${text}'`);
  // Plain decimals only: Number() would also read '0x10' as 16, '' as 0 and 'Infinity'.
  const integer = spec.kind === 'int' || spec.kind === 'int[]';
  const number = (s: string) => {
    const t = s.trim();
    if (!(integer ? PLAIN_INTEGER : PLAIN_DECIMAL).test(t)) throw fail();
    const n = Number(t);
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
