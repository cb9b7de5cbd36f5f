/**
 * `npm run bench:accuracy`: the reference protocol by default (config fashion-mnist-lt-ref:
 * Fashion-MNIST-LT, exp profile, IF 100, n_max 2000, ResNet-20, 30 epochs), every method, seeds
 * 0, 1, 2, on the default backend; see ./accuracy/options.ts for the
 * flags. Finished runs are skipped, interrupted ones resumed, so the table fills up over several
 * invocations (or several processes given disjoint --seeds / --if). Prints the table (with ResCom
 * paired by seed against each method) and ends with `RESULT if100_rescom_top1=... if100_balsfx_top1=...
 * if100_rescom_minus_sbs_top1=... if100_rescom_minus_sbs_seeds=... ...` (percent / points).
 */
import { selectBackend } from '../backend';
import { ACCURACY_BENCH_HELP, parseAccuracyBenchArgs, runAccuracyBench } from './accuracy/index';
import { exitWhenDone } from './exit-when-done';
import { formatResultLine, type ResultFields } from './result-line';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(ACCURACY_BENCH_HELP);
    return 0;
  }
  const options = parseAccuracyBenchArgs(argv);
  await selectBackend(); // prints the backend line
  const command = ['npm run bench:accuracy --', ...argv].join(' ').replace(/ --$/, '');
  const result = await runAccuracyBench({ options, command });
  console.log(`\n${result.markdown}`);
  console.log(`written: ${result.files.markdown}, ${result.files.csv}, ${result.files.pairedCsv}, ${result.files.json}`);
  const fields: ResultFields = {};
  for (const row of result.table.rows) {
    if (!['rescom', 'balsfx', 'sbs', 'supcon-balsfx'].includes(row.method)) continue;
    const key = `if${row.imbalanceFactor}_${row.method.replace('-', '_')}`;
    fields[`${key}_top1`] = row.top1.mean === null ? null : 100 * row.top1.mean;
    fields[`${key}_few`] = row.few.mean === null ? null : 100 * row.few.mean;
  }
  // ResCom minus the fair baselines, paired by seed (percentage points) and the number of paired seeds.
  for (const c of result.table.paired) {
    if (c.method !== 'balsfx' && c.method !== 'sbs' && c.method !== 'supcon-balsfx') continue;
    const key = `if${c.imbalanceFactor}_rescom_minus_${c.method.replace('-', '_')}`;
    fields[`${key}_top1`] = c.top1.mean === null ? null : 100 * c.top1.mean;
    fields[`${key}_top1_sd`] = c.top1.sd === null ? null : 100 * c.top1.sd;
    fields[`${key}_seeds`] = c.top1.n;
  }
  fields.runs_finished = result.table.runs.length;
  fields.runs_trained_now = result.trained.length;
  console.log(formatResultLine(fields));
  return 0;
}

exitWhenDone(main);
