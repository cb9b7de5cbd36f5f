// A two-chapter series, "executed" by hand (outputs and run stamps written here), for book tests
// that need neither Jupyter nor the real series.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notebook, NotebookCell } from '../../src/notebook';
import { writeNotebook } from '../../src/notebook';

const md = (id: string, source: string): NotebookCell => ({ cell_type: 'markdown', id, metadata: {}, source });
const code = (id: string, source: string, outputs: NotebookCell['outputs'] = [], tags?: string[]): NotebookCell => ({
  cell_type: 'code',
  id,
  metadata: tags ? { tags } : {},
  source,
  outputs,
  execution_count: null,
});

function chapter(n: number, quick: boolean): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { rescom: { run: { seconds: 12.5 + n, quick, ok: true, finished: '2026-11-30T12:00:00.000Z', backend: 'backend=cpu threads=1' } } },
    cells: [
      md('title', `# 0${n} · Chapter ${n}\n\nThe prior $\\pi_y = n_y / \\sum_k n_k$ and\n\n$$\n\\mathcal{L} = -\\log \\frac{e^{z_y}}{\\sum_j e^{z_j}}\n$$\n\n| a | b |\n|---|---|\n| 1 | 2 |`),
      code('imports', 'const backend = await rc.selectBackend();', [{ output_type: 'stream', name: 'stdout', text: 'backend=cpu threads=1\n' }]),
      code('figure', 'showFigure(fig);', [
        { output_type: 'display_data', metadata: {}, data: { 'application/vnd.plotly.v1+json': { data: [{ type: 'bar', x: ['a', 'b'], y: [1, 3] }], layout: { title: { text: `bars ${n}` }, template: 'plotly_white' } } } },
        { output_type: 'display_data', metadata: {}, data: { 'text/plain': 'bars: a 1, b 3 </script>' } },
      ]),
      code('table', 'showTable(rows);', [{ output_type: 'display_data', metadata: {}, data: { 'text/html': '<table><tr><th>x</th></tr><tr><td>1</td></tr></table>' } }]),
      code('answer', 'function f() {\n  return `${1}`;\n}', [], ['solution']),
    ],
  };
}

/** Write the chapters (sources without outputs) and their executed copies; returns both folders. */
export function writeFixtureSeries(root: string, options: { quick?: boolean } = {}): { notebooksDir: string; executedDir: string } {
  const notebooksDir = path.join(root, 'notebooks');
  const executedDir = path.join(root, 'executed');
  fs.mkdirSync(notebooksDir, { recursive: true });
  for (const n of [1, 2]) {
    const executed = chapter(n, options.quick ?? true);
    const source = { ...executed, metadata: {}, cells: executed.cells.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [] } : c)) };
    writeNotebook(path.join(notebooksDir, `0${n}-chapter.ipynb`), source);
    writeNotebook(path.join(notebooksDir, `0${n}-chapter.exercise.ipynb`), source);
    writeNotebook(path.join(executedDir, `0${n}-chapter.ipynb`), executed);
  }
  return { notebooksDir, executedDir };
}
