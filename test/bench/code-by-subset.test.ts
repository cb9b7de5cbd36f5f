import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AUTHORS_SUBSET_OPTIONS,
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  EVIDENCE_GROUPS,
  REFERENCE_CODE_DIR,
  acrossSubsets,
  codeBySubset,
  formatCodeBySubsetMarkdown,
  formatCodeBySubsetText,
  loadProtocolEvidence,
  readReferenceCodeGaps,
  runDirOf,
  type BenchSettings,
} from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

const SUBSET_A = 'a'.repeat(64);
const SUBSET_B = 'b'.repeat(64);

function writeRun(dir: string, settings: BenchSettings, method: string, seed: number, top1: number, subset: string): void {
  const runDir = runDirOf(dir, settings, 100, method, seed);
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
  rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
  writeFileAtomic(
    path.join(runDir, TEST_RESULTS_FILE),
    JSON.stringify({ subset: { trainSha256: subset }, summary: { top1, many: 0.9, medium: 0.8, few: 0.7 }, result: { groups: { rule: 'thirds' }, perClass: [] } }),
  );
}

function writeReference(dir: string, name: string, fields: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ what: 'test', seeds: [0, 1], rescomMinusBalancedSoftmax: [0.01, 0.01], ...fields }));
}

const evidence = (dir: string) =>
  EVIDENCE_GROUPS.map((group) => ({ group, evidence: loadProtocolEvidence({ dir, settings: group.options, seeds: group.options.seeds, methods: group.options.methods }) }));

