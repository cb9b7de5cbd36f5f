/**
 * The bad-input suite: every case of cases.ts run as a user runs rescom (a child process), each
 * asserting the exit status, one error line naming the file or option, no stack trace (JavaScript
 * or Python) and an unchanged folder. Shared fixtures: the tiny embedded data and one finished
 * one-epoch run, made once.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTinyEmbedded } from '../cli/tiny-embedded';
import { CASES, badInputsMarkdown, tinyArgs, type CaseContext } from './cases';
import { fingerprint, runCli } from './harness';

const DOC = path.join(__dirname, '..', '..', 'docs', 'bad-inputs.md');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-bad-inputs-'));
let tinyData = '';
let otherData = '';
let baseRun = '';
let partialRun = '';
const ready = (async () => {
  tinyData = writeTinyEmbedded();
  otherData = writeTinyEmbedded(12);
  baseRun = path.join(root, 'base-run');
  partialRun = path.join(root, 'partial-run');
  const [made, partial] = await Promise.all([
    runCli(['train', ...tinyArgs(tinyData), '--run-dir', baseRun], root),
    runCli(
      ['train', ...tinyArgs(tinyData), '--epochs', '2', '--stop-after-epochs', '1', '--run-dir', partialRun],
      root,
    ),
  ]);
  if (made.code !== 0) throw new Error(`the base run failed: ${made.stderr}`);
  if (partial.code !== 0) throw new Error(`the partial run failed: ${partial.stderr}`);
})();
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

test('docs/bad-inputs.md lists every case of the table', (t) => {
  if (process.env.RESCOM_WRITE_DOCS === '1') fs.writeFileSync(DOC, badInputsMarkdown());
  t.true(CASES.length > 150, `${CASES.length} cases`);
  t.is(new Set(CASES.map((c) => `${c.area} ${c.id}`)).size, CASES.length, 'case names are unique');
  t.is(fs.readFileSync(DOC, 'utf8'), badInputsMarkdown(), 'regenerate with RESCOM_WRITE_DOCS=1');
});

CASES.forEach((c, i) => {
  test(`${i + 1} ${c.area}: ${c.id}`, async (t) => {
    await ready;
    const dir = path.join(root, `case-${i + 1}`);
    const work = path.join(dir, 'work');
    fs.mkdirSync(work, { recursive: true });
    const ctx: CaseContext = { dir, work, tinyData, baseRun, partialRun, otherData };
    const { args, names, exit = 1, env } = c.setup(ctx);
    const before = fingerprint(dir);
    const baseBefore = fingerprint(baseRun);
    const partialBefore = fingerprint(partialRun);
    const result = await runCli(args, work, env);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    t.log(
      `rescom ${args.map((a) => a.replace(root, '$TMP')).join(' ')}  ->  exit ${result.code}: ${lines.join(' / ').replace(new RegExp(root, 'g'), '$TMP')}`,
    );
    t.is(result.code, exit, 'exit status');
    t.is(lines.length, 1, `one error line on stderr; got: ${result.stderr}`);
    for (const name of names) t.true(lines[0]?.includes(name), `the message names ${name}`);
    const all = `${result.stdout}\n${result.stderr}`;
    t.notRegex(all, /^\s+at \S.*[:(]/m, 'no JavaScript stack');
    t.notRegex(all, /Traceback \(most recent call last\)/, 'no Python traceback');
    t.deepEqual(fingerprint(dir), before, 'nothing written, changed or lost in the case folder');
    t.deepEqual(fingerprint(baseRun), baseBefore);
    t.deepEqual(fingerprint(partialRun), partialBefore);
  });
});
