#!/usr/bin/env node
/**
 * `rescom <command> [options]`: a thin shell over the library. Each command lives in
 * `commands/<name>.ts` and exports a `Command`.
 */
import { COMMANDS } from './registry';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`rescom: unknown command '${name}'.\n\n${usage()}`);
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
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // Library errors already name their function (e.g. `rescom eval: ...`); add the prefix only when missing.
  console.error(message.startsWith('rescom') ? message : `rescom: ${message}`);
  if (process.env.RESCOM_DEBUG) console.error(error);
  return exitAfterFlush(1);
});
