// Open a built book in headless Chromium (Debian's /usr/bin/chromium through playwright-core) and
// report, page by page: console errors, failed requests, figures that did not render (no plotly
// .main-svg), equations left as raw TeX or KaTeX errors; screenshots go to a git-ignored folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.RESCOM_CHROMIUM ?? '/usr/bin/chromium';

/** Why Chromium cannot be used here, or null. */
export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (Debian: apt-get install chromium)`;
}

export interface PageReport {
  page: string;
  consoleErrors: string[];
  failedRequests: string[];
  figures: number;
  renderedFigures: number;
  rawTex: string[];
  katexErrors: number;
  equations: number;
  screenshot: string | null;
}

/** Visible text outside code, scripts and typeset math: where raw TeX would show. */
const RAW_TEX_PROBE = `(() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, textarea, script, noscript, .katex, style').forEach((e) => e.remove());
  const text = clone.textContent || '';
  const hits = [];
  const patterns = [/\\$\\$[^$]+\\$\\$/g, /(^|[^\\\\$])\\$[^$\\s][^$]*\\$/g, /\\\\(frac|sum|log|exp|mathcal|mathbb|tau|beta|alpha|sqrt|cdot|left|right|begin)\\b/g];
  for (const p of patterns) for (const m of text.matchAll(p)) hits.push(m[0].trim().slice(0, 60));
  return hits;
})()`;

export async function launch(): Promise<Browser> {
  // playwright starts every launch with a new, empty profile (its own fresh --user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Check every .html page of `bookDir`; screenshots of `screenshot` pages go to `shotsDir`. */
export async function checkBook(bookDir: string, options: { shotsDir: string; screenshot?: (page: string) => boolean; figureTimeoutMs?: number }): Promise<PageReport[]> {
  const pages = fs.readdirSync(bookDir).filter((n) => n.endsWith('.html')).sort();
  fs.mkdirSync(options.shotsDir, { recursive: true });
  const browser = await launch();
  const reports: PageReport[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    for (const name of pages) {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      const failedRequests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => failedRequests.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
      await page.goto(pathToFileURL(path.join(bookDir, name)).href, { waitUntil: 'load' });
      const figures = await page.locator('.plotly-target').count();
      if (figures > 0) {
        await page.waitForFunction(`document.querySelectorAll('.plotly-target .main-svg').length >= ${figures}`, undefined, { timeout: options.figureTimeoutMs ?? 30000 }).catch(() => undefined);
      }
      const renderedFigures = (await page.evaluate(`Array.from(document.querySelectorAll('.plotly-target')).filter((t) => t.querySelector('.main-svg')).length`)) as number;
      const rawTex = (await page.evaluate(RAW_TEX_PROBE)) as string[];
      const katexErrors = await page.locator('.katex-error').count();
      const equations = await page.locator('.katex').count();
      let screenshot: string | null = null;
      if (options.screenshot?.(name)) {
        screenshot = path.join(options.shotsDir, name.replace(/\.html$/, '.png'));
        await page.screenshot({ path: screenshot, fullPage: false });
        // And the first figure, scrolled into view.
        if (figures > 0) await page.locator('figure.plotly-figure').first().screenshot({ path: screenshot.replace(/\.png$/, '-figure.png') });
      }
      reports.push({ page: name, consoleErrors, failedRequests, figures, renderedFigures, rawTex, katexErrors, equations, screenshot });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return reports;
}
