#!/usr/bin/env node
// Register the tslab kernel with Jupyter (JupyterLab, classic notebook, VS Code): `npm run kernel:install`.
//   --prefix DIR   install under DIR/share/jupyter/kernels (CI, notebooks/run.sh) instead of the user's Jupyter
//   --python PY    interpreter whose jupyter_client installs it (default: $PYTHON, python3, /usr/bin/python3)
// Needs the compiled library (npm run build).
const { parseArgs } = require('node:util');
const { installKernelSpec } = require('../../lib/notebook');

const { values } = parseArgs({ options: { prefix: { type: 'string' }, python: { type: 'string' }, quiet: { type: 'boolean' } } });
try {
  const spec = installKernelSpec({ prefix: values.prefix, python: values.python });
  if (!values.quiet) {
    console.log(`installed kernel '${spec.name}' in ${spec.directory} (via ${spec.python})`);
    if (!values.prefix) console.log('open the series: jupyter lab notebooks/   (or open a notebook in VS Code and pick the kernel "TypeScript (tslab, rescom-lab)")');
  }
} catch (error) {
  console.error(`kernel:install: ${error.message}`);
  process.exit(1);
}
