/**
 * Training progress: one line per update with step, loss, images/s and ETA of the whole run.
 * On a terminal the line is redrawn in place (at most ~10 times a second); elsewhere (CI logs,
 * notebooks, files) a complete line is printed every `lineIntervalSeconds` and at the end of each
 * epoch, so logs stay readable instead of filling with carriage returns.
 */

export interface ProgressOptions {
  /** Where to write; default process.stderr. Only `write` and `isTTY` are used. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Non-terminal output: seconds between lines. Default 15. */
  lineIntervalSeconds?: number;
  /** Clock in milliseconds (tests). Default Date.now. */
  now?: () => number;
}

export interface ProgressUpdate {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  /** Running mean loss of the epoch. */
  loss: number;
  lr: number;
  /** Images per second over the epoch so far. */
  imagesPerSecond: number;
  /** Seconds left in the whole run (null until measurable). */
  etaSeconds: number | null;
  /** Extra `key=value` text (e.g. cls/con parts). */
  detail?: string;
}

export class ProgressReporter {
  private readonly stream: { write(text: string): unknown; isTTY?: boolean };
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastDraw = -Infinity;
  private drawnWidth = 0;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
    this.intervalMs = (options.lineIntervalSeconds ?? 15) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Report a step; drawn when due (always for the last step of an epoch). */
  update(u: ProgressUpdate): void {
    const last = u.step === u.stepsPerEpoch;
    const t = this.now();
    if (!last && t - this.lastDraw < (this.tty ? 100 : this.intervalMs)) return;
    this.lastDraw = t;
    const line = formatProgressLine(u);
    if (this.tty) {
      const pad = Math.max(0, this.drawnWidth - line.length);
      this.stream.write(`\r${line}${' '.repeat(pad)}${last ? '\n' : ''}`);
      this.drawnWidth = last ? 0 : line.length;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Print a message on its own line (finishing a bar being drawn). */
  message(text: string): void {
    if (this.tty && this.drawnWidth > 0) this.stream.write('\n');
    this.drawnWidth = 0;
    this.stream.write(`${text}\n`);
  }
}

/** `epoch 3/30 [#####.....] 12/40 loss 1.234 lr 0.0500 310 img/s ETA 4m12s`. */
export function formatProgressLine(u: ProgressUpdate): string {
  const width = 20;
  const filled = Math.round((width * u.step) / u.stepsPerEpoch);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const digits = String(u.stepsPerEpoch).length;
  return [
    `epoch ${String(u.epoch).padStart(String(u.epochs).length)}/${u.epochs}`,
    `[${bar}] ${String(u.step).padStart(digits)}/${u.stepsPerEpoch}`,
    `loss ${u.loss.toFixed(4)}`,
    ...(u.detail ? [u.detail] : []),
    `lr ${u.lr.toPrecision(3)}`,
    `${u.imagesPerSecond.toFixed(1)} img/s`,
    `ETA ${formatDuration(u.etaSeconds)}`,
  ].join('  ');
}

/** `1h02m`, `4m12s`, `9s`; `--` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * A progress line for long work outside training (checking an image list's files, evaluating a
 * large split): `log` at most once every `seconds`, so a step of minutes is never silent and a
 * short one prints nothing.
 */
export function throttledProgress(
  log: ((line: string) => void) | null | undefined,
  seconds = 10,
  now: () => number = Date.now,
): (line: () => string) => void {
  const start = now();
  let last = start;
  return (line) => {
    const t = now();
    if (!log || t - last < seconds * 1000) return;
    last = t;
    log(`${line()} (${Math.round((t - start) / 1000)} s)`);
  };
}
