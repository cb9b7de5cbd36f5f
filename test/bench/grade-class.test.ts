// bench:grade's pieces that need no grading: the class of 30 and the process census.
import test from 'ava';
import { spawn } from 'node:child_process';
import { meetsExpectation, processCensus } from '../../src/bench/grade-class/census';
import { classSubmissions } from '../../src/bench/grade-class/submissions';

test('the class: 30 distinct students of every kind, each with what it must get', (t) => {
  const students = classSubmissions({ classmate: '/tmp/x.ipynb', repoLib: '/tmp/lib' });
  t.is(students.length, 30);
  t.is(new Set(students.map((s) => s.student)).size, 30);
  const kinds = new Map<string, number>();
  for (const s of students) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  t.deepEqual(Object.fromEntries(kinds), { honest: 8, partial: 2, wrong: 6, library: 4, malicious: 5, loop: 3, broken: 2 });
  t.true(meetsExpectation('full', 8, 8));
  t.false(meetsExpectation('full', 7.9, 8));
  t.true(meetsExpectation('partial', 4, 8));
  t.false(meetsExpectation('partial', 0, 8));
  t.false(meetsExpectation('below-full', 8, 8));
  t.true(meetsExpectation('zero', 0, 8));
});

test('processCensus counts the live processes that carry a marker', async (t) => {
  const marker = `RESCOM-CENSUS-${process.pid}`;
  t.is(processCensus(marker).marked, 0);
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  t.is(processCensus(marker).marked, 1);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  t.is(processCensus(marker).marked, 0);
});
