import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRepeats, loadListImageSet, readImageList, type RepeatedEntry } from '../../src/data';

function list(lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-list-'));
  const file = path.join(dir, 'train.txt');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function readAll(file: string, onRepeat?: (r: RepeatedEntry) => void) {
  const entries = [];
  for await (const e of readImageList(file, { onRepeat })) entries.push(e);
  return entries;
}

test('an image listed twice with two labels is refused, naming both lines', async (t) => {
  const file = list(['a/x.png 0', 'b/y.png 1', 'a/./x.png 3']);
  await t.throwsAsync(readAll(file), {
    message: `${file}: at line 3: expected one label per image (line 1 lists "a/x.png" with label 0); got label 3 for the same image`,
  });
  // A checker that lists every problem (data-scripts/image-lists/check.ts) takes the conflict instead.
  const conflicts: Array<[number, number, number]> = [];
  const entries = [];
  for await (const e of readImageList(file, {
    onConflict: (c) => conflicts.push([c.entry.line, c.firstLine, c.firstLabel]),
  }))
    entries.push(e);
  t.deepEqual(conflicts, [[3, 1, 0]]);
  t.is(entries.length, 3);
});

test('exact repeats are kept and reported, counted with their lines; a normalised path is the same image', async (t) => {
  const file = list(['a/x.png 0', 'b/y.png 1', 'a/x.png 0', '', 'a//x.png 0', 'c/z.png 2']);
  const repeats: RepeatedEntry[] = [];
  const entries = await readAll(file, (r) => repeats.push(r));
  t.deepEqual(
    entries.map((e) => e.line),
    [1, 2, 3, 5, 6],
    'every entry is kept, as listed',
  );
  t.deepEqual(
    repeats.map((r) => [r.entry.line, r.firstLine]),
    [
      [3, 1],
      [5, 1],
    ],
  );
  const set = await loadListImageSet({ listFile: file, root: path.dirname(file), numClasses: 3, size: 8 });
  t.deepEqual(set.repeats, { count: 2, examples: ["line 3 = line 1 'a/x.png'", "line 5 = line 1 'a//x.png'"] });
  t.is(
    describeRepeats(set),
    `${file}: 2 entries repeat an earlier one exactly (same image, same label), kept as listed: line 3 = line 1 'a/x.png', line 5 = line 1 'a//x.png'`,
  );
  const clean = await loadListImageSet({ listFile: list(['a.png 0', 'b.png 1']), root: '.', numClasses: 2, size: 8 });
  t.is(describeRepeats(clean), '');
});
