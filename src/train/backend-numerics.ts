/**
 * Whether a run can resume bit-identically on the backend this process uses. A run stores the
 * backend line it trained on (`selectBackend`'s line, e.g. `backend=wasm simd=yes threads=2
 * training-kernels=... onednn=2.6.3`) and, where oneDNN ran, the CPU model (oneDNN picks its
 * kernels for the instruction set at run time: AVX2 and AVX-512 accumulate in different orders).
 * At resume the fields that decide the numbers are compared; a difference is refused unless the
 * user accepts non-identical numerics (`rescom train --allow-backend-change`), and then the log
 * records it (`backendChange` on the next epoch's line).
 *
 * The compared fields are `NUMERICS_FIELDS`: engine, SIMD, threads, the training kernels, oneDNN
 * (its version when used; off and absent are the same numerics) and the adapter of GPU backends.
 * A field proven not to change the numbers (say, a thread count whose kernels split work without
 * changing any sum's order, tested bit for bit) can be dropped from this list in one place.
 */
import * as os from 'node:os';

/** The numbers a run trained with: its backend line and, with oneDNN, the CPU. */
export interface NumericsStamp {
  /** `BackendInfo.line`, or null when no backend was selected (library use without `selectBackend`). */
  line: string | null;
  /** CPU model name (os.cpus()), recorded so that oneDNN runs compare it. */
  cpu: string | null;
}

/** Fields of the backend line that decide the numbers. */
export const NUMERICS_FIELDS = ['backend', 'simd', 'threads', 'training-kernels', 'onednn', 'adapter'] as const;

/** The stamp of this process: the current backend line and CPU model. */
export function currentNumericsStamp(line: string | null): NumericsStamp {
  return { line, cpu: os.cpus()[0]?.model?.trim() ?? null };
}

/** `key=value` and `key="quoted value"` fields of a backend line. */
export function parseBackendLine(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of line.matchAll(/([\w-]+)=("[^"]*"|\S+)/g)) fields[m[1]] = m[2];
  return fields;
}

/** oneDNN as it affects the numbers: its version when used, else 'none' (a quoted reason). */
function onednnNumerics(value: string | undefined): string {
  return value === undefined || value.startsWith('"') ? 'none' : value;
}

/**
 * The differences between the stamp a run trained with and the current one that change the
 * numbers, as `threads 2 -> 1`; [] when a resume is bit-identical (or when either line is unknown).
 */
export function numericsDifferences(saved: NumericsStamp, now: NumericsStamp): string[] {
  if (!saved.line || !now.line) return [];
  const a = parseBackendLine(saved.line);
  const b = parseBackendLine(now.line);
  const differences: string[] = [];
  for (const field of NUMERICS_FIELDS) {
    const from = field === 'onednn' ? onednnNumerics(a[field]) : (a[field] ?? 'none');
    const to = field === 'onednn' ? onednnNumerics(b[field]) : (b[field] ?? 'none');
    if (from !== to) differences.push(`${field} ${from} -> ${to}`);
  }
  const onednn = onednnNumerics(a.onednn) !== 'none' && onednnNumerics(b.onednn) !== 'none';
  if (onednn && saved.cpu && now.cpu && saved.cpu !== now.cpu)
    differences.push(`cpu (oneDNN picks kernels per CPU) '${saved.cpu}' -> '${now.cpu}'`);
  return differences;
}
