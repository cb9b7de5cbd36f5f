import test from 'ava';
import {
  cleanNotebook,
  notebookProblems,
  parseNotebook,
  serializeNotebook,
  sourceLines,
  sourceText,
  type Notebook,
} from '../../src/notebook';

function dirtyNotebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      language_info: { name: 'typescript', version: '5.0.4' },
      widgets: { state: {} },
    },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: { tags: [] }, source: ['# Title\n', 'text'] },
      {
        cell_type: 'code',
        id: 'run',
        metadata: { execution: { 'iopub.status.busy': '2026-01-01' }, tags: ['keep'] },
        source: 'console.log(1)',
        execution_count: 7,
        outputs: [{ output_type: 'stream', name: 'stdout', text: ['saved to /home/alice/x\n'] }],
      },
      { cell_type: 'code', id: 'run', metadata: {}, source: '', execution_count: null, outputs: [] },
      { cell_type: 'code', id: 'bad id!', metadata: {}, source: '', execution_count: null, outputs: [] },
    ],
  };
}

test('notebookProblems names every way a notebook is dirty', (t) => {
  const problems = notebookProblems(dirtyNotebook(), 'x.ipynb').join('\n');
  t.regex(problems, /nbformat must be 4\.5/);
  t.regex(problems, /kernelspec must be 'tslab'; got 'python3'/);
  t.regex(problems, /notebook metadata 'widgets'/);
  t.regex(problems, /cell 1 \(run\): has 1 output/);
  t.regex(problems, /cell 1 \(run\): has execution count 7/);
  t.regex(problems, /cell 1 \(run\): cell metadata 'execution'/);
  t.regex(problems, /cell 2 \(run\): id 'run' repeats cell 1/);
  t.regex(problems, /cell 3 .*missing or invalid id/);
  t.regex(problems, /machine path near .*\/home\/alice/);
});

test('cleanNotebook removes outputs, counts and volatile metadata but keeps ids, tags and sources', (t) => {
  const dirty = dirtyNotebook();
  dirty.cells = dirty.cells.slice(0, 2);
  dirty.cells[1].outputs = [];
  const clean = cleanNotebook(dirty);
  t.deepEqual(notebookProblems(clean), []);
  t.deepEqual(
    clean.cells.map((c) => c.id),
    ['intro', 'run'],
  );
  t.deepEqual(clean.cells[1].metadata, { tags: ['keep'] });
  t.is(clean.cells[1].execution_count, null);
  t.deepEqual(clean.cells[1].outputs, []);
  t.is(sourceText(clean.cells[0]), '# Title\ntext');
  t.false('outputs' in clean.cells[0]);
  t.deepEqual(clean.metadata, {
    kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
    language_info: { name: 'typescript' },
  });
  // the input is not modified
  t.is(dirty.cells[1].execution_count, 7);
});

test('serializeNotebook writes Jupyter layout (sorted keys, one-space indent, line lists) and round-trips', (t) => {
  const clean = cleanNotebook({ ...dirtyNotebook(), cells: dirtyNotebook().cells.slice(0, 1) });
  const text = serializeNotebook(clean);
  t.true(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "id": "intro",'));
  t.true(text.endsWith('}\n'));
  t.regex(text, /"source": \[\n {4}"# Title\\n",\n {4}"text"\n {3}\]/);
  t.is(serializeNotebook(parseNotebook(text)), text);
});

test('sourceLines splits keeping newlines, and nothing for an empty source', (t) => {
  t.deepEqual(sourceLines('a\nb\n'), ['a\n', 'b\n']);
  t.deepEqual(sourceLines('a\n\nb'), ['a\n', '\n', 'b']);
  t.deepEqual(sourceLines(''), []);
});

test('parseNotebook rejects what is not an nbformat 4 notebook, naming the file', (t) => {
  t.throws(() => parseNotebook('{', 'a.ipynb'), { message: /parseNotebook: a\.ipynb is not valid JSON/ });
  t.throws(() => parseNotebook('{"cells": [], "nbformat": 3}', 'b.ipynb'), {
    message: /b\.ipynb must be nbformat 4; got 3/,
  });
  t.throws(() => parseNotebook('{"cells": [{"cell_type": "heading"}], "nbformat": 4}', 'c.ipynb'), {
    message: /c\.ipynb cell 0 has cell_type 'heading'/,
  });
});
