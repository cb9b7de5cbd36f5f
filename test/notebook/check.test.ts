import test from 'ava';
import { assertClose, check, CHECK_LINE, runCheck } from '../../src/notebook';

test('check prints one PASS line for a passing test and one FAIL line with the reason otherwise', async (t) => {
  const lines: string[] = [];
  const print = (l: string) => lines.push(l);
  t.true((await runCheck('sync pass', () => 1 + 1 === 2, { print })).passed);
  t.true((await runCheck('async pass', async () => undefined, { print })).passed);
  t.false((await runCheck('false', () => false, { print })).passed);
  const thrown = await runCheck(
    'throws',
    () => {
      throw new Error('TODO: write it\nsecond line');
    },
    { print },
  );
  t.is(thrown.reason, 'TODO: write it');
  t.false((await runCheck('rejects', () => Promise.reject(new Error('no')), { print })).passed);
  t.deepEqual(lines, [
    'CHECK PASS: sync pass',
    'CHECK PASS: async pass',
    'CHECK FAIL: false -- returned false',
    'CHECK FAIL: throws -- TODO: write it',
    'CHECK FAIL: rejects -- no',
  ]);
  // the grader's pattern reads back what check writes
  t.deepEqual(CHECK_LINE.exec(lines[3])?.slice(1), ['FAIL', 'throws', 'TODO: write it']);
  t.deepEqual(CHECK_LINE.exec(lines[0])?.slice(1), ['PASS', 'sync pass', undefined]);
});

test('check prints the same line and returns nothing (tslab would display a returned object)', async (t) => {
  const lines: string[] = [];
  t.is(await check('quiet', () => true, { print: (l) => lines.push(l) }), undefined);
  t.deepEqual(lines, ['CHECK PASS: quiet']);
});

test('check refuses names the grader could not read back', async (t) => {
  await t.throwsAsync(
    check('', () => true),
    { message: /runCheck: name must be a one-line non-empty string/ },
  );
  await t.throwsAsync(
    check('a\nb', () => true),
    { message: /one-line/ },
  );
  await t.throwsAsync(
    check('a -- b', () => true),
    { message: /without ' -- '/ },
  );
});

test('assertClose compares nested arrays within atol + rtol*|expected| and names the first difference', (t) => {
  t.notThrows(() =>
    assertClose(
      [
        [1, 2],
        [3, 4],
      ],
      [1, 2, 3, 4 + 1e-7],
    ),
  );
  t.notThrows(() => assertClose(new Float32Array([1000.001]), [1000], { rtol: 1e-5, atol: 0 }));
  t.throws(() => assertClose([1, 2.1], [1, 2], { what: 'weights' }), {
    message: /weights: element 1 is 2\.1, expected 2/,
  });
  t.throws(() => assertClose([1], [1, 2]), { message: /expected 2 numbers; got 1/ });
  t.throws(() => assertClose([Number.NaN], [0]), { message: /element 0 is NaN/ });
});

test("a check name with an escaped quote (simulation\\'s) is one check, read back as it printed", async (t) => {
  const { declaredCheckNames, gradeExecutedNotebook, unescapeJs } = await import('../../src/notebook');
  const source = "await check('absent fraction matches the simulation\\'s exact expectation', () => true);";
  t.deepEqual(declaredCheckNames(source), ["absent fraction matches the simulation's exact expectation"]);
  t.is(unescapeJs('tab\\there \\u00e9 \\x41 \\\\ \\"q\\"'), 'tab\there é A \\ "q"');
  const lines: string[] = [];
  await runCheck("absent fraction matches the simulation's exact expectation", () => true, {
    print: (l) => lines.push(l),
  });
  const report = gradeExecutedNotebook({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        cell_type: 'code',
        id: 'check-absent',
        metadata: { tags: ['check'] },
        source,
        execution_count: 1,
        outputs: [{ output_type: 'stream', name: 'stdout', text: `${lines[0]}\n` }],
      },
    ],
  });
  t.is(report.total, 1, 'counted once, not twice');
  t.is(report.passed, 1, 'and it passed (not "did not run")');
});
