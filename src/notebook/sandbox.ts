/**
 * One student process in a bubblewrap sandbox (Debian `bubblewrap`; nbgrader's, otter-grader's and
 * the Gradescope / PrairieLearn graders' rule: every submission in its own container).
 *
 * What the process sees and may do:
 * - the system (`/usr` and a few files of `/etc`) and the folders the caller binds (the grader's
 *   `lib/`, `node_modules/`, `data/`) READ-ONLY; nothing else of the host (no home, no checkout, no
 *   other submission, no host `/tmp`);
 * - a private writable tmpfs at `/work` (its working copy) and at `/tmp`, gone when it ends;
 * - its own PID namespace (it is pid 2; no other process and no parent's `/proc/<pid>/environ`),
 *   its own network namespace with loopback only (Jupyter's kernel talks to its client over it),
 *   IPC and UTS namespaces, a new session;
 * - the environment the caller gives, nothing inherited;
 * - run as root, the grader drops to `nobody` before bwrap (`setpriv`), so the sandbox holds no
 *   capability and RLIMIT_NPROC bounds its processes (the kernel exempts root from it); RLIMIT_DATA
 *   bounds each process's memory (measured: a wasm tfjs process under a 1.5 GiB limit stops with
 *   "Array buffer allocation failed") and RLIMIT_FSIZE each file it writes.
 * At the time limit the outer bwrap is killed; `--die-with-parent` kills the namespace's init and
 * with it every process in the namespace (loops, forks, detached children), so nothing survives.
 * Inputs go in through pipes (`--ro-bind-data`), the answer comes out on fd 3: no host file is
 * shared with the student's process.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file the sandbox gets read-only, written from the grader's memory through a pipe. */
export interface SandboxFile {
  /** Absolute path inside the sandbox. */
  path: string;
  content: string | Buffer;
}

export interface SandboxSpec {
  /** Program and arguments, as seen inside (absolute paths inside). */
  command: string[];
  /** Working directory inside; default '/work'. */
  cwd?: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Host folders or files bound read-only at `inside`. */
  readOnly?: { host: string; inside: string }[];
  /** Paths inside (under a read-only bind) masked by an empty tmpfs. */
  hide?: string[];
  /** Folders created in the writable tmpfs (e.g. '/work/notebooks'). */
  dirs?: string[];
  files?: SandboxFile[];
  /** Seconds before the whole namespace is killed. */
  timeLimitS: number;
  /** RLIMIT_DATA per process in bytes; default 4 GiB (a wasm heap tops out at 4 GB). */
  memoryBytes?: number;
  /** RLIMIT_NPROC (processes and threads of the sandbox user) when run as root; default 512. */
  processes?: number;
  /** RLIMIT_FSIZE: largest file it may write, in bytes; default 256 MiB. */
  fileBytes?: number;
  /** Most bytes read from fd 3 before the run is stopped; default 64 MiB. */
  maxResultBytes?: number;
}

export interface SandboxResult {
  /** Exit code of the sandboxed command (bwrap passes it on); null when killed. */
  code: number | null;
  timedOut: boolean;
  /** True when the result on fd 3 passed `maxResultBytes` (the run was stopped). */
  resultTooLarge: boolean;
  /** What the process wrote on fd 3. */
  result: Buffer;
  /** The last 16 kB of its stdout and stderr together. */
  log: string;
  seconds: number;
}

/** How bubblewrap is used on this machine, or why it cannot be. */
export interface BubblewrapStatus {
  ok: boolean;
  /** Absolute path of bwrap. */
  bwrap: string | null;
  /** `setpriv` when the grader is root (the sandbox runs as nobody), else null. */
  setpriv: string | null;
  prlimit: string | null;
  /** Why it cannot be used (one line); null when ok. */
  reason: string | null;
}

/** The one-line advice a refusal gives. */
export const INSTALL_BUBBLEWRAP =
  'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) or pass ' +
  '--trust-submissions to run student code unsandboxed on this machine';

