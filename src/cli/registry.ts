import type { Command } from './command';
import { backendCommand } from './commands/backend';
import { demoCommand } from './commands/demo';
import { evalCommand } from './commands/eval';
import { gradeCommand } from './commands/grade';
import { parityCommand } from './commands/parity';
import { reportCommand } from './commands/report';
import { shipCommand } from './commands/ship';
import { simulateCommand } from './commands/simulate';
import { trainCommand } from './commands/train';

/** Every CLI command, in the order `rescom --help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand,
  trainCommand,
  evalCommand,
  shipCommand,
  reportCommand,
  simulateCommand,
  parityCommand,
  gradeCommand,
  backendCommand,
];
