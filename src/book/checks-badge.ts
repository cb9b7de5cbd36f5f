/**
 * The claims and checks a cell printed (`CLAIM OK: …` from src/notebook/claim.ts, `CHECK PASS/FAIL: …`
 * from src/notebook/check.ts) become one collapsed badge under the cell instead of lines in its
 * output: "✓ 4 checks passed", opening to the list. The rest of the printed text stays as it was.
 */
import { CHECK_LINE } from '../notebook/check';
import { escapeHtml } from './markdown';

const CLAIM_LINE = /^CLAIM OK: (.*)$/;

export interface SplitChecks {
  /** The text without the check lines. */
  text: string;
  /** One entry per check line, in order. */
  checks: { passed: boolean; text: string }[];
}

/** Separates the check lines of a cell's printed text from the rest. */
export function splitChecks(text: string): SplitChecks {
  const checks: SplitChecks['checks'] = [];
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const claim = CLAIM_LINE.exec(line);
    const check = CHECK_LINE.exec(line);
    if (claim) checks.push({ passed: true, text: claim[1] });
    else if (check) checks.push({ passed: check[1] === 'PASS', text: check[3] ? `${check[2]}: ${check[3]}` : check[2] });
    else kept.push(line);
  }
  // Check lines sit between blank lines in tslab's output: collapse what they leave behind.
  return { text: kept.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, ''), checks };
}

/** The collapsed badge of a cell's checks ('' for none). */
export function checksBadge(checks: SplitChecks['checks']): string {
  if (checks.length === 0) return '';
  const failed = checks.filter((c) => !c.passed).length;
  const summary = failed
    ? `✗ ${failed} of ${checks.length} checks failed`
    : `✓ ${checks.length} check${checks.length === 1 ? '' : 's'} passed when this chapter ran`;
  const items = checks.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${c.passed ? '✓' : '✗'} ${escapeHtml(c.text)}</li>`).join('');
  return `<details class="checks${failed ? ' failed' : ''}"><summary>${summary}</summary><ul>${items}</ul></details>`;
}
