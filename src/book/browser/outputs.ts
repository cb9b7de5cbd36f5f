/**
 * Where a live cell's outputs go in the page: printed lines, tables (the library's `showTable`
 * HTML), plotly figures (the library's `showFigure` bundle, drawn with the page's plotly), live
 * figures, and the visible checks (the library's `claim*` and `check` lines, one ✓ or ✗ each).
 * Every output is also recorded as data, so that the browser test can compare it with Node.
 */
export interface ClaimRecord {
  kind: 'claim' | 'claimRange' | 'claimTrue' | 'check';
  text: string;
  /** claim / claimRange: the computed value. */
  value?: number;
  passed: boolean;
  detail?: string;
}

export interface CellRecord {
  logs: string[];
  claims: ClaimRecord[];
  tables: number;
  figures: number;
}

type PlotlyGlobal = {
  newPlot(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
  react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
};

function plotly(): PlotlyGlobal | null {
  return (globalThis as { Plotly?: PlotlyGlobal }).Plotly ?? null;
}

function layoutOf(fig: { layout?: Record<string, unknown> }): Record<string, unknown> {
  const layout = { ...(fig.layout ?? {}) };
  // Python's named templates mean nothing to plotly.js (as in the book's static figures).
  if (typeof layout.template === 'string') delete layout.template;
  // As the book's static figures (assets.ts): a figure that fixes its width keeps it.
  layout.autosize = !layout.width;
  return layout;
}

/** One run's output area. `visible` false: a preceding cell run silently (its outputs dropped). */
export class CellOutput {
  readonly record: CellRecord = { logs: [], claims: [], tables: 0, figures: 0 };
  private text: HTMLPreElement | null = null;
  private checks: HTMLUListElement | null = null;

  constructor(
    private readonly root: HTMLElement | null,
    readonly visible: boolean,
  ) {}

  private append(el: HTMLElement): void {
    if (this.visible && this.root) this.root.appendChild(el);
  }

  log(line: string): void {
    this.record.logs.push(line);
    if (!this.visible || !this.root) return;
    if (!this.text || this.root.lastElementChild !== this.text) {
      this.text = document.createElement('pre');
      this.text.className = 'output';
      this.append(this.text);
    }
    this.text.textContent += `${line}\n`;
  }

  html(markup: string): void {
    this.record.tables++;
    const div = document.createElement('div');
    div.className = 'output html';
    div.innerHTML = markup;
    this.append(div);
  }

  figure(fig: { data?: unknown[]; layout?: Record<string, unknown> }): HTMLElement | null {
    this.record.figures++;
    if (!this.visible || !this.root) return null;
    const div = document.createElement('div');
    div.className = 'plotly-target live-figure';
    this.append(div);
    const p = plotly();
    if (p) void p.newPlot(div, fig.data ?? [], layoutOf(fig), { responsive: true, displaylogo: false });
    else div.textContent = '(plotly did not load: the figure cannot be drawn)';
    return div;
  }

  redraw(div: HTMLElement | null, fig: { data?: unknown[]; layout?: Record<string, unknown> }): void {
    const p = plotly();
    if (div && p) void p.react(div, fig.data ?? [], layoutOf(fig), { responsive: true, displaylogo: false });
  }

  check(record: ClaimRecord): void {
    this.record.claims.push(record);
    if (!this.visible || !this.root) return;
    if (!this.checks) {
      const box = document.createElement('details');
      box.className = 'checks live-checks';
      box.open = true;
      box.innerHTML = '<summary></summary><ul></ul>';
      this.append(box);
      this.checks = box.querySelector('ul');
    }
    const li = document.createElement('li');
    li.className = record.passed ? 'pass' : 'fail';
    li.textContent = `${record.passed ? '✓' : '✗'} ${record.text}${record.detail ? ` (${record.detail})` : ''}`;
    this.checks!.appendChild(li);
    const passed = this.record.claims.filter((c) => c.passed).length;
    const failed = this.record.claims.length - passed;
    this.checks!.parentElement!.querySelector('summary')!.textContent =
      `${failed ? '✗' : '✓'} ${passed} check${passed === 1 ? '' : 's'} passed${failed ? `, ${failed} failed` : ''} in this browser`;
  }

  error(message: string): void {
    const pre = document.createElement('pre');
    pre.className = 'output error';
    pre.textContent = message;
    if (this.root) this.root.appendChild(pre);
  }
}
