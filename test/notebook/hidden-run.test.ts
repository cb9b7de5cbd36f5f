// The plumbing between the grader and a student's process: the one-line reason a crash gets, and
// the JSON lines the child writes on fd 3.
import test from 'ava';
import { lastErrorLine, parseChildEvents } from '../../src/notebook/hidden-run';

test('lastErrorLine: the error itself, not "Traceback (most recent call last):" or a stack frame', (t) => {
  const python = [
    'Traceback (most recent call last):',
    '  File "<string>", line 3, in <module>',
    '    x = 1 / 0',
    '        ~~^~~',
    'ZeroDivisionError: division by zero',
    '',
  ].join('\n');
  t.is(lastErrorLine(python), 'ZeroDivisionError: division by zero');
  const node = [
    '/in/job.json:1',
    'RangeError: Maximum call stack size exceeded',
    '    at f (cell a:1:20)',
    '    at f (cell a:1:20)',
  ].join('\n');
  t.is(lastErrorLine(node), 'RangeError: Maximum call stack size exceeded');
  t.is(lastErrorLine('Traceback (most recent call last):\n'), '');
  t.is(lastErrorLine(''), '');
});

test('parseChildEvents: forbidden calls and refusals as they came, the result last; garbage ignored', (t) => {
  const lines = [
    '{"refused":"fs"}',
    'not json at all',
    '{"forbidden":"rc.losses.logPrior"}',
    '{"forbidden":"rc.losses.logPrior"}',
    '{"result":{"cellErrors":{"a":"boom"},"answers":[{"value":1},{"error":"x"}]}}',
    '{"forbidden": 42}',
  ];
  const events = parseChildEvents(Buffer.from(lines.join('\n')));
  t.deepEqual(events.refused, ['fs']);
  t.deepEqual(events.forbiddenCalls, ['rc.losses.logPrior']);
  t.deepEqual(events.result, { cellErrors: { a: 'boom' }, answers: [{ value: 1 }, { error: 'x' }] });
  t.is(parseChildEvents(Buffer.from('')).result, null);
});
