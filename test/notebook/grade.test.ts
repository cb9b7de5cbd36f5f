import test from 'ava';
import {
  checkHash,
  declaredCheckNames,
  formatGradeReport,
  gradeExecutedNotebook,
  type Notebook,
  type NotebookCell,
} from '../../src/notebook';

function checkCell(id: string, source: string, stdout: string, stderr = '', hash?: string): NotebookCell {
  const outputs: NotebookCell['outputs'] = [];
  if (stdout) outputs.push({ output_type: 'stream', name: 'stdout', text: stdout });
  if (stderr) outputs.push({ output_type: 'stream', name: 'stderr', text: stderr });
  return {
    cell_type: 'code',
    id,
    metadata: { tags: ['check'], ...(hash ? { rescom: { checkHash: hash } } : {}) },
    source,
    outputs,
    execution_count: null,
  };
}

test('declaredCheckNames reads literal check names in order', (t) => {
  t.deepEqual(declaredCheckNames(`await check('a b', f);\nawait check("it's", g);\nawait check(\`t\`, h)`), [
    'a b',
    "it's",
    't',
  ]);
  t.deepEqual(declaredCheckNames('const x = recheck(1);'), []);
});

test('gradeExecutedNotebook scores printed lines and fails checks that never printed, with the cell error', (t) => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      // a non-check cell printing a PASS line must not count
      {
        cell_type: 'code',
        id: 'cheat',
        metadata: {},
        source: "console.log('CHECK PASS: x')",
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'CHECK PASS: x\n' }],
      },
      checkCell(
        'c1',
        "await check('one', f);\nawait check('two', g);",
        'CHECK PASS: one\nCHECK FAIL: two -- off by 1\n',
      ),
      checkCell(
        'c2',
        "await check('three', h);",
        '',
        'evalmachine.<anonymous>:2\nthrow x\n\nError: TODO: write it\n    at foo\n',
      ),
      checkCell('c3', "await check('four', k);", '', "1:7 - Cannot find name 'k'.\n"),
      checkCell(
        'c4',
        'for (const n of [1, 2]) await check(`loop ${n}`, () => true);',
        'CHECK PASS: loop 1\nCHECK PASS: loop 2\n',
      ),
    ],
  };
  const report = gradeExecutedNotebook(nb);
  t.deepEqual(
    report.checks.map((c) => [c.name, c.cellId, c.passed, c.reason]),
    [
      ['one', 'c1', true, null],
      ['two', 'c1', false, 'off by 1'],
      ['three', 'c2', false, 'Error: TODO: write it'],
      ['four', 'c3', false, "1:7 - Cannot find name 'k'."],
      ['loop 1', 'c4', true, null],
      ['loop 2', 'c4', true, null],
    ],
  );
  t.is(report.passed, 3);
  t.is(report.total, 6);
  t.is(report.score, 0.5);
  t.regex(
    formatGradeReport(report, 'ex.ipynb'),
    /^ex\.ipynb\n {2}PASS {2}one\n {2}FAIL {2}two: off by 1\n[^]*score 3\/6 \(50%\)$/,
  );
});

test('an edited check cell fails even when it prints PASS', (t) => {
  const original = "await check('one', () => answer === 42);";
  const edited = "await check('one', () => true);";
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [checkCell('c1', edited, 'CHECK PASS: one\n', '', checkHash(original))],
  };
  const report = gradeExecutedNotebook(nb);
  t.is(report.passed, 0);
  t.regex(report.checks[0].reason ?? '', /check cell was edited/);
  const intact: Notebook = { ...nb, cells: [checkCell('c1', original, 'CHECK PASS: one\n', '', checkHash(original))] };
  t.is(gradeExecutedNotebook(intact).passed, 1);
});

test('a notebook without check cells scores 0 of 0', (t) => {
  const report = gradeExecutedNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  t.deepEqual([report.passed, report.total, report.score], [0, 0, 0]);
});
