/**
 * `npm run bench:tune`: changes to the reference protocol tried on the validation split only (the
 * test set is removed from every run's data); see ./tune/options.ts for the flags. Prints the table
 * and ends with `RESULT <variant>_rescom_minus_<method>_val_top1=... ..._seeds=...` (points).
 */
import { selectBackend } from '../backend';
import { TUNE_BENCH_HELP, parseTuneArgs, runTuningBench } from './tune/index';
import { exitWhenDone } from './exit-when-done';
import { formatResultLine, type ResultFields } from './result-line';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(TUNE_BENCH_HELP);
    return 0;
  }
  const options = parseTuneArgs(argv);
  await selectBackend(); // prints the backend line
  const result = await runTuningBench({ options });
  console.log(`\n${result.markdown}`);
  console.log(`written: ${result.file}`);
  const fields: ResultFields = {};
  for (const c of result.table.comparisons) {
    const key = `${c.variant}_rescom_minus_${c.method}`.replace(/[-.]/g, '_');
    fields[`${key}_val_top1`] = c.top1.mean === null ? null : 100 * c.top1.mean;
    fields[`${key}_seeds`] = c.top1.n;
  }
  fields.runs_trained_now = result.trained.length;
  console.log(formatResultLine(fields));
  return 0;
}

exitWhenDone(main);