/** The sandbox user when the grader runs as root. */
export const SANDBOX_UID = 65534;

/** Files of /etc that programs inside need (loader cache, users, time zone, Debian alternatives). */
const ETC = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/localtime',
  '/etc/alternatives',
  '/etc/mime.types',
];

/** The program on PATH (only there: a PATH without bwrap means no sandbox, as a teacher would expect). */
function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return null;
}

let cached: BubblewrapStatus | null = null;

/**
 * Whether student code can be sandboxed here: bwrap on PATH and a trial run of `true` in the same
 * namespaces the grader uses (cached; `fresh` probes again).
 */
export function bubblewrapStatus(fresh = false): BubblewrapStatus {
  if (cached && !fresh) return cached;
  const bwrap = which('bwrap');
  const root = process.getuid?.() === 0;
  const setpriv = root ? which('setpriv') : null;
  const prlimit = which('prlimit');
  const fail = (reason: string): BubblewrapStatus => (cached = { ok: false, bwrap, setpriv, prlimit, reason });
  if (!bwrap) return fail('bubblewrap (bwrap) is not installed');
  if (root && !setpriv) return fail('setpriv (util-linux) is missing, so the sandbox cannot drop root');
  const argv = [...wrapperArgs({ setpriv, prlimit }, {}), bwrap, ...mountArgs({ env: {}, command: [] }), '/bin/true'];
  const probe = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: {}, timeout: 20_000 });
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n').pop();
    return fail(`bubblewrap cannot create its namespaces here (${why})`);
  }
  return (cached = { ok: true, bwrap, setpriv, prlimit, reason: null });
}

/** setpriv (as root: become nobody, no groups) and prlimit (memory, processes, file size). */
function wrapperArgs(
  tools: { setpriv: string | null; prlimit: string | null },
  spec: Pick<SandboxSpec, 'memoryBytes' | 'processes' | 'fileBytes'>,
): string[] {
  const out: string[] = [];
  if (tools.setpriv)
    out.push(tools.setpriv, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all');
  if (tools.prlimit) {
    out.push(tools.prlimit, `--data=${spec.memoryBytes ?? 4 * 2 ** 30}`, `--fsize=${spec.fileBytes ?? 256 * 2 ** 20}`);
    // RLIMIT_NPROC counts every process of the user: only meaningful for the dedicated sandbox user.
    if (tools.setpriv) out.push(`--nproc=${spec.processes ?? 512}`);
    out.push('--');
  }
  return out;
}

/** bwrap's namespace and mount arguments for `spec` (without the command; file fds from 4 on). */
export function mountArgs(spec: Omit<SandboxSpec, 'timeLimitS'>): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
  args.push('--ro-bind', '/usr', '/usr');
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(top), top);
    else if (stat.isDirectory()) args.push('--ro-bind', top, top);
  }
  for (const file of ETC) if (fs.existsSync(file)) args.push('--ro-bind', file, file);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/work');
  for (const bind of spec.readOnly ?? []) args.push('--ro-bind', bind.host, bind.inside);
  for (const inside of spec.hide ?? []) args.push('--tmpfs', inside);
  for (const dir of spec.dirs ?? []) args.push('--dir', dir);
  (spec.files ?? []).forEach((file, i) => args.push('--ro-bind-data', String(4 + i), file.path));
  args.push('--chdir', spec.cwd ?? '/work');
  return args;
}

/** Host folders a program needs inside besides /usr (a Node or Python installed elsewhere, e.g. pyenv). */
export function programRoots(paths: string[]): { host: string; inside: string }[] {
  const roots: string[] = [];
  for (const p of paths) {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      continue;
    }
    if (real === '/usr' || real.startsWith('/usr/') || !fs.existsSync(real)) continue;
    if (roots.some((r) => real === r || real.startsWith(`${r}/`))) continue;
    for (let i = roots.length - 1; i >= 0; i--) if (roots[i].startsWith(`${real}/`)) roots.splice(i, 1);
    roots.push(real);
  }
  return roots.map((r) => ({ host: r, inside: r }));
}

