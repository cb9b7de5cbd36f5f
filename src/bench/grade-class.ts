/**
 * `npm run bench:grade [-- --out DIR] [--no-run] [--jobs N] [--time-limit S]`: a class of 30
 * submissions of chapter 03 (src/bench/grade-class/submissions.ts: honest, partial, wrong formulas,
 * library calls, malicious, loops, broken files) written to DIR/submissions and graded with ONE
 * command, `rescom grade DIR/submissions --out DIR/grades` (sandboxed). It prints the gradebook
 * beside what each submission should get, the wall time, and the proof that nothing was harmed or
 * left behind: processes carrying the submissions' marker and processes of the sandbox user before
 * and after, the grader's lib/ hashed before and after, the classmate the sabotage targets.
 * Last line: `RESULT students=30 as_expected=... seconds=... processes_left=... lib_unchanged=...`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readNotebook, writeNotebook } from '../notebook/format';
import { parseCsv } from '../notebook/gradebook';
import { LIBRARY_DIR, REPO_DIR } from '../notebook/hidden-run';
import { SANDBOX_UID } from '../notebook/sandbox';
import { exitWhenDone } from './exit-when-done';
import { hashTree, meetsExpectation, processCensus } from './grade-class/census';
import { CLASS_MARKER, classSubmissions, submissionNotebook } from './grade-class/submissions';
import { formatResultLine } from './result-line';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      out: { type: 'string', default: path.join(REPO_DIR, 'runs', 'grade-class') },
      'no-run': { type: 'boolean', default: false },
      jobs: { type: 'string', default: '2' },
      'time-limit': { type: 'string', default: '180' },
    },
  });
  const out = path.resolve(values.out as string);
  const folder = path.join(out, 'submissions');
  const grades = path.join(out, 'grades');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const releasedFile = path.join(REPO_DIR, 'notebooks', '03-balanced-softmax.exercise.ipynb');
  const released = readNotebook(releasedFile);
  const classmate = path.join(folder, 's01-ada.ipynb');
  const submissions = classSubmissions({ classmate, repoLib: LIBRARY_DIR });
  for (const s of submissions) {
    const file = path.join(folder, `${s.student}.ipynb`);
    if (s.raw !== undefined) fs.writeFileSync(file, s.raw);
    else writeNotebook(file, submissionNotebook(released, s));
  }
  const classmateBefore = fs.readFileSync(classmate, 'utf8');
  const libBefore = hashTree(LIBRARY_DIR);
  const before = processCensus(CLASS_MARKER);
  const args = [
    path.join(LIBRARY_DIR, 'cli', 'main.js'),
    'grade',
    folder,
    '--exercise',
    releasedFile,
    '--out',
    grades,
    '--seed',
    '1',
    '--jobs',
    String(values.jobs),
    '--time-limit',
    String(values['time-limit']),
    ...(values['no-run'] ? ['--no-run'] : []),
  ];
  console.log(`bench:grade: ${submissions.length} submissions in ${folder}`);
  console.log(`  one command: node ${path.relative(process.cwd(), args[0])} ${args.slice(1).join(' ')}`);
  console.log(`  CPU: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const started = Date.now();
  const log = fs.openSync(path.join(out, 'grade-log.txt'), 'w');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', log, log], env: { ...process.env, PYTHON: process.env.PYTHON ?? '/usr/bin/python3' } });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  fs.closeSync(log);
  const seconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  const after = processCensus(CLASS_MARKER);
  const libUnchanged = hashTree(LIBRARY_DIR) === libBefore;
  const classmateUnchanged = fs.readFileSync(classmate, 'utf8') === classmateBefore;
  if (code !== 0) {
    console.error(`bench:grade: rescom grade exited ${code}; see ${path.join(out, 'grade-log.txt')}`);
    return 1;
  }
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(grades, 'gradebook.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  let asExpected = 0;
  console.log(`\n${'student'.padEnd(10)} ${'kind'.padEnd(10)} ${'expect'.padEnd(11)} score  ok  flags`);
  for (const s of submissions) {
    const row = rows.find((r) => r[col('student')] === s.student);
    const total = Number(row?.[col('total')] ?? NaN);
    const possible = Number(row?.[col('possible')] ?? NaN);
    const ok = meetsExpectation(s.expect, total, possible);
    if (ok) asExpected++;
    // Every flag, one per line under the first, so none is cut (the CSV holds the same list).
    const flags = (row?.[col('flags')] ?? '').split('; ');
    const lead = `${s.student.padEnd(10)} ${s.kind.padEnd(10)} ${s.expect.padEnd(11)} ${`${total}/${possible}`.padEnd(6)} ${ok ? 'yes' : 'NO '}`;
    console.log([`${lead} ${flags[0]}`, ...flags.slice(1).map((f) => `${' '.repeat(lead.length)} ${f}`)].join('\n'));
  }
  console.log(`\ngraded ${rows.length} submissions in ${seconds.toFixed(1)} s (${(seconds / rows.length).toFixed(1)} s each, --jobs ${values.jobs})`);
  console.log(`processes with the submissions' marker: before ${before.marked}, after ${after.marked}`);
  console.log(`processes of the sandbox user (uid ${SANDBOX_UID}): before ${before.sandboxUser}, after ${after.sandboxUser}`);
  console.log(`all processes: before ${before.total}, after ${after.total}`);
  console.log(`grader's lib/ unchanged: ${libUnchanged}; classmate s01-ada unchanged: ${classmateUnchanged}`);
  console.log(`gradebook: ${path.join(grades, 'gradebook.csv')}; feedback: ${path.join(grades, 'feedback')}/`);
  console.log(
    formatResultLine({
      students: rows.length,
      as_expected: asExpected,
      seconds: Math.round(seconds * 10) / 10,
      notebook_run: values['no-run'] ? 0 : 1,
      jobs: Number(values.jobs),
      processes_left: after.marked,
      sandbox_user_processes_after: after.sandboxUser,
      lib_unchanged: libUnchanged ? 1 : 0,
      classmate_unchanged: classmateUnchanged ? 1 : 0,
    }),
  );
  return asExpected === submissions.length && libUnchanged && classmateUnchanged && after.marked === 0 ? 0 : 1;
}

exitWhenDone(main);
