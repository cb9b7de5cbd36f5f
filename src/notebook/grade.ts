/**
 * Grading an exercise notebook: execute it (going on after failing cells), then read the
 * `CHECK PASS/FAIL` lines that the cells tagged `check` printed. A check whose line never appears
 * (its cell failed, or an earlier failure left a name undefined) fails with the cell's error.
 * `rescom grade` (grader.ts) uses this for the visible checks of the released exercise run on the
 * student's answers, as feedback; its points come from hidden tests.
 */
import { CHECK_LINE } from './check';
import { checkHash, CHECK_TAG } from './exercise';
import { executeNotebook, type ExecuteOptions } from './execute';
import type { Notebook, NotebookCell } from './format';
import { hasTag, outputText, sourceText } from './format';

export interface CheckResult {
  name: string;
  cellId: string;
  passed: boolean;
  /** Why it failed; null on a pass. */
  reason: string | null;
}

export interface GradeReport {
  checks: CheckResult[];
  passed: number;
  total: number;
  /** passed / total in [0, 1]; 0 when there are no checks. */
  score: number;
}

/** Names passed to `check('...')` as literals in a cell's source, in order. */
export function declaredCheckNames(source: string): string[] {
  const names: string[] = [];
  const call = /\bcheck\(\s*(['"`])((?:\\.|(?!\1).)+)\1/g;
  // A template with substitutions is named only at run time; the printed lines name it.
  for (let m = call.exec(source); m; m = call.exec(source)) if (!m[2].includes('${')) names.push(unescapeJs(m[2]));
  return names;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The value of a JavaScript string literal's body (`simulation\'s` -> `simulation's`), as `check` prints it. */
export function unescapeJs(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.replace(/^[ux]\{?|\}$/g, ''), 16));
    return ESCAPES[e] ?? e;
  });
}

/** Grade an already executed notebook (pure: no Jupyter needed). */
export function gradeExecutedNotebook(nb: Notebook): GradeReport {
  const checks: CheckResult[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code' || !hasTag(cell, CHECK_TAG)) continue;
    checks.push(...gradeCheckCell(cell));
  }
  const passed = checks.filter((c) => c.passed).length;
  return { checks, passed, total: checks.length, score: checks.length === 0 ? 0 : passed / checks.length };
}

function gradeCheckCell(cell: NotebookCell): CheckResult[] {
  const source = sourceText(cell);
  const expected = declaredCheckNames(source);
  const names = expected.length > 0 ? [...expected] : [`cell ${cell.id}`];
  const printed = new Map<string, { passed: boolean; reason: string | null }>();
  let stderr = '';
  for (const output of cell.outputs ?? []) {
    if (output.output_type === 'error') stderr += `${output.ename ?? 'Error'}: ${output.evalue ?? ''}\n`;
    else if (output.name === 'stderr') stderr += outputText(output);
    else {
      for (const line of outputText(output).split('\n')) {
        const m = CHECK_LINE.exec(line.trim());
        if (m) printed.set(m[2], { passed: m[1] === 'PASS', reason: m[3] ?? null });
      }
    }
  }
  // Checks named at run time (template strings, loops) count too.
  for (const name of printed.keys()) if (!names.includes(name)) names.push(name);
  if (expected.length === 0 && printed.size > 0) names.shift();

  const storedHash = (cell.metadata.rescom as { checkHash?: string } | undefined)?.checkHash;
  const edited = storedHash !== undefined && storedHash !== checkHash(source);
  return names.map((name) => {
    if (edited)
      return {
        name,
        cellId: cell.id,
        passed: false,
        reason: 'the check cell was edited; restore it from the exercise',
      };
    const line = printed.get(name);
    if (line)
      return { name, cellId: cell.id, passed: line.passed, reason: line.passed ? null : (line.reason ?? 'failed') };
    return { name, cellId: cell.id, passed: false, reason: summariseError(stderr) ?? 'did not run' };
  });
}

/** The line of a tslab error output that says what went wrong (`Error: TODO ...`, a type error). */
function summariseError(stderr: string): string | null {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  const meaningful = lines.find((l) => /^(\w*Error|\d+:\d+ - )/.test(l));
  // Else the last line that is neither a stack frame nor Python's bare "Traceback" header.
  const last = lines.filter((l) => !/^at /.test(l) && !/^Traceback \(most recent call last\)/.test(l)).pop();
  return (meaningful ?? last ?? lines[0]).slice(0, 200);
}

export interface GradeOptions extends Omit<ExecuteOptions, 'input' | 'allowErrors'> {
  file: string;
}

/** Execute `file` (errors allowed) and grade its checks. */
export async function gradeNotebook(options: GradeOptions): Promise<GradeReport & { seconds: number }> {
  const { file, ...execute } = options;
  const result = await executeNotebook({ ...execute, input: file, allowErrors: true });
  return { ...gradeExecutedNotebook(result.notebook), seconds: result.seconds };
}

/** The report a student reads: one line per check, then the score. */
export function formatGradeReport(report: GradeReport, file = 'notebook'): string {
  const lines = report.checks.map((c) => (c.passed ? `  PASS  ${c.name}` : `  FAIL  ${c.name}: ${c.reason}`));
  const percent = report.total === 0 ? 0 : Math.round(100 * report.score);
  return [`${file}`, ...lines, `score ${report.passed}/${report.total} (${percent}%)`].join('\n');
}
