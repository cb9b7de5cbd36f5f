/**
 * The structured messages a `rescom train --messages` child process sends its parent over Node's IPC
 * channel (JSON), so that a parent such as `rescom demo` learns what happened from data, never by
 * reading printed tables.
 */
export type TrainerMessage =
  /** A line meant for people (config, data, resume notes). */
  | { type: 'log'; line: string }
  /** The run ended: finished (all epochs, test evaluated) or stopped early. */
  | {
      type: 'finished';
      runDir: string;
      checkpoint: string;
      epochsCompleted: number;
      finished: boolean;
      testResultsFile: string | null;
    };

/** Sends `message` to the parent process; throws when this process has no IPC channel. */
export function sendTrainerMessage(message: TrainerMessage): void {
  if (typeof process.send !== 'function')
    throw new Error('sendTrainerMessage: this process has no IPC channel (start it with an ipc stdio entry)');
  // A parent that is gone (killed) closes the channel: the 'disconnect' handler stops this process
  // (src/cli/commands/train.ts); a send that fails meanwhile is dropped, not thrown.
  if (!process.connected) return;
  process.send(message, undefined, {}, () => undefined);
}

/** Whether `value` is a `TrainerMessage` (what a parent checks on each IPC message). */
export function isTrainerMessage(value: unknown): value is TrainerMessage {
  if (!value || typeof value !== 'object') return false;
  const m = value as { type?: unknown; line?: unknown; runDir?: unknown };
  return (m.type === 'log' && typeof m.line === 'string') || (m.type === 'finished' && typeof m.runDir === 'string');
}
