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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rescom: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.RESCOM_DEBUG) console.error(error);
    process.exit(1);
  },
);
