/**
 * `--backend NAME` and `--threads N`, shared by the commands that train or evaluate, turned into
 * `selectBackend` options (unset flags fall back to RESCOM_BACKEND / RESCOM_THREADS there).
 */
import { BACKEND_NAMES, type BackendName, type BackendOptions } from '../backend';
import { validateThreads } from '../backend/wasm/threads';
import { parseIntegerOption } from './parse-number';

export const BACKEND_ARG_OPTIONS = {
  backend: { type: 'string' },
  threads: { type: 'string' },
} as const;

export function backendOptionsFromArgs(
  command: string,
  values: { backend?: unknown; threads?: unknown },
): BackendOptions {
  const options: BackendOptions = {};
  if (typeof values.backend === 'string') {
    // An empty --backend is refused, not read as auto (every option fails closed).
    if (!(['auto', ...BACKEND_NAMES] as string[]).includes(values.backend))
      throw new Error(
        `rescom ${command}: --backend must be one of auto, ${BACKEND_NAMES.join(', ')}; got '${values.backend}'`,
      );
    options.backend = values.backend as BackendName;
  }
  if (values.threads !== undefined) {
    const raw = String(values.threads);
    // Plain digits only (no 0x10, 1e1), then the backend's own bounds.
    const threads = parseIntegerOption(command, 'threads', raw, { min: 1, max: 8 })!;
    options.threads = validateThreads(`rescom ${command}: --threads`, threads, raw);
  }
  return options;
}
