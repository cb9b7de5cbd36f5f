/**
 * `npm run bench:protocol`: seconds per training epoch of the reference protocol (config
 * `fashion-mnist-lt-ref`: Fashion-MNIST-LT IF 100 n_max 2000, ResNet-20, two views of 128, ResCom
 * K 10 / Q_p 1 / Q_n 40) in this project and in PyTorch CPU (bench/pytorch/protocol.py, the same
 * protocol), interleaved epoch by epoch so that both see the same background load.
 *
 * TF.js side: the library's `train` on the selected backend (RESCOM_THREADS threads), stopped after
 * each epoch and resumed (`stopAfterEpochs`/`resume`) so that a PyTorch epoch can run in between;
 * an epoch's time is the trainer's own `seconds` (training steps; validation excluded), the
 * first epochs of the 30-epoch schedule. PyTorch side: `protocol.py --serve`, `epoch` commands,
 * with as many threads as this process uses cores (RESCOM_BENCH_TORCH_THREADS to change).
 *
 * Options (environment): RESCOM_BENCH_EPOCHS (default 2), RESCOM_BENCH_PYTORCH=0 to skip PyTorch.
 * Last line: `RESULT protocol_s_epoch=<x> pytorch_s_epoch=<y|NA> ratio=<x/y|NA>` (means over epochs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../backend';
import { defaultThreads } from '../backend/wasm/threads';
import { getConfig } from '../configs';
import { prepareTrainingData, train } from '../train';
import { PythonServer } from './python-server';
import { formatResultLine } from './result-line';
import { readEnvironmentInteger, readEnvironmentSwitch } from '../util/environment';

function envInt(name: string, fallback: number, _min?: number): number {
  // Plain decimals within the bounds listed in src/util/environment.ts (ENV_INTEGERS).
  return readEnvironmentInteger(name, 'bench:protocol', fallback);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const epochs = envInt('RESCOM_BENCH_EPOCHS', 2, 1);
  const withPytorch = readEnvironmentSwitch('RESCOM_BENCH_PYTORCH', 'bench:protocol', true);
  const backend = await selectBackend();
  const config = getConfig('fashion-mnist-lt-ref');
  if (epochs > config.epochs) throw new Error(`bench:protocol: RESCOM_BENCH_EPOCHS must be at most ${config.epochs}; got ${epochs}`);
  const data = await prepareTrainingData(config, { log: (line) => console.log(line) });
  console.log(`tfjs protocol: ${data.train.labels.length} images (class counts ${data.classCounts.join('/')}), ${backend.line}`);
  const torchThreads = envInt('RESCOM_BENCH_TORCH_THREADS', defaultThreads(), 1);
  const script = path.join(__dirname, '..', '..', 'bench', 'pytorch', 'protocol.py');
  const torch = withPytorch ? await PythonServer.start(script, ['--threads', `${torchThreads}`], (line) => console.log(line)) : null;
  if (withPytorch && !torch) console.log('PyTorch: not available (/usr/bin/python3 with torch), TF.js only');

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rescom-bench-protocol-'));
  const tfjsSeconds: number[] = [];
  const torchSeconds: number[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const result = await train({ config, data, runDir, resume: epoch > 1, stopAfterEpochs: epoch, progress: null, log: null });
      const record = result.history[result.history.length - 1];
      if (record.epoch !== epoch) throw new Error(`bench:protocol: expected the record of epoch ${epoch}; got epoch ${record.epoch}`);
      tfjsSeconds.push(record.seconds);
      console.log(`tfjs    epoch ${epoch}: ${record.seconds.toFixed(1)} s (cpu ${record.cpuSeconds.toFixed(1)} s), loss ${record.loss.toFixed(4)}, load ${os.loadavg()[0].toFixed(1)}`);
      if (torch) {
        const line = await torch.ask('epoch', 'EPOCH');
        const m = line && /s=([\d.]+) cpu=([\d.]+) loss=([-\d.]+|nan)/.exec(line);
        if (!m) throw new Error(`bench:protocol: PyTorch gave no EPOCH line (got ${JSON.stringify(line)})`);
        torchSeconds.push(Number(m[1]));
        console.log(`pytorch epoch ${epoch}: ${Number(m[1]).toFixed(1)} s (cpu ${Number(m[2]).toFixed(1)} s, ${torchThreads} threads), loss ${m[3]}, load ${os.loadavg()[0].toFixed(1)}`);
      }
    }
  } finally {
    torch?.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const x = mean(tfjsSeconds);
  const y = torchSeconds.length ? mean(torchSeconds) : null;
  console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); means over ${epochs} interleaved epochs`);
  console.log(formatResultLine({ protocol_s_epoch: x, pytorch_s_epoch: y, ratio: y === null ? null : x / y }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