test('both codes on both subsets: each reference gap beside its counterpart group on the same rows, Welch across codes and across subsets (hand case)', (t) => {
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'code-by-subset-runs-'));
  const refs = fs.mkdtempSync(path.join(os.tmpdir(), 'code-by-subset-refs-'));
  // This project on subset A (group authors): rescom - sbs = 0.9, 1.1 points; on subset B (group fixed): 0.1, 0.3, 0.2 points.
  for (const [seed, diff] of [[0, 0.009], [1, 0.011]]) {
    writeRun(runs, AUTHORS_SUBSET_OPTIONS, 'sbs', seed, 0.86, SUBSET_A);
    writeRun(runs, AUTHORS_SUBSET_OPTIONS, 'rescom', seed, 0.86 + diff, SUBSET_A);
  }
  for (const [seed, diff] of [[0, 0.001], [1, 0.003], [2, 0.002]]) {
    writeRun(runs, DEFAULT_ACCURACY_BENCH_OPTIONS, 'sbs', seed, 0.86, SUBSET_B);
    writeRun(runs, DEFAULT_ACCURACY_BENCH_OPTIONS, 'rescom', seed, 0.86 + diff, SUBSET_B);
  }
  // The reference code: 1.0, 1.2, 0.8 points on A; 0.2, 0.4 on B. A file without its subset is not part of the comparison.
  writeReference(refs, '1-a.json', { seeds: [0, 1, 2], rescomMinusBalancedSoftmax: [0.01, 0.012, 0.008], subsetSha256: SUBSET_A, counterpart: 'authors' });
  writeReference(refs, '2-b.json', { seeds: [0, 1], rescomMinusBalancedSoftmax: [0.002, 0.004], subsetSha256: SUBSET_B, counterpart: 'fixed' });
  writeReference(refs, '3-unknown.json', {});
  const references = readReferenceCodeGaps(refs);
  t.deepEqual(references.map((r) => path.basename(r.file)), ['1-a.json', '2-b.json']);

  const rows = codeBySubset(evidence(runs), references);
  t.deepEqual(rows.map((r) => [r.subsetSha256, r.group.id, r.ours?.seeds]), [[SUBSET_A, 'authors', [0, 1]], [SUBSET_B, 'fixed', [0, 1, 2]]]);
  const close = (a: number, b: number) => t.true(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  // Subset A: ours mean 1.0 (sd 0.1414), the reference's 1.0 (sd 0.2): the codes differ by 0, t = 0, p = 1.
  close(rows[0].codes!.difference, 0);
  close(rows[0].codes!.p, 1);
  // Subset B: ours 0.2 (sd 0.1, n 3) minus the reference's 0.3 (sd 0.1414, n 2): -0.1 points, se sqrt(0.01/3 + 0.02/2) = 0.1155 points.
  close(100 * rows[1].codes!.difference, -0.1);
  close(100 * rows[1].codes!.standardError, Math.sqrt(0.01 / 3 + 0.02 / 2));
  // Across the subsets (B minus A): the reference 0.3 - 1.0 = -0.7 points, se sqrt(0.02/2 + 0.04/3); ours 0.2 - 1.0 = -0.8, se sqrt(0.01/3 + 0.02/2).
  const across = acrossSubsets(rows[0], rows[1]);
  close(100 * across.reference!.difference, -0.7);
  close(100 * across.reference!.standardError, Math.sqrt(0.02 / 2 + 0.04 / 3));
  close(100 * across.ours!.difference, -0.8);
  close(100 * across.ours!.standardError, Math.sqrt(0.01 / 3 + 0.02 / 2));
  t.true(across.ours!.p < 0.05 && across.reference!.p < 0.05);

  const markdown = formatCodeBySubsetMarkdown(rows);
  t.regex(markdown, /\| aaaaaaaaaaaa \| \+1\.00 ± 0\.20 \| 0,1,2 \| \+1\.00 ± 0\.14 \| authors, 0,1 \| \+0\.00 \[.*\], Welch p = 1\.000 \| the codes: within seed noise/);
  t.regex(markdown, /\| bbbbbbbbbbbb \| \+0\.30 ± 0\.14 \| 0,1 \| \+0\.20 ± 0\.10 \| fixed, 0,1,2 \| -0\.10 \[/);
  t.regex(markdown, /- The reference code, subset bbbbbbbbbbbb minus subset aaaaaaaaaaaa: -0\.70 \[.*\], Welch p = 0\.0\d\d: the subsets differ beyond seed noise\./);
  t.regex(markdown, /- This project, subset bbbbbbbbbbbb minus subset aaaaaaaaaaaa: -0\.80 \[/);
  t.regex(formatCodeBySubsetText(rows), /subset aaaaaaaaaaaa: reference code \+1\.00 ± 0\.20 \(seeds 0,1,2\); this project \+1\.00 ± 0\.14 \(authors, seeds 0,1\)/);

  // A counterpart run on other rows than the reference's subset leaves this project's side out, saying which run.
  writeRun(runs, DEFAULT_ACCURACY_BENCH_OPTIONS, 'sbs', 3, 0.86, SUBSET_A);
  const mixed = codeBySubset(evidence(runs), references);
  t.deepEqual([mixed[1].ours, mixed[1].codes], [null, null]);
  t.is(mixed[1].mismatch, "not the same images: run sbs seed 3 of 'fixed' trained on subset aaaaaaaaaaaa");
  t.regex(formatCodeBySubsetMarkdown(mixed), /\| bbbbbbbbbbbb \| \+0\.30 ± 0\.14 \| 0,1 \| not the same images: run sbs seed 3 of 'fixed' trained on subset aaaaaaaaaaaa \|/);
  t.regex(formatCodeBySubsetText(mixed), /This project, subset .*: n\/a/);
  // A reference whose counterpart group has no runs here is left out (the README passes only groups with runs).
  t.deepEqual(codeBySubset(evidence(runs).filter((g) => g.group.id !== 'fixed'), references).map((r) => r.group.id), ['authors']);
  t.is(formatCodeBySubsetMarkdown([]), 'No subset has results of both codes yet.\n');
  writeReference(refs, '2-b.json', { subsetSha256: 'xyz', counterpart: 'fixed' });
  t.throws(() => readReferenceCodeGaps(refs), { message: /'subsetSha256' must be 64 hex digits/ });
  fs.rmSync(runs, { recursive: true, force: true });
  fs.rmSync(refs, { recursive: true, force: true });
});

test("the committed reference gaps name their subsets, and the committed counterpart runs trained on those very rows", (t) => {
  const references = readReferenceCodeGaps(REFERENCE_CODE_DIR);
  t.true(references.length >= 1);
  for (const r of references) t.true(EVIDENCE_GROUPS.some((g) => g.id === r.counterpart), `${r.file}: counterpart ${r.counterpart} is an evidence group`);
  const byGroup = (id: string) => references.find((r) => r.counterpart === id);
  t.is(byGroup('authors')?.subsetSha256, '578603473c5e9694d4f969016aa72b8e288744fc85a95c5be83152770c473f62');
  t.is(byGroup('fixed')?.subsetSha256, '5437aee0303f2bd2f987506aaced71f6d4440c19bf349c9b75d6941d3f296988');
  // Every committed counterpart run trained on its reference's very rows, and each side has two paired seeds or more.
  const rows = codeBySubset(evidence(path.resolve(__dirname, '..', '..', 'bench', 'results', 'protocol')), references);
  t.deepEqual(rows.map((r) => r.mismatch), rows.map(() => null));
  t.deepEqual(rows.map((r) => r.group.id).sort(), ['authors', 'fixed']);
  t.true(rows.every((r) => r.ours !== null && r.ours.seeds.length >= 2));
});
