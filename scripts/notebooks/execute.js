#!/usr/bin/env node
// Execute one notebook headless with the tslab kernel (installed into a private temp prefix) and write
// the executed copy into --out DIR. On a failing cell: print that cell's id and error, exit 1.
//   node scripts/notebooks/execute.js NOTEBOOK --out DIR [--cell-timeout S]
const path = require('node:path');
const { parseArgs } = require('node:util');
const { executeNotebook, outputText } = require('../../lib/notebook');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, 'cell-timeout': { type: 'string', default: '600' } },
});
if (positionals.length !== 1 || !values.out) {
  console.error('usage: node scripts/notebooks/execute.js NOTEBOOK --out DIR [--cell-timeout S]');
  process.exit(2);
}
const input = positionals[0];
executeNotebook({ input, output: path.join(values.out, path.basename(input)), cellTimeoutS: Number(values['cell-timeout']) }).then(
  (result) => {
    if (result.ok) process.exit(0);
    // The failing cell is the last one that ran: nbclient stops there.
    const ran = result.notebook.cells.filter((c) => c.cell_type === 'code' && (c.outputs ?? []).length > 0);
    const failing = [...ran].reverse().find((c) => c.outputs.some((o) => o.output_type === 'error' || o.name === 'stderr'));
    if (failing) {
      console.error(`cell '${failing.id}' failed:`);
      const text = failing.outputs
        .filter((o) => o.output_type === 'error' || o.name === 'stderr')
        .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : outputText(o)))
        .join('');
      console.error(text.split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 30).join('\n'));
    } else {
      console.error(result.error ?? 'the notebook failed');
    }
    process.exit(1);
  },
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
