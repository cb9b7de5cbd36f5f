/**
 * Config fields as command-line options: every field except `name` is accepted as `--<field> VALUE`
 * and as `--set field=value`, applied in command-line order (a later one wins). The `parseArgs`
 * option table and the help text both come from the schema.
 */
import { CONFIG_FIELDS, CONFIG_SCHEMA, describeField } from './schema';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseAssignment } from './overrides';
import { unknownFieldMessage } from './validate';
import type { ExperimentConfig } from './types';

/** Fields settable as `--<field>` (all but `name`, which `--config` chooses). */
export const FLAG_FIELDS = CONFIG_FIELDS.filter((f) => f !== 'name');

/** `parseArgs` options for the config fields (`--epochs 3`, `--set epochs=3`). */
export function configFieldOptions(): Record<string, { type: 'string'; multiple?: boolean }> {
  const options: Record<string, { type: 'string'; multiple?: boolean }> = { set: { type: 'string', multiple: true } };
  for (const field of FLAG_FIELDS) options[field] = { type: 'string' };
  return options;
}

/** The config overrides among parseArgs tokens, in order: `--set a=b` and `--a b` both give ['a', 'b']. */
export function overridesFromTokens(
  tokens: ReadonlyArray<{ kind: string; name?: string; value?: string }>,
): Array<[string, string]> {
  const overrides: Array<[string, string]> = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || !token.name) continue;
    if (token.name === 'set') overrides.push(parseAssignment(token.value));
    else if ((FLAG_FIELDS as string[]).includes(token.name)) overrides.push([token.name, token.value]);
  }
  return overrides;
}

/** Help lines for the config fields: `  --epochs N   training epochs (an integer >= 1)`. */
export function configFieldHelp(defaults?: ExperimentConfig): string {
  const width = Math.max(...FLAG_FIELDS.map((f) => f.length)) + 2;
  return FLAG_FIELDS.map((f) => {
    const shown = defaults ? ` [${JSON.stringify(defaults[f])}]` : '';
    return `  --${f.padEnd(width)} ${CONFIG_SCHEMA[f].doc}: ${describeField(f)}${shown}`;
  }).join('\n');
}

/**
 * `parseArgs` (strict, with tokens) whose unknown-option error names the closest config field and
 * lists the valid ones, instead of node's generic message.
 */
export interface ParsedCommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  tokens: Array<{ kind: string; name?: string; value?: string }>;
}

export function parseCommandArgs(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): ParsedCommandArgs {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: false, tokens: true });
    return {
      values: parsed.values as ParsedCommandArgs['values'],
      tokens: (parsed.tokens ?? []) as ParsedCommandArgs['tokens'],
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const match = /Unknown option '--?([^']+)'/.exec((error as Error).message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && match) {
      const own = Object.keys(options ?? {}).filter((o) => !(CONFIG_FIELDS as string[]).includes(o));
      throw new Error(
        `rescom ${command}: unknown option '--${match[1]}'; options are --${own.join(', --')} and the config fields: ${unknownFieldMessage(match[1])}`,
      );
    }
    throw new Error(`rescom ${command}: ${(error as Error).message}`);
  }
}
