/**
 * Numbers given to command-line options (`--epochs 3`, `--cell-timeout 60`): plain decimals inside
 * stated bounds. `Number()` alone would read '0x10' as 16, '' as 0, '1e12' as a trillion epochs.
 * Errors are one line naming the command, the option, what it accepts and what it got.
 */
import { PLAIN_DECIMAL, PLAIN_INTEGER } from '../configs/overrides';

export interface NumberBounds {
  min: number;
  max: number;
}

function expected(kind: 'an integer' | 'a number', { min, max }: NumberBounds): string {
  return `${kind} from ${min} to ${max} (plain decimal)`;
}

/** An integer option: digits only, within [min, max]. `raw` undefined gives `fallback`. */
export function parseIntegerOption(
  command: string,
  option: string,
  raw: string | undefined,
  bounds: NumberBounds,
  fallback?: number,
): number | undefined {
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const value = PLAIN_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw new Error(`rescom ${command}: --${option} must be ${expected('an integer', bounds)}; got '${raw}'`);
  }
  return value;
}

/** A real-valued option: plain decimal (an exponent is allowed), within [min, max]. */
export function parseNumberOption(
  command: string,
  option: string,
  raw: string | undefined,
  bounds: NumberBounds,
  fallback?: number,
): number | undefined {
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const value = PLAIN_DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
    throw new Error(`rescom ${command}: --${option} must be ${expected('a number', bounds)}; got '${raw}'`);
  }
  return value;
}
