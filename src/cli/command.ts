/** A CLI command: `run` gets the arguments after the command name and returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Options text shown by `rescom <name> --help`. */
  help: string;
  run(args: string[]): Promise<number>;
}
