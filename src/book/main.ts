#!/usr/bin/env node
/**
 * `npm run book [-- --full] [--from DIR] [--out DIR] [--chapters 01,03]`: build the static HTML book
 * (src/book/build.ts). By default every chapter is executed in quick mode into runs/notebooks/ (full:
 * runs/notebooks-full/) and the book is written to book/. `--from DIR` reuses copies that
 * `npm run notebooks:run` already executed there instead of running the series again.
 * `--chapters 09` executes only chapter 09 and rebuilds the whole book, the other chapters from
 * their executed copies of an earlier build.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBook } from './build';

const usage = 'usage: npm run book -- [--full] [--from EXECUTED_DIR] [--out DIR] [--chapters NN,NN]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        full: { type: 'boolean', default: false },
        from: { type: 'string' },
        out: { type: 'string', default: 'book' },
        chapters: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`book: ${(error as Error).message}. ${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.chapters !== undefined && values.from !== undefined) {
    console.error(`book: --chapters names the chapters to execute again, and --from executes none; use one of them. ${usage}`);
    return 2;
  }
  const repoDir = path.resolve(__dirname, '..', '..');
  const chapters = values.chapters?.split(',').map((c) => c.trim().padStart(2, '0'));
  const full = values.full ?? false;
  const executedDir = values.from ?? path.join(repoDir, 'runs', full ? 'notebooks-full' : 'notebooks');
  console.log(`book: ${values.from ? `reusing executed chapters from ${values.from}` : `executing the chapters (${full ? 'full budgets' : 'quick mode'}) into ${path.relative(process.cwd(), executedDir)}`}`);
  try {
    await buildBook({
      notebooksDir: path.join(repoDir, 'notebooks'),
      out: values.out ?? 'book',
      executedDir,
      execute: values.from === undefined,
      full,
      chapters,
      python: process.env.PYTHON || undefined,
      repoDir,
    });
    return 0;
  } catch (error) {
    console.error((error as Error).message.split('\n')[0]);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
