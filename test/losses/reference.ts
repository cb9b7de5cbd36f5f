/**
 * Explicit-loop references (plain float64 numbers, no tfjs) for the tests: written straight from
 * the formulas in docs/paper-notes.md, one anchor and one pair at a time.
 */

export const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);

export function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

/** -log softmax(row)[y]. */
export function nll(row: number[], y: number): number {
  return logSumExp(row) - row[y];
}

export function refEffectiveWeights(counts: number[], beta: number): number[] {
  if (beta === 0) return counts.map(() => 1);
  const e = counts.map((n) => (1 - Math.pow(beta, n)) / (1 - beta));
  const mean = e.reduce((a, b) => a + b, 0) / e.length;
  return e.map((v) => mean / v);
}

export function refBalancedSoftmax(logits: number[][], labels: number[], counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const shift = counts.map((n) => Math.log(n / total + 1e-9));
  return (
    logits.reduce(
      (s, row, i) =>
        s +
        nll(
          row.map((v, c) => v + shift[c]),
          labels[i],
        ),
      0,
    ) / logits.length
  );
}

/** One anchor's candidate set: similarity and whether it is a positive. */
export interface RefCandidate {
  sim: number;
  positive: boolean;
}

/** SupCon per-anchor loss from its candidate list (0 without positives). */
export function refAnchorLoss(cands: RefCandidate[], temperature: number): number {
  const numPos = cands.filter((c) => c.positive).length;
  if (numPos === 0) return 0;
  const lse = logSumExp(cands.map((c) => c.sim / temperature));
  return cands.filter((c) => c.positive).reduce((s, c) => s + (lse - c.sim / temperature), 0) / numPos;
}

export interface RefCase {
  features: number[][];
  logits: number[][];
  labels: number[];
  queue: number[][];
  queue_ptr?: number[];
  class_counts: number[];
  temperature: number;
  con_weight: number;
  effective_num_beta: number;
  select_num_pos: number;
  select_num_neg: number;
}

/** Candidate sets of every anchor: other batch rows, mined queue positives, mined queue negatives. */
export function refCandidates(c: RefCase): RefCandidate[][] {
  const numClasses = c.class_counts.length;
  const perClass = c.queue.length / numClasses;
  return c.features.map((f, i) => {
    const cands: RefCandidate[] = [];
    c.features.forEach((g, j) => {
      if (j !== i) cands.push({ sim: dot(f, g), positive: c.labels[j] === c.labels[i] });
    });
    const own: number[] = [];
    const other: number[] = [];
    c.queue.forEach((key, m) => (Math.floor(m / perClass) === c.labels[i] ? own : other).push(dot(f, key)));
    own.sort((a, b) => a - b);
    other.sort((a, b) => b - a);
    own.slice(0, c.select_num_pos).forEach((sim) => cands.push({ sim, positive: true }));
    other.slice(0, c.select_num_neg).forEach((sim) => cands.push({ sim, positive: false }));
    return cands;
  });
}

export interface RefResult {
  cls_loss: number;
  con_loss: number;
  loss: number;
  queue_after: number[][];
  queue_ptr_after: number[];
}

/** The whole parity case, loop by loop. */
export function refResCom(c: RefCase): RefResult {
  const numClasses = c.class_counts.length;
  const perClass = c.queue.length / numClasses;
  const cls = refBalancedSoftmax(c.logits, c.labels, c.class_counts);
  const w = refEffectiveWeights(c.class_counts, c.effective_num_beta);
  const cands = refCandidates(c);
  const con = cands.reduce((s, cs, i) => s + w[c.labels[i]] * refAnchorLoss(cs, c.temperature), 0) / c.features.length;
  const queue = c.queue.map((row) => row.slice());
  const ptr = c.queue_ptr ? c.queue_ptr.slice() : new Array<number>(numClasses).fill(0);
  for (let i = 0; i < c.features.length / 2; i++) {
    const y = c.labels[i];
    queue[y * perClass + ptr[y]] = c.features[i].slice();
    ptr[y] = (ptr[y] + 1) % perClass;
  }
  return { cls_loss: cls, con_loss: con, loss: cls + c.con_weight * con, queue_after: queue, queue_ptr_after: ptr };
}

/** |a - b| <= tol * max(|b|, floor). */
export function closeRel(a: number, b: number, tol = 1e-5, floor = 1e-6): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), floor);
}

/** Seeded helpers for random test inputs (plain numbers). */
export function unitRows(rng: { normal(): number }, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => rng.normal());
    const norm = Math.sqrt(dot(v, v));
    return v.map((x) => Math.fround(x / norm));
  });
}
