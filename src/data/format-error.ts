/**
 * The one error type of the readers: it names the file, the position in it and what was expected,
 * so a corrupt or truncated download can be found and replaced.
 */
export class DataFormatError extends Error {
  constructor(
    readonly file: string,
    /** Where: 'byte 16', 'line 3', 'record 7 (byte 21511)'. */
    readonly position: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${file}: at ${position}: expected ${expected}; got ${got}`);
    this.name = 'DataFormatError';
  }
}
