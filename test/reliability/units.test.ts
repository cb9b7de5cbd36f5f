import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorLine } from '../../src/cli/error-line';
import { parseIntegerOption, parseNumberOption } from '../../src/cli/parse-number';
import { decodeImage } from '../../src/data/image-decode';
import { prepareRunFolder } from '../../src/train/run-folder';
import { removeStaleTemporaries } from '../../src/util/atomic-write';
import { readJsonFile } from '../../src/util/read-file';
import { hugePngBytes, pngBytes } from './fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-units-'));

test('parseIntegerOption / parseNumberOption: plain decimals within bounds only', (t) => {
  const bounds = { min: 1, max: 100 };
  t.is(parseIntegerOption('x', 'n', '42', bounds), 42);
  t.is(parseIntegerOption('x', 'n', undefined, bounds, 7), 7);
  for (const bad of ['0x10', '1e1', '2.5', '', ' ', 'Infinity', '101', '0', '0b1', '1_0']) {
    t.throws(
      () => parseIntegerOption('x', 'n', bad, bounds),
      {
        message: new RegExp(
          `rescom x: --n must be an integer from 1 to 100 \\(plain decimal\\); got '${bad.trim() === bad ? bad : ' '}`,
        ),
      },
      bad,
    );
  }
  t.is(parseNumberOption('x', 'f', '5e-1', { min: 0, max: 1 }), 0.5);
  t.is(parseNumberOption('x', 'f', '.25', { min: 0, max: 1 }), 0.25);
  for (const bad of ['0x1', 'NaN', '-Infinity', '1.5', '1e400'])
    t.throws(
      () => parseNumberOption('x', 'f', bad, { min: 0, max: 1 }),
      { message: /--f must be a number from 0 to 1/ },
      bad,
    );
});

test('errorLine: one line, prefixed, naming the file of a bare EISDIR', (t) => {
  const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
    code: 'EISDIR',
    path: '/x/y',
  });
  t.is(
    errorLine(eisdir),
    "rescom: '/x/y' is a folder; expected a file (EISDIR: illegal operation on a directory, read)",
  );
  t.is(errorLine(new Error('f: invalid config:\n  a\n  b')), 'rescom: f: invalid config: a; b');
  t.is(errorLine(new Error('rescom eval: bad')), 'rescom eval: bad');
});

test('readJsonFile names the file for a folder, broken JSON and a non-object', (t) => {
  const dir = tmp();
  t.throws(() => readJsonFile(dir, 'f'), { message: new RegExp(`f: '${dir}' is a folder; expected a JSON object`) });
  fs.writeFileSync(path.join(dir, 'a.json'), '[1]');
  t.throws(() => readJsonFile(path.join(dir, 'a.json'), 'f'), {
    message: /a\.json' holds an array; expected a JSON object/,
  });
  fs.writeFileSync(path.join(dir, 'b.json'), '{"a":');
  t.throws(() => readJsonFile(path.join(dir, 'b.json'), 'f'), { message: /b\.json' is not valid JSON/ });
});

test("prepareRunFolder: --resume needs a checkpoint; 'if-present' starts fresh; a foreign folder needs force; temporaries are removed", (t) => {
  const dir = tmp();
  const run = path.join(dir, 'run');
  t.throws(() => prepareRunFolder({ runDir: run, resume: true, log: null }), { message: /--resume: no checkpoint/ });
  t.deepEqual(prepareRunFolder({ runDir: run, resume: 'if-present', log: null }), { checkpoint: null });
  t.false(fs.existsSync(run), 'a check creates nothing');
  fs.mkdirSync(path.join(run, 'checkpoints', '.epoch-0003.tmp-abc'), { recursive: true });
  fs.writeFileSync(path.join(run, '.log.jsonl.123.0.part'), 'x');
  fs.writeFileSync(path.join(run, 'log.jsonl'), '');
  const notes: string[] = [];
  t.deepEqual(prepareRunFolder({ runDir: run, log: (l) => notes.push(l) }), { checkpoint: null });
  t.regex(notes.join('\n'), /removed 2 temporary file\(s\)/);
  t.deepEqual(fs.readdirSync(path.join(run, 'checkpoints')), []);
  fs.writeFileSync(path.join(run, 'thesis.tex'), 'x');
  t.throws(() => prepareRunFolder({ runDir: run, log: null }), {
    message: /not a rescom run \(it holds 'thesis.tex'\).*--force/,
  });
  t.notThrows(() => prepareRunFolder({ runDir: run, force: true, log: null }));
});

test('removeStaleTemporaries keeps the temporaries of live processes', (t) => {
  const dir = tmp();
  const file = path.join(dir, 'data.bin');
  fs.writeFileSync(path.join(dir, `.data.bin.${process.ppid}.0.part`), 'live');
  fs.writeFileSync(path.join(dir, '.data.bin.999999999.0.part'), 'dead');
  t.deepEqual(removeStaleTemporaries(file), [path.join(dir, '.data.bin.999999999.0.part')]);
  t.true(fs.existsSync(path.join(dir, `.data.bin.${process.ppid}.0.part`)));
});

test('decodeImage refuses a PNG from its header size before decoding; a normal PNG still decodes', (t) => {
  const started = process.hrtime.bigint();
  t.throws(() => decodeImage(hugePngBytes(10001, 10001)), {
    message: /PNG header declares 10001x10001 pixels, above the 100-megapixel limit/,
  });
  t.true(Number(process.hrtime.bigint() - started) / 1e6 < 500, 'refused without decoding');
  const image = decodeImage(pngBytes(12, 10));
  t.deepEqual([image.height, image.width, image.channels], [10, 12, 3]);
});
