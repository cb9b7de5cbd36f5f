/**
 * Committed notebooks are clean: no outputs, no execution counts, stable unique cell ids, no
 * per-machine metadata and no machine paths, so that diffs show only what an author changed and a
 * checkout leaks nothing about the machine that last ran it.
 */
import type { Notebook, NotebookCell } from './format';
import { sourceText, TSLAB_KERNELSPEC } from './format';

/** Cell metadata keys Jupyter front-ends add while running or viewing; none belongs in a commit. */
const VOLATILE_CELL_METADATA = ['execution', 'collapsed', 'scrolled', 'ExecuteTime', 'vscode', 'jupyter'];
/** Notebook metadata worth keeping; everything else (widgets, vscode interpreter, toc state) goes. */
const KEPT_NOTEBOOK_METADATA = ['kernelspec', 'language_info', 'rescom'];
/** Absolute paths that name a particular machine or user. */
const MACHINE_PATH = /(?:\/home\/[\w.-]+|\/Users\/[\w.-]+|\/root\/|\/work\/|\/tmp\/|[A-Za-z]:\\\\?Users)/;
/** Ids as nbformat 4.5 allows them: 1-64 characters of letters, digits, '-' and '_'. */
const VALID_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** A copy of the notebook with outputs, counts and volatile metadata removed; ids and sources kept. */
export function cleanNotebook(nb: Notebook): Notebook {
  const metadata: Notebook['metadata'] = {};
  for (const key of KEPT_NOTEBOOK_METADATA) if (nb.metadata[key] !== undefined) metadata[key] = nb.metadata[key];
  metadata.kernelspec = { ...TSLAB_KERNELSPEC };
  // language_info is rewritten by every kernel run (versions); keep only the stable name.
  metadata.language_info = { name: 'typescript' };
  return {
    nbformat: 4,
    nbformat_minor: Math.max(5, nb.nbformat_minor ?? 5),
    metadata,
    cells: nb.cells.map(cleanCell),
  };
}

function cleanCell(cell: NotebookCell): NotebookCell {
  const metadata = { ...cell.metadata };
  for (const key of VOLATILE_CELL_METADATA) delete metadata[key];
  if (Array.isArray(metadata.tags) && metadata.tags.length === 0) delete metadata.tags;
  const cleaned: NotebookCell = { cell_type: cell.cell_type, id: cell.id, metadata, source: sourceText(cell) };
  if (cell.cell_type === 'code') {
    cleaned.outputs = [];
    cleaned.execution_count = null;
  }
  if (cell.attachments !== undefined) cleaned.attachments = cell.attachments;
  return cleaned;
}

/**
 * Every reason the notebook is not clean, one line each (empty when clean). `file` names it in the
 * messages. Checks: nbformat >= 4.5, every cell has a valid id and ids are unique, no outputs, no
 * execution counts, no volatile metadata, kernel is tslab, and no machine paths anywhere in the text.
 */
export function notebookProblems(nb: Notebook, file = '<notebook>'): string[] {
  const problems: string[] = [];
  if (nb.nbformat !== 4 || (nb.nbformat_minor ?? 0) < 5) {
    problems.push(`${file}: nbformat must be 4.5 or later (cell ids); got ${nb.nbformat}.${nb.nbformat_minor}`);
  }
  if (nb.metadata.kernelspec?.name !== TSLAB_KERNELSPEC.name) {
    problems.push(
      `${file}: kernelspec must be '${TSLAB_KERNELSPEC.name}'; got '${nb.metadata.kernelspec?.name ?? 'none'}'`,
    );
  }
  for (const key of Object.keys(nb.metadata)) {
    if (!KEPT_NOTEBOOK_METADATA.includes(key))
      problems.push(`${file}: notebook metadata '${key}' should not be committed`);
  }
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    const where = `${file} cell ${index}${cell.id ? ` (${cell.id})` : ''}`;
    if (typeof cell.id !== 'string' || !VALID_ID.test(cell.id)) problems.push(`${where}: missing or invalid id`);
    else if (seen.has(cell.id)) problems.push(`${where}: id '${cell.id}' repeats cell ${seen.get(cell.id)}`);
    else seen.set(cell.id, index);
    if (cell.outputs && cell.outputs.length > 0) problems.push(`${where}: has ${cell.outputs.length} output(s)`);
    if (cell.execution_count !== undefined && cell.execution_count !== null) {
      problems.push(`${where}: has execution count ${cell.execution_count}`);
    }
    for (const key of VOLATILE_CELL_METADATA) {
      if (cell.metadata[key] !== undefined) problems.push(`${where}: cell metadata '${key}' should not be committed`);
    }
  });
  const text = JSON.stringify(nb);
  const machinePath = MACHINE_PATH.exec(text);
  if (machinePath) {
    const start = Math.max(0, machinePath.index - 30);
    problems.push(`${file}: contains a machine path near '${text.slice(start, machinePath.index + 40)}'`);
  }
  return problems;
}
