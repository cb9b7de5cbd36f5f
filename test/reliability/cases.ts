/**
 * The bad-input table: one entry per case. Each case prepares its files in a fresh folder, names
 * the command line a user would type, and the strings its one-line error must contain (the file or
 * the option). bad-inputs.test.ts runs each as a child process and asserts the exit code, the
 * message, that no stack trace shows and that the folder is unchanged; docs/bad-inputs.md lists them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hugePngBytes, writeCifar10, writeCifar100, writeFashionMnist } from './fixtures';
import { copyTree } from './harness';
import { imageListCase as imageList, tinyArgs, type BadInputCase, type CaseContext } from './case-kit';
import { DISK_CASES } from './cases-disk';
import { ENVIRONMENT_CASES } from './cases-environment';
import { RESUME_CASES } from './cases-resume';
import { WRITER_CASES } from './cases-writers';

export { tinyArgs, type BadInputCase, type CaseContext, type CaseSetup } from './case-kit';

const train = (...args: string[]) => ['train', ...args];
/** A copy of the finished base run at DIR/run; returns its path and its checkpoint folder. */
function copyRun(ctx: CaseContext): { run: string; ckpt: string } {
  const run = path.join(ctx.dir, 'run');
  copyTree(ctx.baseRun, run);
  return { run, ckpt: path.join(run, 'checkpoints', 'epoch-0001') };
}
function editState(file: string, edit: (state: { config: Record<string, unknown> }) => void): void {
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(saved.state);
  fs.writeFileSync(file, JSON.stringify(saved));
}
function truncate(file: string, keep: number): void {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, Math.max(0, bytes.length - keep)));
}
const number = (option: string, value: string, name = option): BadInputCase => ({
  id: `train --${option} ${value || "''"}`,
  area: 'numbers',
  what: `\`rescom train --${option} ${value || "''"}\` is refused before anything is read`,
  setup: () => ({ args: train(`--${option}`, value), names: [name] }),
});
const fmnist = (
  id: string,
  what: string,
  damage: (files: ReturnType<typeof writeFashionMnist>, dir: string) => string,
  options: Parameters<typeof writeFashionMnist>[1] = {},
): BadInputCase => ({
  id: `fashion-mnist: ${id}`,
  area: 'reader',
  what,
  setup: (ctx) => {
    const dir = path.join(ctx.dir, 'fmnist');
    const files = writeFashionMnist(dir, options);
    const named = damage(files, dir);
    return {
      args: train(
        '--config',
        'fashion-mnist-lt-if10',
        '--dataDir',
        dir,
        '--nMax',
        '3',
        '--run-dir',
        path.join(ctx.dir, 'run'),
      ),
      names: [named],
    };
  },
});
const cifar = (id: string, what: string, damage: (files: string[], dir: string) => string): BadInputCase => ({
  id: `cifar-10: ${id}`,
  area: 'reader',
  what,
  setup: (ctx) => {
    const dir = path.join(ctx.dir, 'cifar');
    const named = damage(writeCifar10(dir), dir);
    return {
      args: train(
        '--config',
        'cifar10-lt-if100',
        '--dataDir',
        dir,
        '--nMax',
        '4',
        '--run-dir',
        path.join(ctx.dir, 'run'),
      ),
      names: [named],
    };
  },
});
const checkpoint = (
  id: string,
  what: string,
  damage: (c: { run: string; ckpt: string }) => string,
  command: 'resume' | 'eval' = 'resume',
): BadInputCase => ({
  id: `checkpoint: ${id}${command === 'eval' ? ' (eval)' : ''}`,
  area: 'checkpoint',
  what,
  setup: (ctx) => {
    const c = copyRun(ctx);
    const named = damage(c);
    return {
      args: command === 'eval' ? ['eval', '--checkpoint', c.run] : train('--run-dir', c.run, '--resume'),
      names: [named],
    };
  },
});

