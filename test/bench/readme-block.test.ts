import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  PROTOCOL_BLOCK_END,
  PROTOCOL_BLOCK_START,
  loadProtocolEvidence,
  protocolReadmeBlock,
  replaceProtocolBlock,
  runDirOf,
  syncProtocolReadme,
} from '../../src/bench/accuracy/index';
import { LOG_FILE, TEST_RESULTS_FILE, rewriteJsonl } from '../../src/train';
import { writeFileAtomic } from '../../src/util/atomic-write';

const readme = path.resolve(__dirname, '..', '..', 'README.md');

function writeProtocolRun(dir: string, method: string, seed: number, top1: number, few: number): void {
  const runDir = runDirOf(dir, DEFAULT_ACCURACY_BENCH_OPTIONS, 100, method, seed);
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify({ imbalanceFactor: 100, method, seed }));
  rewriteJsonl(path.join(runDir, LOG_FILE), [{ epoch: 1, seconds: 60, cpuSeconds: 55 }]);
  writeFileAtomic(path.join(runDir, TEST_RESULTS_FILE), JSON.stringify({ summary: { top1, many: 0.9, medium: 0.8, few }, result: { groups: { rule: 'thirds' }, perClass: [] } }));
}

test('the README block equals what the committed protocol files give (run `npm run protocol:table` after a run lands)', (t) => {
  const text = fs.readFileSync(readme, 'utf8');
  const start = text.indexOf(PROTOCOL_BLOCK_START);
  const end = text.indexOf(PROTOCOL_BLOCK_END);
  t.true(start >= 0 && end > start, 'README has the protocol-table markers');
  const inReadme = text.slice(start + PROTOCOL_BLOCK_START.length + 1, end);
  t.is(inReadme, protocolReadmeBlock(loadProtocolEvidence()), 'README protocol block is out of date: run `npm run protocol:table`');
});

test('the block gives mean ± sd, every seed, the paired differences and the verdict; sync rewrites only the block', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-block-'));
  const top1 = [0.8, 0.82, 0.81];
  top1.forEach((v, seed) => {
    writeProtocolRun(dir, 'rescom', seed, v + 0.01, 0.6);
    writeProtocolRun(dir, 'balsfx', seed, v, 0.55);
  });
  const block = protocolReadmeBlock(loadProtocolEvidence({ dir }));
  t.regex(block, /\*\*6 of 27 planned runs committed\*\*/);
  t.regex(block, /\| \*\*rescom\*\* \| 0, 1, 2 \| 82\.00 ± 1\.00 \| 81\.00 \| 83\.00 \| 82\.00 \|/);
  t.regex(block, /\| balsfx \| 0, 1, 2 \| 81\.00 ± 1\.00 \| 80\.00 \| 82\.00 \| 81\.00 \|/);
  t.regex(block, /\| 100 \| balsfx \| 0,1,2 \| \+1\.0 ± 0\.0 \|/);
  t.regex(block, /- vs `balsfx`: ahead on 3 of 3 seeds, 95% interval \[\+1\.0, \+1\.0\] points: ahead beyond seed noise/);

  const file = path.join(dir, 'README.md');
  fs.writeFileSync(file, `# x\n\nbefore\n${PROTOCOL_BLOCK_START}\nstale\n${PROTOCOL_BLOCK_END}\nafter\n`);
  const evidence = loadProtocolEvidence({ dir });
  t.true(syncProtocolReadme({ readme: file, evidence, check: true }).outOfDate);
  t.regex(fs.readFileSync(file, 'utf8'), /stale/, 'check writes nothing');
  t.true(syncProtocolReadme({ readme: file, evidence }).outOfDate);
  const written = fs.readFileSync(file, 'utf8');
  t.true(written.startsWith(`# x\n\nbefore\n${PROTOCOL_BLOCK_START}\n<!-- generated`));
  t.true(written.endsWith(`${PROTOCOL_BLOCK_END}\nafter\n`));
  t.notRegex(written, /stale/);
  t.false(syncProtocolReadme({ readme: file, evidence, check: true }).outOfDate);
  t.throws(() => replaceProtocolBlock('no markers', 'x', 'X.md'), { message: /X\.md must contain '<!-- protocol-table:start -->'/ });
});
