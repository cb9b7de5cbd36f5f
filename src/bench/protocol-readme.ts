/**
 * `npm run protocol:table`: from the committed runs in bench/results/protocol, writes each evidence
 * group's table files (groups with at least one committed run) (bench/results/accuracy-<group>.{md,csv,json} and -paired.csv, as
 * `bench:accuracy --table-only` does) and the README's evidence block (./accuracy/readme-block.ts).
 * With --check it writes nothing and exits 1 when the README block is out of date.
 */
import * as path from 'node:path';
import {
  EVIDENCE_GROUPS,
  PROTOCOL_REFRESH_COMMAND,
  PROTOCOL_RESULTS_DIR,
  benchCommand,
  collectFinishedRuns,
  loadEvidence,
  runAccuracyBench,
  syncProtocolReadme,
} from './accuracy/index';
import { exitWhenDone } from './exit-when-done';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`protocol-readme: unknown argument '${unknown[0]}'; expected --check or nothing`);
    return 2;
  }
  const check = args.includes('--check');
  if (!check) {
    // A group without a committed run gets no table files (its README block says so).
    for (const group of EVIDENCE_GROUPS.filter((g) => collectFinishedRuns(PROTOCOL_RESULTS_DIR, g.options).length > 0)) {
      const result = await runAccuracyBench({
        options: { ...group.options, tableOnly: true, runsDir: PROTOCOL_RESULTS_DIR, outDir: path.join(root, 'bench', 'results') },
        command: `${benchCommand({ settings: group.options, plannedSeeds: group.options.seeds, plannedMethods: group.options.methods })} --table-only --runs-dir bench/results/protocol`,
        log: () => {},
      });
      console.log(`${group.id}: ${result.table.runs.length} runs -> ${path.relative(root, result.files.markdown)}`);
    }
  }
  const readme = path.join(root, 'README.md');
  const { outOfDate } = syncProtocolReadme({ readme, groups: loadEvidence(), check });
  if (check && outOfDate) {
    console.error(`README.md: the evidence block differs from bench/results/protocol; run \`${PROTOCOL_REFRESH_COMMAND}\``);
    return 1;
  }
  console.log(check ? 'README.md: evidence block up to date' : `README.md: evidence block ${outOfDate ? 'rewritten' : 'already up to date'}`);
  return 0;
}

exitWhenDone(main);