const FIRST_ROUND: BadInputCase[] = [
  // Numbers: plain decimals within bounds.
  number('epochs', '1e12'),
  number('epochs', '0'),
  number('epochs', '20000'),
  number('epochs', '2.5'),
  number('epochs', '0x10'),
  number('lr', '0x10'),
  number('lr', 'Infinity'),
  number('lr', ''),
  number('lr', '-0.1'),
  number('lr', '1e5'),
  number('batchSize', '1000000'),
  number('batchSize', '1'),
  number('seed', '-1'),
  number('momentum', '1.5'),
  number('imageSize', '100000'),
  number('queuePerClass', '0b11'),
  number('temperature', 'NaN'),
  number('stepEpochs', '8,x'),
  {
    id: 'train --set epochs=abc',
    area: 'numbers',
    what: '`--set epochs=abc` is refused',
    setup: () => ({ args: train('--set', 'epochs=abc'), names: ["'epochs'", "'abc'"] }),
  },
  {
    id: 'train --stop-after-epochs 0',
    area: 'numbers',
    what: '`--stop-after-epochs 0` is refused',
    setup: () => ({ args: train('--stop-after-epochs', '0'), names: ['--stop-after-epochs', "'0'"] }),
  },
  {
    id: 'train --stop-after-epochs 1e3',
    area: 'numbers',
    what: '`--stop-after-epochs 1e3` (not a plain integer) is refused',
    setup: () => ({ args: train('--stop-after-epochs', '1e3'), names: ['--stop-after-epochs', "'1e3'"] }),
  },
  {
    id: 'train --warmupEpochs 5 --epochs 3',
    area: 'numbers',
    what: 'a warm-up as long as the run is refused',
    setup: () => ({ args: train('--warmupEpochs', '5', '--epochs', '3'), names: ["'warmupEpochs'"] }),
  },
  {
    id: 'demo --epochs 0',
    area: 'numbers',
    what: '`rescom demo --epochs 0` is refused',
    setup: () => ({ args: ['demo', '--epochs', '0'], names: ['--epochs', "'0'"] }),
  },
  {
    id: 'demo --epochs 0x10',
    area: 'numbers',
    what: '`rescom demo --epochs 0x10` is refused (not read as 16)',
    setup: () => ({ args: ['demo', '--epochs', '0x10'], names: ['--epochs', "'0x10'"] }),
  },
  {
    id: 'eval --batch-size 0',
    area: 'numbers',
    what: '`rescom eval --batch-size 0` is refused',
    setup: (ctx) => ({ args: ['eval', '--checkpoint', ctx.dir, '--batch-size', '0'], names: ['--batch-size', "'0'"] }),
  },
  {
    id: 'simulate --classes 1',
    area: 'numbers',
    what: '`rescom simulate --classes 1` is refused',
    setup: () => ({ args: ['simulate', '--classes', '1'], names: ['--classes', "'1'"] }),
  },
  {
    id: 'simulate --if 0x10',
    area: 'numbers',
    what: '`rescom simulate --if 0x10` is refused',
    setup: () => ({ args: ['simulate', '--if', '0x10'], names: ['--if', "'0x10'"] }),
  },
  {
    id: 'simulate --batches 1e9',
    area: 'numbers',
    what: '`rescom simulate --batches 1e9` is refused',
    setup: () => ({ args: ['simulate', '--batches', '1e9'], names: ['--batches', "'1e9'"] }),
  },
  {
    id: 'simulate --seed abc',
    area: 'numbers',
    what: '`rescom simulate --seed abc` is refused',
    setup: () => ({ args: ['simulate', '--seed', 'abc'], names: ['--seed', "'abc'"] }),
  },
  {
    id: 'grade --time-limit 0',
    area: 'numbers',
    what: '`rescom grade --time-limit 0` is refused',
    setup: (ctx) => {
      const nb = path.join(ctx.dir, 'x.ipynb');
      fs.writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
      return { args: ['grade', nb, '--time-limit', '0'], names: ['--time-limit', "'0'"], exit: 2 };
    },
  },

  // Options and names.
  {
    id: 'train --set name=../../x',
    area: 'options',
    what: 'a config name with path separators (would write outside runs/) is refused',
    setup: () => ({ args: train('--set', 'name=../../x'), names: ["'name'", '../../x'] }),
  },
  {
    id: 'train --set name=a/b',
    area: 'options',
    what: 'a config name with a slash is refused',
    setup: () => ({ args: train('--set', 'name=a/b'), names: ["'name'", 'a/b'] }),
  },
  {
    id: 'train --set optimizer=adam',
    area: 'options',
    what: 'an unknown config field is refused, with the valid ones',
    setup: () => ({ args: train('--set', 'optimizer=adam'), names: ["'optimizer'"] }),
  },
  {
    id: 'train --set epochs',
    area: 'options',
    what: '`--set` without `=` is refused',
    setup: () => ({ args: train('--set', 'epochs'), names: ['--set', "'epochs'"] }),
  },
  {
    id: 'train --epoch 3',
    area: 'options',
    what: 'a misspelt option is refused with the closest field',
    setup: () => ({ args: train('--epoch', '3'), names: ["'--epoch'", 'epochs'] }),
  },
  {
    id: 'train --method moco',
    area: 'options',
    what: 'an unknown method is refused, with the valid ones',
    setup: () => ({ args: train('--method', 'moco'), names: ["'method'", 'moco'] }),
  },
  {
    id: 'train --config nope',
    area: 'options',
    what: 'an unknown config is refused, with the valid ones',
    setup: () => ({ args: train('--config', 'nope'), names: ["'nope'"] }),
  },
  {
    id: 'train --epochs (no value)',
    area: 'options',
    what: 'an option without its value is refused',
    setup: () => ({ args: train('--epochs'), names: ['--epochs'] }),
  },
  {
    id: 'train --backend cuda',
    area: 'options',
    what: 'an unknown backend is refused',
    setup: (ctx) => ({
      args: train('--backend', 'cuda', '--run-dir', path.join(ctx.dir, 'r')),
      names: ['backend', "'cuda'"],
    }),
  },
  {
    id: 'demo --methods ,',
    area: 'options',
    what: '`rescom demo --methods ,` (no method) is refused',
    setup: () => ({ args: ['demo', '--methods', ','], names: ['--methods', "','"] }),
  },
  {
    id: 'demo --methods balsfx,nope',
    area: 'options',
    what: 'an unknown demo method is refused',
    setup: () => ({ args: ['demo', '--methods', 'balsfx,nope'], names: ['--methods', 'balsfx,nope'] }),
  },
  {
    id: 'demo --methods balsfx,balsfx',
    area: 'options',
    what: 'a repeated demo method is refused',
    setup: () => ({ args: ['demo', '--methods', 'balsfx,balsfx'], names: ['--methods'] }),
  },
  {
    id: 'eval: no shipped model',
    area: 'options',
    what: '`rescom eval` without --checkpoint where no model is shipped names the folder and --checkpoint',
    setup: (ctx) => {
      const models = path.join(ctx.dir, 'models');
      fs.mkdirSync(models);
      return { args: ['eval', '--models-dir', models], names: [models, '--checkpoint'] };
    },
  },
  {
    id: 'eval --split train',
    area: 'options',
    what: 'an unknown split is refused',
    setup: (ctx) => ({ args: ['eval', '--checkpoint', ctx.dir, '--split', 'train'], names: ['--split', "'train'"] }),
  },
  {
    id: 'eval --checkpoint missing',
    area: 'options',
    what: 'a checkpoint path that does not exist is named',
    setup: (ctx) => ({
      args: ['eval', '--checkpoint', path.join(ctx.dir, 'nothing-here')],
      names: ['--checkpoint', path.join(ctx.dir, 'nothing-here')],
    }),
  },
  {
    id: 'eval --chekpoint x',
    area: 'options',
    what: 'a misspelt eval option is refused, listing the options',
    setup: () => ({ args: ['eval', '--chekpoint', 'x'], names: ["'--chekpoint'", '--checkpoint'] }),
  },
  {
    id: 'simulate --out x --no-html',
    area: 'options',
    what: 'contradicting options are refused',
    setup: () => ({ args: ['simulate', '--out', 'x.html', '--no-html'], names: ['--out', '--no-html'] }),
  },
  {
    id: 'report (no folder)',
    area: 'options',
    what: '`rescom report` without RUN_DIR is refused',
    setup: () => ({ args: ['report'], names: ['RUN_DIR'] }),
  },
  {
    id: 'report extra argument',
    area: 'options',
    what: '`rescom report a b` is refused',
    setup: () => ({ args: ['report', 'a', 'b'], names: ['RUN_DIR'] }),
  },
  {
    id: 'parity --input missing.json',
    area: 'options',
    what: 'a parity case file that does not exist is named',
    setup: (ctx) => ({
      args: ['parity', '--input', path.join(ctx.dir, 'missing.json')],
      names: ['--input', 'missing.json'],
      exit: 2,
    }),
  },
  {
    id: 'parity --input not JSON',
    area: 'options',
    what: 'a parity case file that is not JSON is named',
    setup: (ctx) => {
      const f = path.join(ctx.dir, 'case.json');
      fs.writeFileSync(f, '{ not json');
      return { args: ['parity', '--input', f], names: [f], exit: 2 };
    },
  },
  {
    id: 'unknown command',
    area: 'options',
    what: 'an unknown command is refused with the list of commands',
    setup: () => ({ args: ['trian'], names: ["'trian'"], exit: 2 }),
  },
  {
    id: 'backend --backend cuda',
    area: 'backend',
    what: '`rescom backend --backend cuda` is refused',
    setup: () => ({ args: ['backend', '--backend', 'cuda'], names: ['backend', "'cuda'"] }),
  },

  // Run folders.
  {
    id: 'resume: folder missing, with overrides',
    area: 'run folder',
    what: '`--resume` on a folder that does not exist fails even with overrides (used to train from scratch)',
    setup: (ctx) => ({
      args: train('--run-dir', path.join(ctx.dir, 'nope'), '--resume', ...tinyArgs(ctx.tinyData)),
      names: ['--resume', path.join(ctx.dir, 'nope')],
    }),
  },
  {
    id: 'resume: folder missing',
    area: 'run folder',
    what: '`--resume` on a folder that does not exist',
    setup: (ctx) => ({
      args: train('--run-dir', path.join(ctx.dir, 'nope'), '--resume'),
      names: ['--resume', path.join(ctx.dir, 'nope')],
    }),
  },
  {
    id: 'resume: empty folder',
    area: 'run folder',
    what: '`--resume` on an empty folder',
    setup: (ctx) => {
      fs.mkdirSync(path.join(ctx.dir, 'empty'));
      return {
        args: train('--run-dir', path.join(ctx.dir, 'empty'), '--resume', ...tinyArgs(ctx.tinyData)),
        names: ['--resume', path.join(ctx.dir, 'empty')],
      };
    },
  },
  {
    id: 'run-dir: a foreign folder',
    area: 'run folder',
    what: '`--run-dir` at a non-empty folder that is not a run is refused (its config.json and notes stay)',
    setup: (ctx) => {
      const foreign = path.join(ctx.dir, 'mine');
      fs.mkdirSync(foreign);
      fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
      fs.writeFileSync(path.join(foreign, 'config.json'), '{"mine": true}');
      return { args: train('--run-dir', foreign, ...tinyArgs(ctx.tinyData)), names: ['--run-dir', foreign, '--force'] };
    },
  },
  {
    id: 'run-dir: a file',
    area: 'run folder',
    what: '`--run-dir` naming a file is refused',
    setup: (ctx) => {
      const file = path.join(ctx.dir, 'file.txt');
      fs.writeFileSync(file, 'x');
      return { args: train('--run-dir', file, ...tinyArgs(ctx.tinyData)), names: ['--run-dir', file] };
    },
  },
  {
    id: 'run-dir: below a file',
    area: 'run folder',
    what: '`--run-dir` that cannot be created (a file on its path) is refused before training',
    setup: (ctx) => {
      const file = path.join(ctx.dir, 'file.txt');
      fs.writeFileSync(file, 'x');
      return {
        args: train('--run-dir', path.join(file, 'run'), ...tinyArgs(ctx.tinyData)),
        names: ['--run-dir', file],
      };
    },
  },
  {
    id: 'run-dir: holds a checkpoint',
    area: 'run folder',
    what: 'a fresh run in a folder with a checkpoint is refused (nothing overwritten)',
    setup: (ctx) => {
      const { run } = copyRun(ctx);
      return { args: train('--run-dir', run, ...tinyArgs(ctx.tinyData)), names: [run, '--resume'] };
    },
  },
  {
    id: 'resume: another config',
    area: 'run folder',
    what: '`--resume` with overrides that differ from the checkpoint names the fields',
    setup: (ctx) => {
      const { run } = copyRun(ctx);
      return {
        args: train('--run-dir', run, '--resume', ...tinyArgs(ctx.tinyData), '--lr', '0.2'),
        names: ['lr', run],
      };
    },
  },

  // Checkpoints: verified on load, errors name the file.
  checkpoint(
    'state.json not JSON',
    'a garbled state.json',
    (c) => (fs.writeFileSync(path.join(c.ckpt, 'state.json'), '{"format": "rescom-'), path.join(c.ckpt, 'state.json')),
  ),
  checkpoint(
    'state.json empty',
    'an empty state.json',
    (c) => (fs.writeFileSync(path.join(c.ckpt, 'state.json'), ''), path.join(c.ckpt, 'state.json')),
  ),
  checkpoint('state.json a folder', 'a folder where state.json should be', (c) => {
    const f = path.join(c.ckpt, 'state.json');
    fs.rmSync(f);
    fs.mkdirSync(f);
    return c.ckpt;
  }),
  checkpoint('stored config invalid', 'a config edited inside state.json (epochs -1) is validated on --resume', (c) => {
    const f = path.join(c.ckpt, 'state.json');
    editState(f, (s) => (s.config.epochs = -1));
    return f;
  }),
  checkpoint('stored config unsafe name', 'a stored config whose name holds a path', (c) => {
    const f = path.join(c.ckpt, 'state.json');
    editState(f, (s) => (s.config.name = '../../elsewhere'));
    return f;
  }),
  checkpoint('stored config unknown field', 'a stored config with an unknown field', (c) => {
    const f = path.join(c.ckpt, 'state.json');
    editState(f, (s) => (s.config.optimizer = 'adam'));
    return f;
  }),
  checkpoint('format', 'a state.json of another format', (c) => {
    const f = path.join(c.ckpt, 'state.json');
    const saved = JSON.parse(fs.readFileSync(f, 'utf8'));
    saved.format = 'other/9';
    fs.writeFileSync(f, JSON.stringify(saved));
    return f;
  }),
  checkpoint(
    'weights.bin truncated',
    'a truncated weights.bin',
    (c) => (truncate(path.join(c.ckpt, 'weights.bin'), 100), path.join(c.ckpt, 'weights.bin')),
  ),
  checkpoint(
    'weights.bin truncated',
    'a truncated weights.bin (rescom eval)',
    (c) => (truncate(path.join(c.ckpt, 'weights.bin'), 100), path.join(c.ckpt, 'weights.bin')),
    'eval',
  ),
  checkpoint('weights.bin changed', 'a weights.bin of the right size with one byte changed (checksum)', (c) => {
    const f = path.join(c.ckpt, 'weights.bin');
    const bytes = fs.readFileSync(f);
    bytes[10] ^= 0xff;
    fs.writeFileSync(f, bytes);
    return f;
  }),
  checkpoint('weights.bin a folder', 'a folder where weights.bin should be', (c) => {
    const f = path.join(c.ckpt, 'weights.bin');
    fs.rmSync(f);
    fs.mkdirSync(f);
    return f;
  }),
  checkpoint(
    'weights.bin missing',
    'a missing weights.bin',
    (c) => (fs.rmSync(path.join(c.ckpt, 'weights.bin')), path.join(c.ckpt, 'weights.bin')),
  ),
  checkpoint(
    'state.bin truncated',
    'a truncated state.bin',
    (c) => (truncate(path.join(c.ckpt, 'state.bin'), 4), path.join(c.ckpt, 'state.bin')),
  ),
  checkpoint(
    'model.json not JSON',
    'a garbled model.json',
    (c) => (fs.writeFileSync(path.join(c.ckpt, 'model.json'), '{"modelTopology": '), path.join(c.ckpt, 'model.json')),
  ),
  checkpoint(
    'model.json not JSON',
    'a garbled model.json (rescom eval)',
    (c) => (fs.writeFileSync(path.join(c.ckpt, 'model.json'), '{"modelTopology": '), path.join(c.ckpt, 'model.json')),
    'eval',
  ),
  checkpoint(
    'latest.json and state.json garbled',
    'a garbled latest.json and a damaged only checkpoint: no fallback left',
    (c) => {
      fs.writeFileSync(path.join(c.run, 'checkpoints', 'latest.json'), 'garbage');
      fs.writeFileSync(path.join(c.ckpt, 'state.json'), 'garbage');
      return path.join(c.ckpt, 'state.json');
    },
  ),

  // Readers: complete and consistent before anything trains.
  fmnist(
    'test images of another size',
    'a test IDX file of 10x10 images beside 8x8 training images',
    (f) => f.testImages,
    { testSide: 10 },
  ),
  fmnist('truncated images', 'a training IDX file cut short', (f) => (truncate(f.trainImages, 50), f.trainImages)),
  fmnist('label count differs', 'a label file with fewer labels than images', (f) => {
    writeIdxFile(f.trainLabels, [29], new Uint8Array(29));
    return f.trainLabels;
  }),
  fmnist('label out of range', 'a label 12 in a 10-class label file', (f) => {
    writeIdxFile(f.trainLabels, [30], new Uint8Array(30).fill(12));
    return f.trainLabels;
  }),
  fmnist(
    'bad magic',
    'an images file that is not IDX',
    (f) => (fs.writeFileSync(f.trainImages, 'PK\u0003\u0004 not idx at all'), f.trainImages),
  ),
  fmnist('empty file', 'a 0-byte test labels file', (f) => (fs.writeFileSync(f.testLabels, ''), f.testLabels)),
  fmnist('broken gzip', 'a .gz file whose stream is cut', (f, dir) => {
    const gz = path.join(dir, 'train-images-idx3-ubyte.gz');
    fs.writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    fs.rmSync(f.trainImages);
    return gz;
  }),
  fmnist('missing file', 'a missing test images file', (f) => (fs.rmSync(f.testImages), 't10k-images-idx3-ubyte')),
  fmnist('a folder', 'a folder where the training labels should be', (f) => {
    fs.rmSync(f.trainLabels);
    fs.mkdirSync(f.trainLabels);
    return f.trainLabels;
  }),
  {
    id: 'embedded: manifest.json not JSON',
    area: 'reader',
    what: 'a garbled manifest.json of the embedded set',
    setup: (ctx) => {
      const data = path.join(ctx.dir, 'data');
      copyTree(ctx.tinyData, data);
      fs.writeFileSync(path.join(data, 'manifest.json'), '{"name": ');
      return {
        args: train(...tinyArgs(data), '--run-dir', path.join(ctx.dir, 'run')),
        names: [path.join(data, 'manifest.json')],
      };
    },
  },
  {
    id: 'embedded: file changed',
    area: 'reader',
    what: 'an embedded file whose sha256 differs from the manifest',
    setup: (ctx) => {
      const data = path.join(ctx.dir, 'data');
      copyTree(ctx.tinyData, data);
      const f = path.join(data, 'train-labels-idx1-ubyte.gz');
      fs.appendFileSync(f, 'x');
      return { args: train(...tinyArgs(data), '--run-dir', path.join(ctx.dir, 'run')), names: [f] };
    },
  },
  {
    id: 'embedded: file is a folder',
    area: 'reader',
    what: 'a folder where an embedded file should be',
    setup: (ctx) => {
      const data = path.join(ctx.dir, 'data');
      copyTree(ctx.tinyData, data);
      const f = path.join(data, 't10k-labels-idx1-ubyte.gz');
      fs.rmSync(f);
      fs.mkdirSync(f);
      return { args: train(...tinyArgs(data), '--run-dir', path.join(ctx.dir, 'run')), names: [f] };
    },
  },
  cifar(
    '0-byte batch',
    'a 0-byte data_batch_1.bin (was read as an empty batch)',
    (files) => (fs.writeFileSync(files[0], ''), files[0]),
  ),
  cifar('truncated batch', 'a data_batch_3.bin cut inside a record', (files) => (truncate(files[2], 100), files[2])),
  cifar(
    'short batch',
    'a data_batch_2.bin with fewer records than the others',
    (files) => (truncate(files[1], 3073), files[1]),
  ),
  cifar('label out of range', 'a CIFAR-10 label 12', (files) => {
    const bytes = fs.readFileSync(files[5]);
    bytes[0] = 12;
    fs.writeFileSync(files[5], bytes);
    return files[5];
  }),
  cifar('missing test batch', 'a missing test_batch.bin', (files) => (fs.rmSync(files[5]), files[5])),
  cifar('batch is a folder', 'a folder where data_batch_4.bin should be', (files) => {
    fs.rmSync(files[3]);
    fs.mkdirSync(files[3]);
    return files[3];
  }),
  {
    id: 'cifar-100: fine label out of range',
    area: 'reader',
    what: 'a CIFAR-100 fine label 120',
    setup: (ctx) => {
      const dir = path.join(ctx.dir, 'c100');
      writeCifar100(dir, 120);
      return {
        args: train(
          '--config',
          'cifar100-lt-if100',
          '--dataDir',
          dir,
          '--nMax',
          '1',
          '--run-dir',
          path.join(ctx.dir, 'run'),
        ),
        names: [path.join(dir, 'train.bin')],
      };
    },
  },
  imageList('empty list', 'an empty training list', () => ({ lines: [], names: (l) => [l.train] })),
  imageList('malformed line', 'a list line without a label', () => ({
    lines: ['train/a.png 0', 'train/b.png'],
    names: (l) => [l.train, 'line 2'],
  })),
  imageList('label out of range', 'a label 5000 for 1000 classes', () => ({
    lines: ['train/a.png 5000'],
    names: (l) => [l.train, 'line 1'],
  })),
  imageList('path with ..', 'a listed path that climbs out with ..', () => ({
    lines: ['../secret.png 0'],
    names: (l) => [l.train, 'line 1'],
  })),
  imageList('missing image', 'a listed image that does not exist', () => ({
    lines: ['train/a.png 0', 'train/zzz.png 1'],
    names: (l) => [l.train, 'line 2'],
  })),
  imageList('symlink out of the root', 'a listed image that is a symbolic link out of the image root', (dir) => {
    const outside = path.join(path.dirname(dir), 'outside.png');
    fs.writeFileSync(outside, hugePngBytes(4, 4));
    fs.mkdirSync(path.join(dir, 'train'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, 'train', 'link.png'));
    return {
      lines: ['train/a.png 0', 'train/link.png 1'],
      names: (l) => [l.train, 'line 2', 'outside the image root'],
    };
  }),
  imageList('huge PNG header', 'a 300-byte PNG declaring 10001x10001 pixels is refused from its header', (dir) => {
    fs.mkdirSync(path.join(dir, 'train'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'train', 'huge.png'), hugePngBytes(10001, 10001));
    return { lines: ['train/huge.png 0'], names: (_l, d) => [path.join(d, 'train', 'huge.png'), '10001x10001'] };
  }),
  imageList('not an image', 'a listed file that is not an image', (dir) => {
    fs.mkdirSync(path.join(dir, 'train'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'train', 'x.png'), 'hello');
    return { lines: ['train/x.png 0'], names: (_l, d) => [path.join(d, 'train', 'x.png')] };
  }),

  // grade: one line, no Python traceback.
  {
    id: 'grade: not a notebook',
    area: 'grade',
    what: '`rescom grade` on a text file',
    setup: (ctx) => {
      const f = path.join(ctx.dir, 'answers.txt');
      fs.writeFileSync(f, 'my answers\n');
      return { args: ['grade', f], names: [f], exit: 2 };
    },
  },
  {
    id: 'grade: JSON, not a notebook',
    area: 'grade',
    what: '`rescom grade` on a JSON file that is not a notebook',
    setup: (ctx) => {
      const f = path.join(ctx.dir, 'x.ipynb');
      fs.writeFileSync(f, '{"hello": 1}');
      return { args: ['grade', f], names: [f], exit: 2 };
    },
  },
  {
    id: 'grade: empty file',
    area: 'grade',
    what: '`rescom grade` on an empty .ipynb',
    setup: (ctx) => {
      const f = path.join(ctx.dir, 'x.ipynb');
      fs.writeFileSync(f, '');
      return { args: ['grade', f], names: [f], exit: 2 };
    },
  },
  {
    id: 'grade: a folder without notebooks',
    area: 'grade',
    what: '`rescom grade` on a folder that holds no notebook',
    setup: (ctx) => {
      const folder = path.join(ctx.dir, 'submissions');
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'notes.txt'), 'no notebooks here\n');
      return { args: ['grade', folder], names: [folder], exit: 2 };
    },
  },
  {
    id: 'grade: missing file',
    area: 'grade',
    what: '`rescom grade` on a file that does not exist',
    setup: (ctx) => ({ args: ['grade', path.join(ctx.dir, 'none.ipynb')], names: ['none.ipynb'], exit: 2 }),
  },
];