/**
 * Run `spec.command` in a fresh sandbox and wait for it (or for the time limit). Throws only when
 * bubblewrap is unusable (`bubblewrapStatus`); whatever the student's code does is in the result.
 */
export function runSandboxed(spec: SandboxSpec): Promise<SandboxResult> {
  const status = bubblewrapStatus();
  if (!status.ok) throw new Error(`runSandboxed: ${status.reason}; ${INSTALL_BUBBLEWRAP}`);
  if (!(spec.timeLimitS > 0)) throw new Error(`runSandboxed: timeLimitS must be > 0; got ${spec.timeLimitS}`);
  if (spec.command.length === 0) throw new Error('runSandboxed: command must not be empty');
  const argv = [...wrapperArgs(status, spec), status.bwrap as string, ...mountArgs(spec), '--', ...spec.command];
  const { env, timeLimitS, files, maxResultBytes } = spec;
  return runWithTimeLimit(argv, { env, timeLimitS, files, maxResultBytes });
}

/** What `runWithTimeLimit` needs: the process's environment, limit, pipes and (unsandboxed) folder. */
export interface LimitedRun {
  env: Record<string, string>;
  timeLimitS: number;
  /** Written to fds 4, 5, ... (bwrap's --ro-bind-data). */
  files?: SandboxFile[];
  maxResultBytes?: number;
  /** Host working directory (only for an unsandboxed run). */
  cwd?: string;
}

/**
 * Start `argv` in its own process group, collect fd 3 (the result) and the tail of stdout/stderr,
 * and kill the group at the time limit. Used for the sandbox (argv starts with bwrap or its
 * wrappers) and, for trusted submissions, for a plain process.
 */
export function runWithTimeLimit(argv: string[], spec: LimitedRun): Promise<SandboxResult> {
  const files = spec.files ?? [];
  const maxResult = spec.maxResultBytes ?? 64 * 2 ** 20;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: spec.env,
      cwd: spec.cwd,
      // The sandbox's own process group, so the time limit kills setpriv/prlimit/bwrap together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', ...files.map(() => 'pipe' as const)],
    });
    const streams = child.stdio;
    let log = '';
    const chunks: Buffer[] = [];
    let resultBytes = 0;
    let timedOut = false;
    let resultTooLarge = false;
    let exited: number | null | undefined;
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // gone already
      }
    };
    const onLog = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-16_000);
    };
    streams[1]?.on('data', onLog);
    streams[2]?.on('data', onLog);
    streams[3]?.on('data', (chunk: Buffer) => {
      resultBytes += chunk.length;
      if (resultBytes > maxResult) {
        resultTooLarge = true;
        killGroup();
        return;
      }
      chunks.push(chunk);
    });
    files.forEach((file, i) => {
      const stream = streams[4 + i] as NodeJS.WritableStream & { on: (e: string, f: () => void) => void };
      // bwrap reads each pipe while setting up; a sandbox that dies first must not crash the grader.
      stream.on('error', () => undefined);
      stream.end(file.content);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, spec.timeLimitS * 1000);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      for (const s of streams) (s as { destroy?: () => void } | null)?.destroy?.();
      resolve({
        code: timedOut || resultTooLarge ? null : (exited ?? null),
        timedOut,
        resultTooLarge,
        result: Buffer.concat(chunks),
        log,
        seconds: (Date.now() - started) / 1000,
      });
    };
    let drain: NodeJS.Timeout | undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`runSandboxed: cannot start ${argv[0]}: ${error.message}`));
    });
    child.on('exit', (code) => {
      exited = code;
      // bwrap's exit means its namespace is gone; kill the group for anything outside it, then give
      // the pipes a moment to deliver their last bytes.
      killGroup();
      drain = setTimeout(finish, 2000);
    });
    child.on('close', finish);
  });
}
