/**
 * Traps for the library functions an exercise forbids (`HiddenExercise.forbidden`): in the student's
 * hidden-test process, before any student code runs, each forbidden export is replaced, in the
 * module that defines it, by a function that records the call and throws. The compiled library calls
 * its own functions through those module objects (`(0, mod_1.fn)(...)` in CommonJS) and the
 * `rc.<folder>` namespaces read them through getters, so a forbidden function is trapped however it
 * is reached: `rc.losses.x`, a deep `require` of its file, or another library function that uses it.
 * The original is not kept anywhere the student's code can reach: a trapped call can only fail.
 *
 * A pattern is `folder.name` (`losses.balancedSoftmaxLoss`) or `folder.*` (every function and class
 * that folder exports), relative to the library's namespaces (src/index.ts).
 */

export interface TrapOptions {
  /** The library as loaded (`require('lib/index.js')`). */
  library: Record<string, unknown>;
  /** Loaded modules (`require.cache`): where the defining module of each export is found. */
  modules: Record<string, { exports?: unknown } | undefined>;
  patterns: string[];
  /** Called with `rc.<folder>.<name>` on every call of a trapped function. */
  onCall: (name: string) => void;
}

/** Expand the patterns to `folder.name` entries that exist; throws naming an unknown folder or name. */
export function forbiddenNames(library: Record<string, unknown>, patterns: string[]): string[] {
  const names: string[] = [];
  for (const pattern of patterns) {
    const match = /^(\w+)\.(\w+|\*)$/.exec(pattern);
    if (!match) throw new Error(`forbiddenNames: pattern must be 'folder.name' or 'folder.*'; got '${pattern}'`);
    const [, folder, name] = match;
    const namespace = library[folder] as Record<string, unknown> | undefined;
    if (!namespace || typeof namespace !== 'object')
      throw new Error(`forbiddenNames: the library has no folder '${folder}' (pattern '${pattern}')`);
    const members = name === '*' ? Object.keys(namespace).filter((k) => typeof namespace[k] === 'function') : [name];
    for (const member of members) {
      if (typeof namespace[member] !== 'function')
        throw new Error(`forbiddenNames: rc.${folder}.${member} is not a library function (pattern '${pattern}')`);
      if (!names.includes(`${folder}.${member}`)) names.push(`${folder}.${member}`);
    }
  }
  return names;
}

/** Replace every forbidden export by a trap; returns the `rc.folder.name` list that was trapped. */
export function armTraps(options: TrapOptions): string[] {
  const names = forbiddenNames(options.library, options.patterns);
  for (const full of names) {
    const [folder, name] = full.split('.');
    const original = (options.library[folder] as Record<string, unknown>)[name];
    const label = `rc.${full}`;
    const trap = function trapped(): never {
      options.onCall(label);
      throw new Error(`${label} is not allowed in this exercise (write it yourself)`);
    };
    let replaced = 0;
    for (const mod of Object.values(options.modules)) {
      const exports = mod?.exports as Record<string, unknown> | undefined;
      if (!exports || typeof exports !== 'object') continue;
      for (const key of Object.keys(exports)) {
        const descriptor = Object.getOwnPropertyDescriptor(exports, key);
        // The defining module holds the function as a plain value; re-exports hold getters.
        if (descriptor && 'value' in descriptor && descriptor.value === original) {
          Object.defineProperty(exports, key, { value: trap, writable: false, configurable: false, enumerable: true });
          replaced++;
        }
      }
    }
    if (replaced === 0) throw new Error(`armTraps: no loaded module defines ${label}`);
  }
  return names.map((n) => `rc.${n}`);
}
