import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkBackendEnvironment } from '../../src/backend/select';
import { resolveDecoder } from '../../src/data/native-decode';
import { defaultWorkerCount } from '../../src/data/stream/worker-pool';
import { quickMode } from '../../src/notebook/quick-mode';
import {
  ENVIRONMENT,
  checkEnvironment,
  readEnvironment,
  readEnvironmentInteger,
  readEnvironmentSwitch,
} from '../../src/util/environment';

const ROOT = path.join(__dirname, '..', '..');

/** Every RESCOM_* name written in the repository's code, scripts and notebooks. */
function namesInRepository(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // test/reliability names misspelt variables on purpose.
      if (entry.isDirectory()) {
        if (full !== path.join(ROOT, 'test', 'reliability')) walk(full);
      } else if (/\.(ts|js|mjs|sh|ipynb)$/.test(entry.name) || entry.name === 'run')
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bRESCOM_[A-Z0-9_]*[A-Z0-9]\b/g)) names.add(m[0]);
    }
  };
  for (const dir of ['src', 'scripts', 'notebooks', 'test', '.ci', 'data-scripts']) walk(path.join(ROOT, dir));
  return names;
}

test('every RESCOM_* variable the repository reads is listed in ENVIRONMENT', (t) => {
  const names = namesInRepository();
  t.true(names.has('RESCOM_ONEDNN') && names.has('RESCOM_DECODER'), 'the scan finds the known ones');
  const missing = [...names].filter((n) => !ENVIRONMENT[n]);
  t.deepEqual(missing, [], 'add them to src/util/environment.ts');
});

test('each variable refuses a value outside what it accepts, naming the variable and the value', (t) => {
  const bad: Record<string, string> = { choice: 'bogus', integer: '0x10', switch: 'yes' };
  for (const [name, spec] of Object.entries(ENVIRONMENT)) {
    if (spec.accepts === 'any text (a path)') continue;
    const value = spec.accepts.startsWith('an integer')
      ? bad.integer
      : spec.accepts === '0 or 1'
        ? bad.switch
        : bad.choice;
    t.throws(() => readEnvironment(name, 'who', { [name]: value }), {
      message: `who: ${name} must be ${spec.accepts}; got '${value}'`,
    });
    t.notThrows(() => checkEnvironment({ [name]: '' }), `${name} empty is unset`);
  }
  t.is(readEnvironmentInteger('RESCOM_THREADS', 'w', 4, { RESCOM_THREADS: ' 3 ' }), 3);
  t.is(readEnvironmentInteger('RESCOM_THREADS', 'w', 4, {}), 4);
  t.false(readEnvironmentSwitch('RESCOM_ONEDNN', 'w', true, { RESCOM_ONEDNN: '0' }));
  t.true(readEnvironmentSwitch('RESCOM_QUICK', 'w', false, { RESCOM_QUICK: 'true' }));
  t.throws(() => readEnvironment('RESCOM_NOPE', 'w', {}), { message: /not listed in ENVIRONMENT/ });
});

test('checkEnvironment: an unknown RESCOM_* name is refused with the closest known one; other names pass', (t) => {
  t.throws(() => checkEnvironment({ RESCOM_THREAD: '2' }), {
    message: /^rescom: unknown environment variable RESCOM_THREAD='2'; did you mean RESCOM_THREADS\?/,
  });
  t.throws(() => checkEnvironment({ RESCOM_BACKEND: 'wasm', RESCOM_ONEDNN: '2' }), {
    message: "rescom: RESCOM_ONEDNN must be 0 or 1; got '2'",
  });
  t.notThrows(() => checkEnvironment({ PATH: '/bin', RESCOM_BACKEND: 'wasm', RESCOM_QUICK: '1' }));
});

test('the readers fail closed: backend settings, decoder, data workers, quick mode', (t) => {
  // A bad RESCOM_ONEDNN must stop selectBackend before any backend is tried (auto used to pass
  // over wasm to the cpu backend).
  t.throws(() => checkBackendEnvironment({ RESCOM_ONEDNN: '2' }), { message: /selectBackend: RESCOM_ONEDNN/ });
  t.throws(() => checkBackendEnvironment({ RESCOM_WASM_DX: 'fast' }), { message: /RESCOM_WASM_DX/ });
  const saved = { ...process.env };
  try {
    process.env.RESCOM_DECODER = 'bogus';
    t.throws(() => resolveDecoder('auto'), {
      message: "resolveDecoder: RESCOM_DECODER must be one of auto, sharp, js; got 'bogus'",
    });
    process.env.RESCOM_DECODER = 'js';
    t.is(resolveDecoder('auto'), 'js');
    process.env.RESCOM_DATA_WORKERS = '2.5';
    t.throws(() => defaultWorkerCount(), {
      message: /WorkerPool: RESCOM_DATA_WORKERS must be an integer from 0 to 64; got '2.5'/,
    });
    process.env.RESCOM_DATA_WORKERS = '3';
    t.is(defaultWorkerCount(), 3);
  } finally {
    for (const k of ['RESCOM_DECODER', 'RESCOM_DATA_WORKERS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  t.throws(() => quickMode({ RESCOM_QUICK: 'yes' }), {
    message: /quickMode: RESCOM_QUICK must be 0, 1, false or true/,
  });
  t.false(quickMode({ RESCOM_QUICK: 'false' }));
});
