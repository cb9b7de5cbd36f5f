/**
 * What the user sees when a command fails: one line, prefixed `rescom`, naming the file for file
 * system errors (node's EISDIR / EACCES messages from a read name none). The stack only with --debug.
 */

/** The one-line message of a failed command. */
export function errorLine(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  const file = (error as { path?: unknown } | null)?.path;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof file === 'string' && !message.includes(file)) {
    const what =
      code === 'EISDIR'
        ? 'is a folder; expected a file'
        : code === 'ENOTDIR'
          ? 'is not a folder'
          : code === 'EACCES'
            ? 'is not accessible (permission denied)'
            : 'could not be used';
    message = `'${file}' ${what} (${message})`;
  }
  // Multi-line messages (a config with several problems) are joined so every error is one line.
  const line = message
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .reduce((joined, part) => (joined === '' ? part : `${joined}${joined.endsWith(':') ? ' ' : '; '}${part}`), '');
  return line.startsWith('rescom') ? line : `rescom: ${line}`;
}
