/**
 * The tail of a benchmark entry point: run `main`, exit with its code, or print the error's message
 * (one line, no stack) and exit 1.
 */
export function exitWhenDone(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
