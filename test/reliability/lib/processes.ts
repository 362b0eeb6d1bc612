/**
 * Worker processes for the reliability suite: `node --import tsx src/worker.ts` with a prebuilt
 * workflow bundle (so a restart after SIGKILL takes a second or two, not a webpack build), every
 * byte of stdout/stderr kept (also after the process died) for the secret scan, and a way to run
 * a worker that is expected to refuse to start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../../src/worker/setup.js';

export const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

let bundlePath: Promise<string> | undefined;

/** Bundles the workflow code once per test process (what `npm run build` ships as dist/workflow-bundle.js). */
export function workflowBundle(): Promise<string> {
  bundlePath ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-reliability-bundle-'));
    const path = join(dir, 'workflow-bundle.js');
    await writeFile(path, code);
    return path;
  })();
  return bundlePath;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** All output of every worker process started by this test process, for the secret scan. */
const allOutputs: Array<() => string> = [];
export function everyWorkerOutput(): string[] {
  return allOutputs.map((o) => o());
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function spawnWorker(
  env: NodeJS.ProcessEnv,
  name: string,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ARAZZO_LOG_LEVEL: 'INFO',
      ARAZZO_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const read = () => output;
  allOutputs.push(() => `--- worker ${name} ---\n${output}`);
  return { child, output: read, exited };
}

/** Starts a worker process and resolves once it polls its task queue. */
export async function startWorker(env: NodeJS.ProcessEnv, name = 'worker'): Promise<WorkerProcess> {
  const bundle = await workflowBundle();
  const { child, output, exited } = spawnWorker({ ARAZZO_WORKFLOW_BUNDLE: bundle, ...env }, name);
  for (let i = 0; i < 1200 && !output().includes('"worker polling"'); i++) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`worker ${name} exited early:\n${output()}`);
    await sleep(50);
  }
  if (!output().includes('"worker polling"')) throw new Error(`worker ${name} not ready:\n${output()}`);
  return {
    name,
    child,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a worker that must refuse to start: resolves with its exit code and output (killed after `timeoutMs`). */
export async function runRefusingWorker(
  env: NodeJS.ProcessEnv,
  name: string,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string; started: boolean }> {
  const bundle = await workflowBundle();
  const { child, output, exited } = spawnWorker({ ARAZZO_WORKFLOW_BUNDLE: bundle, ...env }, name);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let started = false;
  const watcher = setInterval(() => {
    if (output().includes('"worker polling"')) {
      started = true;
      child.kill('SIGKILL');
    }
  }, 50);
  const code = await exited;
  clearTimeout(timer);
  clearInterval(watcher);
  return { code, output: output(), started };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until true; throws naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
