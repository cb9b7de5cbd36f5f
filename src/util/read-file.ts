/**
 * Reading the small files a run or a dataset folder holds (state.json, latest.json, manifest.json,
 * model.json) with errors that name the file and say what was expected: node's own messages for a
 * folder in the file's place (EISDIR) or for broken JSON name no file.
 */
import * as fs from 'node:fs';

/** The bytes of `file`; throws naming `caller`, the file and `what` it should be. */
export function readFileChecked(file: string, caller: string, what = 'a file'): Buffer {
  checkFile(file, caller, what);
  return fs.readFileSync(file);
}

/** Throws naming `caller`, the file and `what` it should be unless `file` is a regular file. */
export function checkFile(file: string, caller: string, what = 'a file'): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${caller}: '${file}' is missing; expected ${what}`);
  }
  if (!stat.isFile())
    throw new Error(
      `${caller}: '${file}' is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}; expected ${what}`,
    );
}

/** `file` parsed as a JSON object; throws naming `caller`, the file and `what` it should hold. */
export function readJsonFile<T = Record<string, unknown>>(file: string, caller: string, what = 'a JSON object'): T {
  const text = readFileChecked(file, caller, what).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = text.length === 0 ? 'the file is empty' : (error as Error).message.split('\n')[0];
    throw new Error(`${caller}: '${file}' is not valid JSON (${reason}); expected ${what}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${caller}: '${file}' holds ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}; expected ${what}`,
    );
  }
  return value as T;
}
