import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCURACY_BENCH_OPTIONS, PER_SEED_PROTOCOL, PROTOCOL_RESULTS_DIR, formatEvidence, formatProtocolEvidence, loadEvidence, loadProtocolEvidence, runDirOf } from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

/** A published run (config.json, log.jsonl, test-results.json) of the per-seed-subset protocol (default) or another. */
function writeProtocolRun(dir: string, method: string, seed: number, top1: number, few: number, settings = PER_SEED_PROTOCOL): void {
  const runDir = runDirOf(dir, settings, 100, method, seed);
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
  rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
  writeFileAtomic(path.join(runDir, TEST_RESULTS_FILE), JSON.stringify({ summary: { top1, many: 0.9, medium: 0.8, few }, result: { groups: { rule: 'thirds' }, perClass: [] } }));
}

/** The per-seed-subset protocol's evidence in `dir` (its 9 methods x seeds 0-2). */
const perSeed = (dir: string, methods = PER_SEED_PROTOCOL.methods) =>
  loadProtocolEvidence({ dir, settings: PER_SEED_PROTOCOL, seeds: PER_SEED_PROTOCOL.seeds, methods });

test('no committed runs: says so, and that nothing is shown about seed noise', (t) => {
  const e = perSeed(fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-none-')));
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
  const e = perSeed(dir);
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
  const e = perSeed(dir, methods as typeof PER_SEED_PROTOCOL.methods);
  t.true(e.complete);
  const text = formatProtocolEvidence(e);
  t.regex(text, /complete: 9 of 9 planned runs/);
  t.regex(text, /vs balsfx\s+top-1: ahead on 3 of 3 seeds, 95% interval \[\+1\.\d, \+2\.\d\] points: ahead beyond seed noise/);
  t.regex(text, /vs ce\s+top-1: ahead on 2 of 3 seeds, behind on 1, 95% interval \[-2\.5, \+2\.7\] points: within seed noise/);
  t.regex(text, /What this shows: whether ResCom's gain over ce, balsfx exceeds seed noise/);
  // The power line: balsfx's differences +2.0, +1.98, +1.96 points have sd 0.02 points -> 2 seeds (the floor).
  t.regex(text, /vs balsfx .*\n\s+power: sd of the paired difference 0\.02 points: resolving 0\.5 points needs 2 seeds, 1\.0 point 2 \(80% power\)/);
});

test('the default evidence is the fixed-subset protocol (4 methods x 10 seeds), then the long budget, the lambda lead, the gap hunt on the reference subset with its control, and the per-seed protocol', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
  writeProtocolRun(dir, 'rescom', 0, 0.8, 0.6, DEFAULT_ACCURACY_BENCH_OPTIONS);
  const groups = loadEvidence({ dir });
  t.deepEqual(groups.map((g) => g.group.id), ['fixed', 'long', 'lambda-0.25', 'authors-constant-lr', 'authors', 'per-seed']);
  const fixed = groups[0].evidence;
  t.is(fixed.settings.config, 'fashion-mnist-lt-fixed');
  t.deepEqual(fixed.plannedMethods, ['rescom', 'sbs', 'balsfx', 'supcon-balsfx']);
  t.deepEqual(fixed.plannedSeeds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const text = formatEvidence(groups);
  t.regex(text, /^Fixed-subset protocol \(fashion-mnist-lt-fixed\): one long-tailed subset for every seed, ten seeds \(fashion-mnist-lt-fixed: .*\n\s+PARTIAL: 1 of 40 planned runs/);
  t.regex(text, /Longer budget .*\(fashion-mnist-lt-long: .*resnet20, 100 epochs.*\n\s+none committed yet \(0 of 10 planned runs\).*\n\s+Produce them with `npm run bench:accuracy -- --config fashion-mnist-lt-long --seeds 0,1,2,3,4 --methods rescom,sbs --publish bench\/results\/protocol`/);
  t.regex(text, /lambda 0\.25 .*\(fashion-mnist-lt-fixed with conWeight 0\.25: .*fashion-mnist-lt-fixed-nmax2000-resnet20-e30-b128-set-conWeight0\.25:\n\s+none committed yet \(0 of 10/);
  t.regex(text, /Per-seed-subset protocol .*\n\s+none committed yet \(0 of 27 planned runs\)/);
  // The hunt trains the reference code's constant learning rate on the reference's subset; its command says how.
  t.regex(text, /The gap hunt's first hypothesis, .*\(fashion-mnist-lt-authors with schedule step, warmupEpochs 0: .*\n\s+none committed yet \(0 of 4 planned runs\).*\n\s+Produce them with `npm run bench:accuracy -- --config fashion-mnist-lt-authors --seeds 0,1 --methods rescom,sbs --set schedule=step --set warmupEpochs=0 --publish bench\/results\/protocol`/);
  t.regex(text, /Its control: .*\(fashion-mnist-lt-authors: .*\n\s+none committed yet \(0 of 8 planned runs\)/);
});
