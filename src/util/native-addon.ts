/**
 * The optional N-API addons that scripts/build-native.sh builds into <repository>/lib/native/
 * (oneDNN convolutions: backend/wasm/onednn.ts; pixel loops: data/augment/native-pixels.ts): where
 * one lies, how it is loaded, and the 0/1 environment switch each has.
 */
import { join } from 'node:path';
import { readEnvironmentSwitch } from './environment';

/** Path of a built addon: <repository>/lib/native/<name>.node (this file is <repository>/{src,lib}/util/). */
export function nativeAddonPath(name: string): string {
  return join(__dirname, '..', '..', 'lib', 'native', `${name}.node`);
}

/** The addon's exports, or one line saying why it does not load (`notBuilt` when no file was built). */
export function requireNativeAddon<T>(name: string, notBuilt: string): T | string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(nativeAddonPath(name)) as T;
  } catch (error) {
    const first = String((error as Error)?.message ?? error).split('\n')[0];
    return first.includes('Cannot find module') ? notBuilt : first;
  }
}

/**
 * An addon's switch in `env`: `variable` unset, empty or 1 leaves it on, 0 turns it off; anything
 * else throws, naming `who` (the function the user called).
 */
export function nativeAddonSwitch(env: NodeJS.ProcessEnv, variable: string, who: string): boolean {
  return readEnvironmentSwitch(variable, who, true, env);
}
