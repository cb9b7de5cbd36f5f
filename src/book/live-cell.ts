/**
 * The HTML of a live cell (a code cell tagged `live`): its run bar, the highlighted code with an
 * editable copy, the outputs of the executed notebook (replaced by the page's own once it runs)
 * and a place for the file:// note. src/book/browser/main.ts gives it life; the cell's code must
 * use only the names of src/book/browser/scope.ts (checked by `checkLiveSource`).
 */
import { escapeHtml } from './markdown';

export const LIVE_TAG = 'live';

/** The live cell's markup; `codeHtml` is the highlighted `<pre class="code">`, `outputsHtml` the executed outputs. */
export function liveCellHtml(o: { id: string; source: string; codeHtml: string; outputsHtml: string }): string {
  if (!/^[A-Za-z0-9_-]+$/.test(o.id)) throw new Error(`liveCellHtml: a live cell needs an id of letters, digits, '-' or '_'; got '${o.id}'`);
  return [
    `<div class="cell live-cell" id="cell-${o.id}" data-live-id="${o.id}">`,
    '<div class="live-bar"><span class="live-tag" title="This cell runs in your browser">live</span>',
    '<button type="button" class="live-run">&#9654; Run</button><button type="button" class="live-edit">Edit</button>',
    '<button type="button" class="live-reset">Reset</button><span class="live-status" data-state="idle">runs in this page</span></div>',
    '<p class="live-file-note" hidden></p>',
    o.codeHtml,
    `<textarea class="live-code" hidden spellcheck="false" autocomplete="off" aria-label="code of cell ${o.id}">${escapeHtml(o.source)}</textarea>`,
    o.outputsHtml,
    '<div class="live-output" hidden></div>',
    '</div>',
  ].join('');
}

/** The banner a page with live cells opens with (filled in by the page runtime). */
export const LIVE_BANNER = '<div class="live-banner" role="note">This page has live cells: they run in your browser once its script has loaded.</div>';
