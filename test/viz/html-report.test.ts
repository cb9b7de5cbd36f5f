import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { renderHtmlReport, renderTextReport, writeHtmlReport } from '../../src/viz';

const fig = (name: string) => ({
  data: [{ type: 'bar', name, x: ['a', 'b'], y: [1, 2] }],
  layout: { title: { text: `${name} & </script> <b>` } },
});

test('HTML report: plotly inlined once, one plot per figure, valid scripts, escaped text, tables, atomic write', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rescom-report-'));
  try {
    const path = join(dir, 'out', 'report.html');
    const bytes = writeHtmlReport(
      {
        title: 'Run <1>',
        sections: [
          { heading: 'First', text: 'para one\n\npara & two', figure: fig('f1') },
          {
            heading: 'Second',
            figure: fig('f2'),
            table: [
              { group: 'many', accuracy: 0.5 },
              { group: 'few', accuracy: null },
            ],
          },
          { heading: 'Text only', text: 'no figure here' },
        ],
      },
      path,
    );
    const html = readFileSync(path, 'utf8');
    t.is(Buffer.byteLength(html), bytes);
    const plotlySource = readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
    t.true(bytes > plotlySource.length);
    t.is(html.split(plotlySource.slice(0, 200)).length - 1, 1, 'plotly.js appears exactly once');
    t.false(/<script[^>]+src=/.test(html), 'no external scripts: works offline');
    t.is(html.split('Plotly.newPlot(').length - 1, 2);
    t.true(/<title>Run &lt;1&gt;<\/title>/.test(html), String(/<title>Run &lt;1&gt;<\/title>/));
    t.true(/<p>para &amp; two<\/p>/.test(html), String(/<p>para &amp; two<\/p>/));
    t.true(
      /<td class="num">0.5<\/td><\/tr>\n<tr><td>few<\/td><td class="missing">-<\/td>/.test(html),
      String(/<td class="num">0.5<\/td><\/tr>\n<tr><td>few<\/td><td class="missing">-<\/td>/),
    );
    t.true(/<noscript><pre>== f1 &amp; +==/.test(html), String(/<noscript><pre>== f1 &amp; +==/)); // plotly markup stripped, the rest escaped
    // Every inline script except plotly's own parses as JavaScript, and the figure JSON survives.
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
      .map((m) => m[1])
      .filter((s) => s.startsWith('Plotly.newPlot'));
    t.is(scripts.length, 2);
    const plotted: unknown[][] = [];
    for (const s of scripts) {
      t.notThrows(() => new vm.Script(s));
      vm.runInNewContext(s, { Plotly: { newPlot: (...args: unknown[]) => plotted.push(args) } });
    }
    t.deepEqual(plotted[0][1], fig('f1').data);
    t.deepEqual(plotted[1][2], fig('f2').layout);
    t.deepEqual(readdirSync(join(dir, 'out')), ['report.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a report without figures does not inline plotly; text report and bad input', (t) => {
  const html = renderHtmlReport({ title: 'T', sections: [{ heading: 'H', table: [{ a: 1 }] }] });
  t.true(html.length < 5000);
  t.regex(
    renderTextReport({ title: 'T', sections: [{ heading: 'H', figure: fig('f'), table: [{ a: 1 }] }] }),
    /# T\n\n## H\n== f/,
  );
  t.throws(() => renderHtmlReport({ title: 'T', sections: [{ heading: 3 as never }] }), {
    message: /sections\[0\]\.heading must be a string/,
  });
});
