#!/usr/bin/env node
/**
 * `rescom <command> [options]`: a thin shell over the library. Each command lives in
 * `commands/<name>.ts` and exports a `Command`.
 */
import { checkEnvironment, readEnvironmentSwitch } from '../util/environment';
import { errorLine } from './error-line';
import { COMMANDS } from './registry';

/** `--debug` anywhere (or RESCOM_DEBUG=1): print the stack of a failure too. */
const argv = process.argv.slice(2);
let debug = argv.includes('--debug');

async function main(argv: string[]): Promise<number> {
  // Every RESCOM_* variable is known and holds a value it accepts, before anything else runs.
  checkEnvironment();
  debug ||= readEnvironmentSwitch('RESCOM_DEBUG', 'rescom', false);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(
      `rescom: unknown command '${name}'; commands are ${COMMANDS.map((c) => c.name).join(', ')} (rescom --help)`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`rescom ${command.name}: ${command.summary}\n\n${command.help}`);
    return 0;
  }
  return command.run(rest);
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: rescom <command> [options]    (rescom <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** Exit only once stdout and stderr are flushed: a piped stdout is asynchronous, and exiting at once cuts it. */
async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))),
  );
  process.exit(code);
}

function fail(error: unknown): Promise<never> {
  // Library errors already name their function (e.g. `rescom eval: ...`); add the prefix only when missing.
  try {
    console.error(errorLine(error));
    if (debug) console.error(error);
  } catch {
    process.exit(1); // stderr is gone: nobody to tell
  }
  return exitAfterFlush(1);
}

// Ctrl-C, kill, a closed terminal: leave through process.exit, so that 'exit' handlers run (they
// release run-folder locks, src/train/run-lock.ts, and stop child processes, src/train/demo.ts).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  process.on(signal, () => process.exit(code));

// A reader that went away (a killed rescom demo, `| head`): stop quietly through process.exit,
// so that the 'exit' handlers still run; an EPIPE must not become a crash that skips them.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });

// Failures outside the command's promise (a stream's error event) get the same one line.
process.on('uncaughtException', (error) => void fail(error));
process.on('unhandledRejection', (error) => void fail(error));

main(argv.filter((a) => a !== '--debug')).then(exitAfterFlush, fail);
