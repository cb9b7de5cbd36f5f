import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCURACY_BENCH_OPTIONS, PROTOCOL_RESULTS_DIR, formatProtocolEvidence, loadProtocolEvidence, runDirOf } from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

/** A published run (config.json, log.jsonl, test-results.json) of the reference protocol. */
function writeProtocolRun(dir: string, method: string, seed: number, top1: number, few: number): void {
  const runDir = runDirOf(dir, DEFAULT_ACCURACY_BENCH_OPTIONS, 100, method, seed);
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
  rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
  writeFileAtomic(path.join(runDir, TEST_RESULTS_FILE), JSON.stringify({ summary: { top1, many: 0.9, medium: 0.8, few }, result: { groups: { rule: 'thirds' }, perClass: [] } }));
}

test('no committed runs: says so, and that nothing is shown about seed noise', (t) => {
  const e = loadProtocolEvidence({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-none-')) });
  t.is(e.table, null);
  t.false(e.complete);
  const text = formatProtocolEvidence(e);
  t.regex(text, /none committed yet \(0 of 27 planned runs\)/);
  t.regex(text, /Nothing here shows whether ResCom beats the other methods beyond seed noise/);
  t.true(PROTOCOL_RESULTS_DIR.endsWith(path.join('bench', 'results', 'protocol')));
});

test('partial results: seeds per method, per-seed differences without a verdict, and what is not shown', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-partial-'));
  writeProtocolRun(dir, 'rescom', 0, 0.8, 0.6);
  writeProtocolRun(dir, 'balsfx', 0, 0.79, 0.55);
  const e = loadProtocolEvidence({ dir });
  t.deepEqual(e.seedsPerMethod.find((m) => m.method === 'rescom')!.seeds, [0]);
  t.deepEqual(e.seedsPerMethod.find((m) => m.method === 'sbs')!.seeds, []);
  const text = formatProtocolEvidence(e);
  t.regex(text, /PARTIAL: 2 of 27 planned runs \(9 methods x seeds 0,1,2\)\. Seeds per method: ce 0, balsfx 1 \(0\), sbs 0,/);
  t.regex(text, /rescom\s+1\s+80\.0 \(1 seed\)\s+60\.0 \(1 seed\)/);
  t.regex(text, /vs balsfx\s+top-1: ahead on 1 of 1 seed, \+1\.0 points: needs more seeds; Few: ahead on 1 of 1 seed, \+5\.0 points: needs more seeds/);
  t.regex(text, /What this shows: no comparison has 3 paired seeds yet, so none is judged against seed noise; for balsfx only the per-seed differences listed/);
  t.regex(text, /What it does not show: any result for ce, sbs, supcon-balsfx, /);
  t.notRegex(text, /beyond seed noise \(/, 'no verdict beyond noise from one seed');
});

test('complete results: every comparison judged by the rule', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-full-'));
  const methods = ['ce', 'balsfx', 'rescom'];
  for (const seed of [0, 1, 2]) {
    writeProtocolRun(dir, 'rescom', seed, 0.8 + seed * 0.001, 0.6);
    writeProtocolRun(dir, 'balsfx', seed, 0.78 + seed * 0.0012, 0.58);
    writeProtocolRun(dir, 'ce', seed, [0.81, 0.79, 0.8][seed], 0.3);
  }
  const e = loadProtocolEvidence({ dir, methods });
  t.true(e.complete);
  const text = formatProtocolEvidence(e);
  t.regex(text, /complete: 9 of 9 planned runs/);
  t.regex(text, /vs balsfx\s+top-1: ahead on 3 of 3 seeds, 95% interval \[\+1\.\d, \+2\.\d\] points: ahead beyond seed noise/);
  t.regex(text, /vs ce\s+top-1: ahead on 2 of 3 seeds, behind on 1, 95% interval \[-2\.5, \+2\.7\] points: within seed noise/);
  t.regex(text, /What this shows: whether ResCom's gain over ce, balsfx exceeds seed noise/);
});
