import type { Command } from './command';
import { backendCommand } from './commands/backend';

/** Every CLI command, in the order `rescom --help` lists them. Add new commands here. */
export const COMMANDS: Command[] = [backendCommand];
