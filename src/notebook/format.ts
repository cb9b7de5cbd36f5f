/**
 * The Jupyter notebook file format (nbformat 4.5, the first minor version with cell ids), read and
 * written the way Jupyter itself writes it: one-space indentation, sorted cell keys, trailing newline,
 * so that a notebook cleaned here and saved by JupyterLab produce the same diff.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type CellType = 'code' | 'markdown' | 'raw';

/** One output of an executed code cell (only the fields this library reads are typed). */
export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: 'stdout' | 'stderr';
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

export interface NotebookCell {
  cell_type: CellType;
  id: string;
  metadata: { tags?: string[]; [key: string]: unknown };
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name: string; display_name: string; language?: string }; [key: string]: unknown };
  nbformat: number;
  nbformat_minor: number;
}

/** The kernel every notebook of the series names (installed by `npm run kernel:install`). */
export const TSLAB_KERNELSPEC = { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } as const;

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function sourceText(cell: Pick<NotebookCell, 'source'>): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Split text into the list-of-lines form Jupyter writes (each line keeps its '\n', the last may not). */
export function sourceLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/** Concatenated text of an output (stream text or a text/plain bundle). */
export function outputText(output: NotebookOutput): string {
  const raw = output.text ?? (output.data?.['text/plain'] as string | string[] | undefined) ?? '';
  return Array.isArray(raw) ? raw.join('') : raw;
}

export function hasTag(cell: NotebookCell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** Parse notebook JSON, checking the parts this library relies on. `file` only names the source in errors. */
export function parseNotebook(json: string, file = '<notebook>'): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`parseNotebook: ${file} is not valid JSON (${(error as Error).message})`);
  }
  const nb = value as Notebook;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) {
    throw new Error(`parseNotebook: ${file} must be a notebook object with a 'cells' array; got ${typeof value}`);
  }
  if (nb.nbformat !== 4) throw new Error(`parseNotebook: ${file} must be nbformat 4; got ${String(nb.nbformat)}`);
  nb.cells.forEach((cell, index) => {
    if (!['code', 'markdown', 'raw'].includes(cell.cell_type)) {
      throw new Error(
        `parseNotebook: ${file} cell ${index} has cell_type '${String(cell.cell_type)}'; expected code, markdown or raw`,
      );
    }
    cell.metadata ??= {};
  });
  nb.metadata ??= {};
  return nb;
}

export function readNotebook(file: string): Notebook {
  return parseNotebook(fs.readFileSync(file, 'utf8'), file);
}

/** Serialise like Jupyter does: keys sorted, one-space indent, list-of-lines sources, final newline. */
export function serializeNotebook(nb: Notebook): string {
  const normalised: Notebook = {
    ...nb,
    cells: nb.cells.map((cell) => ({ ...cell, source: sourceLines(sourceText(cell)) })),
  };
  return `${JSON.stringify(sortKeys(normalised), null, 1)}\n`;
}

/** Write atomically: a temp file in the same folder, then rename, so a reader never sees half a notebook. */
export function writeNotebook(file: string, nb: Notebook): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, serializeNotebook(nb));
  fs.renameSync(temp, file);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
