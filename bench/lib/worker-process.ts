/**
 * The worker as users run it: a separate process, `node dist/src/worker.js` when a build newer
 * than the sources exists (as the Docker image and `npm run worker` run it), else
 * `node --import tsx src/worker.ts`; configured by environment variables. Its stdout (JSON log
 * lines) goes to a file; readiness is the "worker polling" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';
import { sleep } from './stats.js';

export interface WorkerProcess {
  pid: number;
  /** ms from spawn to the "worker polling" log line */
  readyMs: number;
  logFile: string;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** How the worker program runs: compiled JavaScript under plain node, or TypeScript under tsx. */
export type WorkerProgram = 'compiled' | 'tsx';

const compiledWorker = join(projectRoot, 'dist', 'src', 'worker.js');

/** True when `npm run build`'s worker exists and is newer than every source file it came from. */
export function compiledWorkerIsFresh(): boolean {
  if (!existsSync(compiledWorker)) return false;
  const built = statSync(compiledWorker).mtimeMs;
  const src = join(projectRoot, 'src');
  return (readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .every((f) => statSync(join(src, f)).mtimeMs <= built);
}

let defaultProgram: WorkerProgram | undefined;

/** The program workers run unless a spawn says otherwise (the bench's `--worker` flag). */
export function workerProgram(): WorkerProgram {
  defaultProgram ??= compiledWorkerIsFresh() ? 'compiled' : 'tsx';
  return defaultProgram;
}

/** Sets the default program (`--worker compiled|tsx`). */
export function setWorkerProgram(program: WorkerProgram): void {
  if (program === 'compiled' && !existsSync(compiledWorker))
    throw new Error('--worker compiled: dist/src/worker.js is missing (run `npm run build`)');
  defaultProgram = program;
}

/** How a worker of `program` is started, for the report. */
export function describeWorkerProgram(program: WorkerProgram = workerProgram()): string {
  return program === 'compiled' ? 'node dist/src/worker.js' : 'node --import tsx src/worker.ts';
}

export interface SpawnWorkerOptions {
  env: NodeJS.ProcessEnv;
  /** Where to put the log file. */
  dir: string;
  label: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Program to run instead of src/worker.ts (relative to the project root), under tsx. */
  entry?: string;
  /** Compiled or tsx; default {@link workerProgram}. Ignored with `entry`. */
  program?: WorkerProgram;
  readyTimeoutMs?: number;
}

export async function spawnWorker(options: SpawnWorkerOptions): Promise<WorkerProcess> {
  const logFile = join(options.dir, `${options.label}.log`);
  const fd = openSync(logFile, 'w');
  const started = performance.now();
  const program = options.entry
    ? ['--import', 'tsx', options.entry]
    : (options.program ?? workerProgram()) === 'compiled'
      ? ['dist/src/worker.js']
      : ['--import', 'tsx', 'src/worker.ts'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...program], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  live.add(child);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      live.delete(child);
      resolve();
    }),
  );
  const stop = async (graceMs = 15_000): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const deadline = started + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    if (text.includes('worker polling')) break;
    if (exitCode !== undefined)
      throw new Error(`worker ${options.label} exited (${exitCode}) before polling:\n${text.slice(-2000)}`);
    if (performance.now() > deadline) {
      await stop(1000);
      throw new Error(
        `worker ${options.label} not polling after ${options.readyTimeoutMs ?? 120_000} ms:\n${text.slice(-2000)}`,
      );
    }
    await sleep(10);
  }
  return { pid: child.pid ?? -1, readyMs: performance.now() - started, logFile, stop };
}
