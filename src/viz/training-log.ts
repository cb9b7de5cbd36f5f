/**
 * The training log, `RUN/log.jsonl` (one JSON object per epoch, written by src/train), read into
 * series for the training-curve figure. Field names of both known layouts are accepted:
 * the trainer's `{ epoch, lrFirst, lrLast, loss, cls, con, imagesPerSecond, val: { top1, many, ... } }`
 * and the flat `{ epoch, lr, train_loss, cls_loss, con_loss, val_top1, images_per_s }`.
 */
import { existsSync, readFileSync } from 'node:fs';

export type LogRecord = Record<string, unknown>;

/**
 * Read a JSONL file. A final line that is not valid JSON (an epoch being appended right now) is
 * skipped and reported in `skipped`; a bad line anywhere else throws naming the file and line.
 */
export function readTrainingLog(path: string): { records: LogRecord[]; skipped: number[] } {
  if (!existsSync(path))
    throw new Error(`readTrainingLog: no log at '${path}' (expected a JSONL file written by rescom train)`);
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: LogRecord[] = [];
  const skipped: number[] = [];
  const last = lines.map((l) => l.trim()).reduce((acc, l, i) => (l ? i : acc), -1);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      records.push(value as LogRecord);
    } catch {
      if (i === last) skipped.push(i + 1);
      else throw new Error(`readTrainingLog: ${path} line ${i + 1} is not a JSON object: ${line.slice(0, 80)}`);
    }
  });
  return { records, skipped };
}

export interface TrainingSeries {
  epoch: number[];
  /** Each series has one entry per epoch (null where the record lacks it). */
  lr: (number | null)[];
  loss: (number | null)[];
  cls: (number | null)[];
  con: (number | null)[];
  valTop1: (number | null)[];
  valMany: (number | null)[];
  valMedium: (number | null)[];
  valFew: (number | null)[];
  imagesPerSecond: (number | null)[];
}

function pick(record: LogRecord, keys: string[]): number | null {
  for (const key of keys) {
    let value: unknown = record;
    for (const part of key.split('.'))
      value = value && typeof value === 'object' ? (value as LogRecord)[part] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

export function trainingSeries(records: LogRecord[]): TrainingSeries {
  const epochs = records.map((r, i) => pick(r, ['epoch']) ?? i + 1);
  const series = (keys: string[]) => records.map((r) => pick(r, keys));
  return {
    epoch: epochs,
    lr: series(['lr', 'lrLast', 'lrFirst']),
    loss: series(['train_loss', 'loss']),
    cls: series(['cls_loss', 'cls']),
    con: series(['con_loss', 'con']),
    valTop1: series(['val_top1', 'val.top1']),
    valMany: series(['val_many', 'val.many']),
    valMedium: series(['val_medium', 'val.medium']),
    valFew: series(['val_few', 'val.few']),
    imagesPerSecond: series(['images_per_s', 'imagesPerSecond']),
  };
}