/** Every case, first round (above) then the second (#26: cases-*.ts). */
export const CASES: BadInputCase[] = [
  ...FIRST_ROUND,
  ...ENVIRONMENT_CASES,
  ...WRITER_CASES,
  ...RESUME_CASES,
  ...DISK_CASES,
];

function writeIdxFile(file: string, dims: number[], data: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

/** docs/bad-inputs.md, generated from the table (a test keeps the committed file in sync). */
export function badInputsMarkdown(): string {
  const lines = [
    '# Bad inputs the CLI refuses',
    '',
    'Generated from `test/reliability/cases.ts` (kept in sync by `test/reliability/bad-inputs.test.ts`;',
    'regenerate with `RESCOM_WRITE_DOCS=1 npx ava test/reliability/bad-inputs.test.ts`). Each case runs',
    '`node lib/cli/main.js ...` as a child process and asserts the exit status, one error line that names',
    'the file or the option, no JavaScript or Python stack, and an unchanged folder (nothing written or lost).',
    '',
    'Faults tested in `test/reliability/kill.test.ts` (each followed by the next command):',
    '',
    '- kill -9 during an epoch: `rescom train --run-dir DIR --resume` continues from the last checkpoint and finishes.',
    '- kill -9 during a checkpoint write (`RESCOM_FAULT=checkpoint-write:2`): the half-written `.epoch-0002.tmp-*`',
    '  folder is removed (saying so) and the run resumes from epoch 1.',
    '- a damaged newest checkpoint (truncated weights.bin): `--resume` falls back to the previous one, saying so.',
    '- kill -9 during a download (`downloadVerified` from a local HTTP server on 127.0.0.1): nothing under the final',
    '  name; the next call removes the `.part` file (saying so), downloads again and verifies the sha256.',
    '- backend selection (`rescom backend`, auto) prints nothing on stderr; its stdout says why the others were passed over.',
    '- kill -9 of `rescom demo`: its two `rescom train --messages` children see the IPC channel close and exit within',
    '  seconds, releasing their run locks; data workers are threads of the training process and die with it.',
    '',
    'Beside the table (second round, issue 26):',
    '',
    '- `test/reliability/run-lock.test.ts`: one writer per run folder (`RUN/rescom.lock`: pid, host, start time); two',
    '  `rescom train` on one folder: the second is refused naming the holder, the log stays 1, 2, 3; a stale lock (dead',
    '  or reused pid) is taken over with a note; a reader (`report`, `eval`, `ship`) never sees a group of writes half-done.',
    '- `test/reliability/resume-promise.test.ts`: what a resume may change is accepted and said (a moved `--dataDir` with',
    '  the same data, `--evalBatchSize`, another backend with `--allow-backend-change`, recorded as `backendChange` in',
    '  the log); an edited newest checkpoint is refused, not replaced by the one before it.',
    '- `test/reliability/environment.test.ts`: every `RESCOM_*` variable the code reads is listed in',
    '  `src/util/environment.ts` and refuses values outside what it accepts.',
    '- `test/reliability/image-list-repeats.test.ts`: one image with two labels is refused; exact repeats are kept and reported.',
    '',
    `${CASES.length} cases.`,
    '',
    '| # | area | case | what |',
    '|---|------|------|------|',
    ...CASES.map(
      (c, i) => `| ${i + 1} | ${c.area} | ${c.id.replace(/\|/g, '\\|')} | ${c.what.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
