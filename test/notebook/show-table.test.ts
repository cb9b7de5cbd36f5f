import test from 'ava';
import { displayTable, showTable, tableHtml, tableRows, tableText } from '../../src/notebook';

const rows = [
  { class: 'head', images: 1000, accuracy: 0.91234 },
  { class: 'tail <b>', images: 10, accuracy: null },
];

test('tableText aligns columns, right-aligns numbers and shows missing cells as -', (t) => {
  t.is(
    tableText(rows),
    [
      'class     images  accuracy',
      '--------  ------  --------',
      'head        1000    0.9123',
      'tail <b>      10         -',
    ].join('\n'),
  );
  t.is(tableText([]), '(no rows)');
});

test('tableHtml escapes cells and right-aligns numbers', (t) => {
  const html = tableHtml(rows, { caption: 'A & B' });
  t.true(
    html.startsWith(
      '<table><caption>A &amp; B</caption><thead><tr><th>class</th><th>images</th><th>accuracy</th></tr></thead>',
    ),
  );
  t.true(html.includes('<td style="text-align:left">tail &lt;b&gt;</td><td style="text-align:right">10</td>'));
});

test('tableRows reads a DataFrame-like object column by column', (t) => {
  t.deepEqual(
    tableRows({
      columns: ['a', 'b'],
      values: [
        [1, 'x'],
        [2, 'y'],
      ],
    }),
    [
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ],
  );
  t.throws(() => tableRows(42 as never), {
    message: /showTable: table must be an array of row objects or a danfojs DataFrame; got number/,
  });
});

test('showTable sends HTML to a notebook display and text elsewhere', (t) => {
  const shown: string[] = [];
  t.is(displayTable(rows, { display: { html: (s) => shown.push(s), text: () => undefined } }), 'notebook');
  t.regex(shown[0], /^<table>/);
  const printed: string[] = [];
  t.is(displayTable(rows, { display: null, print: (s) => printed.push(s), caption: 'cap' }), 'text');
  t.regex(printed[0], /^cap\nclass {5}images/);
});

test('showTable returns nothing (tslab would print a returned value under the table)', (t) => {
  t.is(showTable(rows, { display: null, print: () => undefined }), undefined);
});
