/**
 * `node:util` parseArgs for the commands that take no config fields, with node's messages turned
 * into one line that names the command and the option (`rescom eval: unknown option '--chekpoint';
 * options are --checkpoint, --split, ...`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface ParsedOptions<V> {
  values: V;
  positionals: string[];
}

/** `V`: the values' type as the caller declares its options (string options give strings, boolean ones booleans). */
export function parseOptions<V = Record<string, string | boolean | undefined>>(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = false,
): ParsedOptions<V> {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals });
    return { values: parsed.values as unknown as V, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message.split('\n')[0];
    const names = Object.keys(options)
      .map((o) => `--${o}`)
      .join(', ');
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown)
      throw new Error(`rescom ${command}: unknown option '${unknown[1]}'; options are ${names}`);
    const positional = /Unexpected argument '([^']*)'/.exec(message);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional) {
      throw new Error(`rescom ${command}: unexpected argument '${positional[1]}'; options are ${names}`);
    }
    throw new Error(`rescom ${command}: ${message}`);
  }
}
