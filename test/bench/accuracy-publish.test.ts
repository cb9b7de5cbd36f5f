import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  parseAccuracyBenchArgs,
  planRuns,
  publishFinishedRuns,
  runAccuracyBench,
  type AccuracyBenchOptions,
  type PlannedRun,
} from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

function writeRun(run: PlannedRun, top1: number, finished = true): void {
  fs.mkdirSync(path.join(run.runDir, 'checkpoints', 'epoch-0002'), { recursive: true });
  fs.writeFileSync(path.join(run.runDir, 'checkpoints', 'epoch-0002', 'weights.bin'), 'w');
  writeFileAtomic(path.join(run.runDir, 'config.json'), JSON.stringify(run.config));
  rewriteJsonl(path.join(run.runDir, LOG_FILE), [{ epoch: 1, seconds: 3, cpuSeconds: 2 }, { epoch: 2, seconds: 5, cpuSeconds: 4 }]);
  if (!finished) return;
  writeFileAtomic(
    path.join(run.runDir, TEST_RESULTS_FILE),
    JSON.stringify({ method: run.method, summary: { top1, many: 0.9, medium: 0.7, few: top1 - 0.2 }, result: { groups: { rule: 'thirds' }, perClass: [{ trainCount: 30 }] } }),
  );
}

test('--publish: the flag, and finished runs copied without checkpoints; the table rebuilds from the copy', async (t) => {
  t.is(parseAccuracyBenchArgs([], {}).publish, null);
  t.is(parseAccuracyBenchArgs(['--publish', 'bench/results/protocol'], {}).publish, 'bench/results/protocol');
  t.is(parseAccuracyBenchArgs([], { BENCH_ACCURACY_PUBLISH: 'P' }).publish, 'P');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-publish-'));
  const options: AccuracyBenchOptions = {
    ...DEFAULT_ACCURACY_BENCH_OPTIONS,
    seeds: [0, 1],
    methods: ['balsfx', 'rescom'],
    epochs: 2,
    runsDir: path.join(dir, 'runs'),
    outDir: path.join(dir, 'results'),
    tableOnly: true,
    publish: path.join(dir, 'protocol'),
  };
  const [balsfx0, rescom0, balsfx1, rescom1] = planRuns(options);
  writeRun(balsfx0, 0.7);
  writeRun(rescom0, 0.72);
  writeRun(balsfx1, 0.71);
  writeRun(rescom1, 0.7, false); // still training: not published
  const first = await runAccuracyBench({ options, command: 'x', log: () => {} });
  t.is(first.published!.added.length, 3);
  const published = path.join(options.publish!, path.relative(options.runsDir, rescom0.runDir));
  t.deepEqual(fs.readdirSync(published).sort(), ['config.json', LOG_FILE, TEST_RESULTS_FILE].sort(), 'no checkpoints');
  t.deepEqual(fs.readFileSync(path.join(published, TEST_RESULTS_FILE)), fs.readFileSync(path.join(rescom0.runDir, TEST_RESULTS_FILE)), 'byte for byte');
  t.false(fs.existsSync(path.join(options.publish!, path.relative(options.runsDir, rescom1.runDir))));

  // Publishing again changes nothing; a retrained run is replaced.
  t.deepEqual(publishFinishedRuns({ runsDir: options.runsDir, publishDir: options.publish!, settings: options }), { added: [], replaced: [], unchanged: first.published!.added });
  writeRun(rescom0, 0.75);
  t.is(publishFinishedRuns({ runsDir: options.runsDir, publishDir: options.publish!, settings: options }).replaced.length, 1);

  // The table from the committed copy equals the table from the run folders.
  const fromRuns = await runAccuracyBench({ options: { ...options, publish: null }, command: 'x', log: () => {} });
  const fromCopy = await runAccuracyBench({ options: { ...options, runsDir: options.publish!, publish: null, outDir: path.join(dir, 'results2') }, command: 'x', log: () => {} });
  t.deepEqual(fromCopy.table.rows, fromRuns.table.rows);
  t.deepEqual(fromCopy.table.paired, fromRuns.table.paired);
  t.is(fromCopy.table.runs.length, 3);
  // The JSON table names its folders relative to the repository (two levels above its own folder), not by this machine's paths.
  const json = fs.readFileSync(fromCopy.files.json, 'utf8');
  t.false(json.includes(os.tmpdir()), 'no absolute path in the JSON table');
  t.true(json.includes(`"${path.join(path.basename(dir), 'protocol', path.relative(options.runsDir, rescom0.runDir))}"`), 'run folders relative to the repository');
  t.throws(() => publishFinishedRuns({ runsDir: options.runsDir, publishDir: options.runsDir, settings: options }), { message: /publishDir must differ from runsDir/ });
  fs.rmSync(dir, { recursive: true, force: true });
});
