/**
 * How an exercise's hidden cases become points: each answer compared with the library's
 * (`compareAnswer`), points shared out by the fraction of cases passed; edge cases (`HiddenCase.edge`:
 * prior 0, IF 1, one class, where a constant answer can be right) count only when the answer also
 * passes an ordinary case, so a constant or half-written answer earns nothing; a forbidden library
 * call (`traps.ts`) makes it 0.
 */
import type { HiddenAnswer } from './hidden-run';
import { compareAnswer, type HiddenCase } from './hidden-tests';

export interface CaseResult {
  label: string;
  passed: boolean;
  reason: string | null;
}

export interface CaseScore {
  cases: CaseResult[];
  earned: number;
  /** True when some cases passed but only edge cases (so no points). */
  edgeOnly: boolean;
}

/**
 * Score one exercise. `answers[k]` answers `cases[k]` (missing when the run gave none; `error` then
 * says why). Points are rounded to hundredths.
 */
export function scoreCases(options: {
  cases: HiddenCase[];
  answers: HiddenAnswer[];
  points: number;
  error?: string | null;
  forbiddenCalls?: string[];
}): CaseScore {
  const { cases, answers, points } = options;
  const results: CaseResult[] = cases.map((c, k) => {
    const answer = answers[k];
    if (!answer) return { label: c.label, passed: false, reason: options.error ?? 'no answer' };
    if ('error' in answer) return { label: c.label, passed: false, reason: answer.error };
    const reason = compareAnswer(answer.value, c.expected, c.tolerance);
    return { label: c.label, passed: reason === null, reason };
  });
  const passed = results.filter((r) => r.passed).length;
  const ordinary = results.some((r, k) => r.passed && !cases[k].edge);
  const share = ordinary ? Math.round((100 * points * passed) / Math.max(1, results.length)) / 100 : 0;
  return {
    cases: results,
    earned: (options.forbiddenCalls?.length ?? 0) > 0 ? 0 : share,
    edgeOnly: !ordinary && passed > 0,
  };
}
