/**
 * `node lib/bench/protocol-readme.js [--check]` (part of `npm run protocol:table`): writes the
 * README's reference-protocol block from the committed runs in bench/results/protocol
 * (./accuracy/readme-block.ts). With --check it writes nothing and exits 1 when the block is out of date.
 */
import * as path from 'node:path';
import { loadProtocolEvidence, PROTOCOL_REFRESH_COMMAND, syncProtocolReadme } from './accuracy/index';

const readme = path.resolve(__dirname, '..', '..', 'README.md');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length) {
  console.error(`protocol-readme: unknown argument '${unknown[0]}'; expected --check or nothing`);
  process.exit(2);
}
const check = args.includes('--check');
try {
  const { outOfDate } = syncProtocolReadme({ readme, evidence: loadProtocolEvidence(), check });
  if (check && outOfDate) {
    console.error(`README.md: the reference-protocol block differs from bench/results/protocol; run \`${PROTOCOL_REFRESH_COMMAND}\``);
    process.exit(1);
  }
  console.log(check ? 'README.md: protocol block up to date' : `README.md: protocol block ${outOfDate ? 'rewritten' : 'already up to date'}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
