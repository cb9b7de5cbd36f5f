// The gradebook a teacher uses: a column per exercise, one mark column per written answer (kept
// when grading again into the same folder), the flags; CSV that round-trips.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SubmissionGrade } from '../../src/notebook/grader';
import { csvField, gradebookCsv, parseCsv, readMarks, writeGradeFiles } from '../../src/notebook/gradebook';

function grade(student: string, earned: number, flags: string[] = []): SubmissionGrade {
  return {
    student,
    file: `/class/${student}.ipynb`,
    released: '/repo/notebooks/01-class-imbalance.exercise.ipynb',
    seed: 7,
    exercises: [
      {
        cell: 'ex-counts',
        title: 'long-tailed counts',
        points: 2,
        earned,
        cases: [],
        found: 'cell id',
        forbiddenCalls: [],
        timedOut: false,
        error: null,
      },
    ],
    earned,
    possible: 2,
    visibleChecks: null,
    written: [
      { cell: 'written-answer', question: 'Why?', answer: student === 'ada' ? 'Because, "quoted", and\nnew line' : '' },
    ],
    flags,
    notes: [],
  };
}

test('columns: exercises, total, written, one mark column per written answer, flags; CSV round-trips', (t) => {
  const csv = gradebookCsv([
    grade('ada', 2),
    grade('bob', 0, ['forbidden call rc.data.longTailedClassCounts (long-tailed counts)', 'time-out (notebook run)']),
  ]);
  const [header, ada, bob] = parseCsv(csv);
  t.deepEqual(header, [
    'student',
    'file',
    'long-tailed counts (2)',
    'total',
    'possible',
    'percent',
    'written answers',
    'mark: written-answer',
    'flags',
    'seed',
    'notes',
  ]);
  t.deepEqual(ada.slice(0, 9), ['ada', 'ada.ipynb', '2', '2', '2', '100', '1/1', '', '']);
  t.is(bob[8], 'forbidden call rc.data.longTailedClassCounts (long-tailed counts); time-out (notebook run)');
  t.deepEqual(parseCsv(`${csvField('a,"b"\nc')},d\n`), [['a,"b"\nc', 'd']]);
});

test("re-grading into the same folder keeps the teacher's written-answer marks", (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-gradebook-'));
  try {
    writeGradeFiles(out, [grade('ada', 2), grade('bob', 1)]);
    const file = path.join(out, 'gradebook.csv');
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    const mark = rows[0].indexOf('mark: written-answer');
    rows[1][mark] = '3/4, good';
    fs.writeFileSync(file, `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`);
    t.is(readMarks(file).get('ada')?.get('mark: written-answer'), '3/4, good');
    writeGradeFiles(out, [grade('ada', 1), grade('bob', 2)]);
    const again = parseCsv(fs.readFileSync(file, 'utf8'));
    t.is(again[1][mark], '3/4, good', 'the mark survives');
    t.is(again[1][3], '1', 'the new score is written');
    t.is(again[2][mark], '');
    t.true(fs.existsSync(path.join(out, 'feedback', 'bob.md')));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
