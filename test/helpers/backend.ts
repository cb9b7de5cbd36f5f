import { selectBackend, type BackendInfo } from '../../src/backend';

/** Select the backend tests run on (default: auto, i.e. wasm with training kernels here), silently. */
export function useTestBackend(): Promise<BackendInfo> {
  return selectBackend({ log: null });
}
