/**
 * The worker as users run it: a separate process `node --import tsx src/worker.ts`, configured by
 * environment variables. Its stdout (JSON log lines) goes to a file; readiness is the
 * "worker polling" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
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

export interface SpawnWorkerOptions {
  env: NodeJS.ProcessEnv;
  /** Where to put the log file. */
  dir: string;
  label: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Program to run instead of src/worker.ts (relative to the project root). */
  entry?: string;
  readyTimeoutMs?: number;
}

export async function spawnWorker(options: SpawnWorkerOptions): Promise<WorkerProcess> {
  const logFile = join(options.dir, `${options.label}.log`);
  const fd = openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry ?? 'src/worker.ts'],
    { cwd: projectRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', fd, fd] },
  );
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
