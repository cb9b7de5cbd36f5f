/**
 * What the grader writes: a CSV gradebook (one row per student: one column per exercise, one column
 * per written answer for the teacher's mark, the flags), one feedback file per student (Markdown:
 * points, every hidden case, the visible checks, the written answers, the flags) and the written
 * answers of everyone, question by question, for manual marking. Re-grading into the same folder
 * keeps the marks a teacher already typed into the gradebook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionGrade } from './grader';

/** Terminal report for one submission. */
export function formatSubmissionGrade(grade: SubmissionGrade): string {
  const lines = [`${grade.file}  (exercise: ${path.basename(grade.released)}, seed ${grade.seed})`];
  for (const e of grade.exercises) {
    const failed = e.cases.filter((c) => !c.passed);
    lines.push(
      `  ${e.earned === e.points ? 'PASS' : 'FAIL'}  ${e.title}: ${e.earned}/${e.points} points, ${e.cases.length - failed.length}/${e.cases.length} hidden cases`,
    );
    for (const c of failed.slice(0, 3)) lines.push(`          ${c.label}: ${c.reason}`);
    if (failed.length > 3) lines.push(`          ... ${failed.length - 3} more`);
  }
  if (grade.visibleChecks) {
    const passed = grade.visibleChecks.filter((c) => c.passed).length;
    lines.push(`  visible checks (feedback, not scored): ${passed}/${grade.visibleChecks.length} pass`);
  }
  if (grade.written.length > 0)
    lines.push(
      `  written answers for manual marking: ${grade.written.filter((w) => w.answer).length}/${grade.written.length} given`,
    );
  for (const flag of grade.flags) lines.push(`  FLAG: ${flag}`);
  for (const note of grade.notes) lines.push(`  note: ${note}`);
  lines.push(`score ${grade.earned}/${grade.possible} points (${percent(grade)}%)`);
  return lines.join('\n');
}

function percent(grade: SubmissionGrade): number {
  return grade.possible === 0 ? 0 : Math.round((1000 * grade.earned) / grade.possible) / 10;
}

/** One CSV field (RFC 4180 quoting). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The gradebook column where the teacher types the mark of a written answer. */
export function markColumn(cell: string): string {
  return `mark: ${cell}`;
}

/**
 * The gradebook: student, file, one column per exercise, total, possible, percent, written answers
 * given, one `mark: <cell>` column per written answer (empty, or the mark kept from `marks`), flags,
 * seed, notes. `marks`: student -> column -> mark, e.g. from `readMarks` of the previous gradebook.
 */
export function gradebookCsv(grades: SubmissionGrade[], marks: Map<string, Map<string, string>> = new Map()): string {
  if (grades.length === 0) throw new Error('gradebookCsv: grades must not be empty');
  const columns = grades[0].exercises.map((e) => `${e.title} (${e.points})`);
  const markColumns = grades[0].written.map((w) => markColumn(w.cell));
  const header = [
    'student',
    'file',
    ...columns,
    'total',
    'possible',
    'percent',
    'written answers',
    ...markColumns,
    'flags',
    'seed',
    'notes',
  ];
  const rows = grades.map((g) => [
    g.student,
    path.basename(g.file),
    ...g.exercises.map((e) => e.earned),
    g.earned,
    g.possible,
    percent(g),
    `${g.written.filter((w) => w.answer).length}/${g.written.length}`,
    ...markColumns.map((c) => marks.get(g.student)?.get(c) ?? ''),
    g.flags.join('; '),
    g.seed,
    g.notes.join('; '),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

/** Parse CSV text (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The marks typed into an existing gradebook (student -> `mark: ...` column -> mark); empty when none. */
export function readMarks(file: string): Map<string, Map<string, string>> {
  const marks = new Map<string, Map<string, string>>();
  if (!fs.existsSync(file)) return marks;
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  if (!header) return marks;
  const columns = header.map((name, i) => [name, i] as const).filter(([name]) => name.startsWith('mark: '));
  const student = header.indexOf('student');
  if (student < 0) return marks;
  for (const row of rows) {
    const kept = new Map(columns.filter(([, i]) => (row[i] ?? '') !== '').map(([name, i]) => [name, row[i]]));
    if (kept.size > 0) marks.set(row[student], kept);
  }
  return marks;
}

/** The feedback a student reads. */
export function feedbackMarkdown(grade: SubmissionGrade): string {
  const out = [
    `# Feedback: ${grade.student}`,
    '',
    `Exercise \`${path.basename(grade.released)}\`, graded with hidden randomised cases (seed ${grade.seed}).`,
    `**Score: ${grade.earned} / ${grade.possible} points (${percent(grade)}%).** Written answers are marked by hand.`,
    '',
    '| exercise | points | hidden cases passed |',
    '|---|---|---|',
    ...grade.exercises.map(
      (e) =>
        `| ${e.title} | ${e.earned} / ${e.points} | ${e.cases.filter((c) => c.passed).length} / ${e.cases.length} |`,
    ),
    '',
  ];
  for (const e of grade.exercises) {
    out.push(`## ${e.title}`, '');
    for (const c of e.cases)
      out.push(`- ${c.passed ? 'pass' : '**fail**'}: ${c.label}${c.passed ? '' : ` (${c.reason})`}`);
    out.push('');
  }
  if (grade.visibleChecks) {
    out.push('## Checks in the notebook (feedback, not scored)', '');
    for (const c of grade.visibleChecks)
      out.push(`- ${c.passed ? 'pass' : '**fail**'}: ${c.name}${c.passed ? '' : ` (${c.reason})`}`);
    out.push('');
  }
  if (grade.written.length > 0) {
    out.push('## Written answers (marked by hand)', '');
    for (const w of grade.written)
      out.push(`### ${w.cell}`, '', quote(w.question), '', w.answer || '_(no answer)_', '');
  }
  if (grade.flags.length > 0) out.push('## Flags', '', ...grade.flags.map((f) => `- ${f}`), '');
  if (grade.notes.length > 0) out.push('## Notes', '', ...grade.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/** Everyone's written answers, grouped by question, for the person marking them. */
export function writtenAnswersMarkdown(grades: SubmissionGrade[]): string {
  const cells = grades[0]?.written ?? [];
  const out = ['# Written answers for manual marking', ''];
  if (cells.length === 0) out.push('_This exercise has no written answers._', '');
  cells.forEach((w, i) => {
    out.push(`## ${w.cell}`, '', quote(w.question), '');
    for (const g of grades) out.push(`### ${g.student}`, '', g.written[i]?.answer || '_(no answer)_', '');
  });
  return out.join('\n');
}

function quote(text: string): string {
  return text
    ? text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')
    : '> (no prompt)';
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/** Write `gradebook.csv`, `feedback/<student>.md` and `written-answers.md` under `out`; returns the paths. */
export function writeGradeFiles(out: string, grades: SubmissionGrade[]): string[] {
  const written: string[] = [];
  const put = (file: string, text: string) => {
    writeAtomic(file, text);
    written.push(file);
  };
  const gradebook = path.join(out, 'gradebook.csv');
  put(gradebook, gradebookCsv(grades, readMarks(gradebook)));
  for (const g of grades) put(path.join(out, 'feedback', `${g.student}.md`), feedbackMarkdown(g));
  put(path.join(out, 'written-answers.md'), writtenAnswersMarkdown(grades));
  return written;
}
