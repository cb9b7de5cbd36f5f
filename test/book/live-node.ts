// The live cells of a chapter run in Node, the way the page runs them (one program, cells in order,
// TypeScript stripped by Sucrase, the names of src/book/browser/scope.ts), against the library from
// src/: the reference the browser's results are compared with (test/book/live-cells.ts).
import { transform } from 'sucrase';
import * as rc from '../../src/index';
import { claim, claimRange, claimTrue } from '../../src/notebook/claim';
import { assertClose, CHECK_LINE, check } from '../../src/notebook/check';
import { budget, quickMode } from '../../src/notebook/quick-mode';

export interface NodeClaim {
  text: string;
  value?: number;
  passed: boolean;
}

export interface NodeCellResult {
  id: string;
  ok: boolean;
  error: string | null;
  logs: string[];
  claims: NodeClaim[];
}

/** Runs the cells in order; results of the cells that ran (a failing cell ends the program). */
export async function runLiveCellsInNode(cells: { id: string; code: string }[]): Promise<NodeCellResult[]> {
  const results: NodeCellResult[] = [];
  let current: NodeCellResult | null = null;
  const gate = (i: number) => {
    current = { id: cells[i].id, ok: true, error: null, logs: [], claims: [] };
    results.push(current);
  };
  const cur = () => current as unknown as NodeCellResult;
  const print = (...args: unknown[]) => cur().logs.push(args.map(String).join(' '));
  const record = (text: string, value?: number) => () => cur().claims.push({ text, value, passed: true });
  const scope: Record<string, unknown> = {
    rc,
    tf: rc.tf,
    budget,
    quickMode,
    check: (name: string, test: () => unknown) =>
      check(name, test, { print: (line) => cur().claims.push({ text: name, passed: CHECK_LINE.exec(line)?.[1] === 'PASS' }) }),
    assertClose,
    showTable: () => undefined,
    showFigure: () => undefined,
    liveFigure: () => ({ update: () => Promise.resolve(), done: () => undefined }),
    claim: (text: string, value: number, expected: number, tol: number) => claim(text, value, expected, tol, { print: record(text, value) }),
    claimRange: (text: string, value: number, lo: number, hi: number) => claimRange(text, value, lo, hi, { print: record(text, value) }),
    claimTrue: (text: string, condition: boolean, detail = '') => claimTrue(text, condition, detail, { print: record(text) }),
    console: { ...console, log: print, info: print, warn: print },
  };
  const body = cells
    .map((c, i) => `__gate(${i});\n${transform(c.code, { transforms: ['typescript'], disableESTransforms: true }).code}`)
    .join('\n;\n');
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<unknown>;
  const program = new AsyncFunction('__gate', ...Object.keys(scope), body);
  try {
    await program(gate, ...Object.values(scope));
  } catch (error) {
    const last = cur();
    last.ok = false;
    last.error = (error as Error).message;
  }
  return results;
}
