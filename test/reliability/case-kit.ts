/**
 * What a bad-input case is (its folder, its command line, the names its one error line must hold)
 * and the tiny training arguments the cases share. The cases themselves: cases.ts and cases-*.ts.
 */

export interface CaseContext {
  /** The case's own folder (fingerprinted before and after). */
  dir: string;
  /** Where the command runs (inside `dir`, so a default runs/ folder would show). */
  work: string;
  /** The tiny embedded Fashion-MNIST-LT folder. */
  tinyData: string;
  /** A finished one-epoch run of the tiny data (copy it before damaging it). */
  baseRun: string;
  /** A run of the tiny data stopped after epoch 1 of 2 (copy it before resuming it). */
  partialRun: string;
  /** Tiny data of the same shapes as `tinyData` with other pixels. */
  otherData: string;
}

export interface CaseSetup {
  args: string[];
  /** Strings the error line must contain: the option or the file. */
  names: string[];
  /** Expected exit status (default 1). */
  exit?: number;
  /** Environment variables for the command (on top of the test's own, wasm backend). */
  env?: Record<string, string>;
}

export interface BadInputCase {
  id: string;
  area:
    | 'numbers'
    | 'options'
    | 'run folder'
    | 'checkpoint'
    | 'reader'
    | 'grade'
    | 'backend'
    | 'environment'
    | 'output'
    | 'resume'
    | 'disk';
  what: string;
  setup(ctx: CaseContext): CaseSetup;
}

/** The tiny fashion-mnist-lt training arguments (1 epoch, no warm-up). */
export function tinyArgs(tinyData: string): string[] {
  return [
    '--config',
    'fashion-mnist-lt',
    '--method',
    'balsfx',
    '--dataDir',
    tinyData,
    '--epochs',
    '1',
    '--warmupEpochs',
    '0',
    '--batchSize',
    '8',
    '--valFraction',
    '0.2',
    '--evalBatchSize',
    '16',
    '--queuePerClass',
    '2',
    '--selectNumPos',
    '1',
    '--selectNumNeg',
    '6',
    '--projectionDim',
    '8',
  ];
}
