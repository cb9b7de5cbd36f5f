/**
 * What the user sees when a command fails: one line, prefixed `rescom`, naming the file for file
 * system errors (node's messages for a failed write or read often name none, or name a temporary
 * file) and saying what to do. The stack only with --debug.
 */

/** What a file-system error code means for the path, and what to do. */
const FILE_ERRORS: Record<string, string> = {
  EISDIR: 'is a folder; expected a file',
  ENOTDIR: 'cannot be used: a part of it is a file, not a folder',
  EACCES: 'is not accessible (permission denied): change its permissions or write elsewhere',
  EPERM: 'is not accessible (operation not permitted): write elsewhere',
  ENOSPC: 'could not be written: no space is left on its device (ENOSPC); free space there or write elsewhere',
  EDQUOT: 'could not be written: the disk quota is used up (EDQUOT); free space or write elsewhere',
  ENAMETOOLONG: 'has a name too long for the file system (ENAMETOOLONG); choose a shorter path',
  EROFS: 'is on a read-only file system (EROFS); write elsewhere',
  ENOENT: 'does not exist',
  EEXIST: 'already exists',
  EMFILE: 'could not be opened: too many open files (EMFILE); raise ulimit -n',
};

/**
 * The path to name for a failed write: the final name of an atomic write's temporary
 * (`.NAME.<pid>.<n>.part` -> NAME; a checkpoint's `.epoch-0003.tmp-XXXX/...` -> its folder).
 */
export function userPath(file: string): string {
  const part = /^(.*\/)\.([^/]+)\.\d+\.[0-9a-z]+\.part$/.exec(file);
  if (part) return `${part[1]}${part[2]}`;
  const dir = /^(.*\/)\.(epoch-[^/]+)\.tmp-[^/]+(\/.*)?$/.exec(file);
  return dir ? `${dir[1]}${dir[2]}` : file;
}

/** The one-line message of a failed command. */
export function errorLine(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  const file = (error as { path?: unknown } | null)?.path;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof file === 'string') {
    const named = userPath(file);
    const what = (typeof code === 'string' && FILE_ERRORS[code]) || 'could not be used';
    // Node's own message ("ENOSPC: no space left on device, write") names the code, not the file.
    if (!message.includes(named) || message.startsWith(`${String(code)}:`)) message = `'${named}' ${what} (${message})`;
  }
  // Multi-line messages (a config with several problems) are joined so every error is one line.
  const line = message
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .reduce((joined, part) => (joined === '' ? part : `${joined}${joined.endsWith(':') ? ' ' : '; '}${part}`), '');
  return line.startsWith('rescom') ? line : `rescom: ${line}`;
}
