/**
 * Quick mode: CI and `npm run notebooks:run` set `RESCOM_QUICK=1` so that every notebook runs the
 * same code on smaller budgets (fewer images, epochs, samples). Notebooks read it through these two
 * functions so the switch is spelled one way everywhere.
 */
import { readEnvironmentSwitch } from '../util/environment';

/** True when `RESCOM_QUICK` is 1 or true; false when 0, false or unset; anything else throws. */
export function quickMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return readEnvironmentSwitch('RESCOM_QUICK', 'quickMode', false, env);
}

/**
 * Pick the budget for the current mode: `budget({ quick: 200, full: 5000 })`.
 * @param options.quick value used in quick mode
 * @param options.full  value used otherwise
 * @param options.env   environment to read (default `process.env`)
 */
export function budget<T>(options: { quick: T; full: T; env?: NodeJS.ProcessEnv }): T {
  if (!options || !('quick' in options) || !('full' in options)) {
    throw new Error(`budget: options must have 'quick' and 'full'; got ${JSON.stringify(options)}`);
  }
  return quickMode(options.env) ? options.quick : options.full;
}
