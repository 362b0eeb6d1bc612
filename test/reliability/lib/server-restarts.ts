/**
 * Dev-server restarts (issue 12, item 8): runs keep polling (one durable timer and one workflow task
 * a second each) on two worker processes while the dev server is stopped and restarted on its
 * SQLite file again and again; optionally a worker is SIGKILLed now and then, as in the crash suite.
 * After every restart the harness measures how long each run takes to make progress again (its next
 * read of the job), and all along it samples every run's pending workflow task (`describe`): its
 * attempt and how long it has been *started*. A run that makes no progress for `stallSeconds` is a
 * stall, reported with its pending workflow task. At the end every run is cancelled by signal and
 * must end cleanly, its job cancelled: nothing lost.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPrng } from '../../../simulator/prng.js';
import { startSimulator } from '../../../simulator/server.js';
import {
  freePort,
  startDevServer,
  type DevServer,
  type DevServerOptions,
} from '../../../src/dev-server/dev-server.js';
import { record } from './harness.js';
import { sleep, startWorker, type WorkerProcess } from './processes.js';

export interface ServerRestartOptions {
  label: string;
  seed: number;
  runs: number;
  cycles: number;
  /** Time the server serves between restarts. */
  minUpMs: number;
  maxUpMs: number;
  /** SIGKILL one worker every this many cycles (0 = never). */
  killWorkerEvery: number;
  /** No progress for this long is a stall. */
  stallSeconds: number;
  /** Dev server options under test (e.g. its dynamic config); the defaults of startDevServer otherwise. */
  server?: Pick<DevServerOptions, 'dynamicConfig'>;
}

interface TaskSample {
  workflowId: string;
  state: string;
  attempt: number;
  /** Seconds since the task was started (0 when only scheduled). */
  startedForSeconds: number;
}

export async function runServerRestarts(options: ServerRestartOptions): Promise<Record<string, unknown>> {
  const began = Date.now();
  const random = createPrng(options.seed);
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-rel-restart-'));
  const port = await freePort();
  const dbFile = join(dir, 'temporal.sqlite');
  const serverOptions: DevServerOptions = { port, dbFile, headless: true, ...options.server };
  let server: DevServer | undefined = await startDevServer(serverOptions);
  const simulator = await startSimulator({ clock: 'polls', defaultScenario: { runningPolls: 1_000_000 } });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `rel-restart-${Date.now()}`;
  const env = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AIRBYTE_API_URL: simulator.url,
  };
  const workers: Array<WorkerProcess | undefined> = [];
  let spawned = 0;
  let workerDeaths = 0;
  let kills = 0;
  const samples: TaskSample[] = [];
  const recoveries: number[] = [];
  const stalls: Array<{ workflowId: string; cycle: number; silentSeconds: number; task?: TaskSample }> = [];
  let sampling = true;
  try {
    for (let i = 0; i < 2; i++) workers.push(await startWorker(env, `${options.label}-${spawned++}`));
    const runs = Array.from({ length: options.runs }, (_, i) => ({
      workflowId: `${options.label}-${Date.now()}-${i}`,
      connectionId: simulator.addConnection().connectionId,
    }));
    for (const run of runs) {
      await client.workflow.start('trigger-sync-and-poll', {
        taskQueue,
        workflowId: run.workflowId,
        args: [{ connectionId: run.connectionId, 'x-temporal': { pollIntervalSeconds: 1 } }],
      });
    }
    /** Epoch ms of each run's latest job read. */
    const lastRead = (connectionId: string): number => {
      const reads = simulator
        .requests()
        .filter((r) => r.connectionId === connectionId && r.operationId === 'getJob' && r.status === 200);
      const last = reads.at(-1);
      return last === undefined ? 0 : Date.parse(last.time);
    };
    await until(() => runs.every((r) => lastRead(r.connectionId) > 0), 120_000);

    // Pending workflow tasks, sampled all along (while the server is down, describe fails: skipped).
    const sampler = (async () => {
      while (sampling) {
        for (const run of runs) {
          try {
            const raw = (await client.workflow.getHandle(run.workflowId).describe()).raw;
            const task = raw.pendingWorkflowTask;
            if (task) {
              const startedMs = task.startedTime ? Number(task.startedTime.seconds) * 1000 : 0;
              samples.push({
                workflowId: run.workflowId,
                state: String(task.state),
                attempt: task.attempt ?? 1,
                startedForSeconds: startedMs > 0 ? Math.max(0, (Date.now() - startedMs) / 1000) : 0,
              });
            }
          } catch {
            // Server down.
          }
        }
        await sleep(1000);
      }
    })();

    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      await sleep(options.minUpMs + random() * (options.maxUpMs - options.minUpMs));
      if (options.killWorkerEvery > 0 && cycle % options.killWorkerEvery === 0) {
        const index = random() < 0.5 ? 0 : 1;
        await workers[index]?.kill('SIGKILL');
        workers[index] = undefined;
        kills++;
      }
      await server.stop();
      server = undefined;
      await sleep(500 + random() * 1000);
      server = await startDevServer(serverOptions);
      const restartedAt = Date.now();
      for (let i = 0; i < workers.length; i++) {
        if (!workers[i]?.alive()) {
          // Not killed here: it died on its own while the server was down.
          if (workers[i] !== undefined) workerDeaths++;
          workers[i] = await startWorker(env, `${options.label}-${spawned++}`);
        }
      }
      // Every run reads its job again: the time it took is this restart's recovery.
      const pending = new Set(runs.map((r) => r.connectionId));
      const limit = restartedAt + options.stallSeconds * 1000;
      while (pending.size > 0 && Date.now() < limit) {
        for (const c of [...pending]) if (lastRead(c) > restartedAt) pending.delete(c);
        await sleep(200);
      }
      for (const run of runs) {
        const at = lastRead(run.connectionId);
        if (at > restartedAt) recoveries.push((at - restartedAt) / 1000);
        else {
          const task = samples.filter((s) => s.workflowId === run.workflowId).at(-1);
          stalls.push({
            workflowId: run.workflowId,
            cycle,
            silentSeconds: Math.round((Date.now() - at) / 1000),
            ...(task ? { task } : {}),
          });
        }
      }
    }
    sampling = false;
    await sampler;

    // Nothing lost: every run still answers a cancel and ends through its own terminal path.
    const outcomes = await Promise.all(
      runs.map(async (run) => {
        const handle = client.workflow.getHandle(run.workflowId);
        await handle.signal('cancel', { reason: 'end of restart test' });
        const deadline = Date.now() + 15 * 60_000;
        for (;;) {
          try {
            return (await Promise.race([
              handle.result(),
              sleep(10_000).then(() => {
                throw new Error('still waiting');
              }),
            ])) as { finalStatus?: string };
          } catch (error) {
            if (Date.now() > deadline) throw error;
          }
        }
      }),
    );
    const cancelled = outcomes.filter((o) => o.finalStatus === 'cancelled').length;
    const leftRunning = simulator
      .jobs()
      .filter((j) => !['succeeded', 'failed', 'cancelled'].includes(j.status)).length;

    const sortedRecoveries = [...recoveries].sort((a, b) => a - b);
    const started = samples.filter((s) => s.state.endsWith('STARTED') || s.state === '2');
    const figures = {
      runs: runs.length,
      cycles: options.cycles,
      serverRestarts: options.cycles,
      workerSigkills: kills,
      workersThatDiedWithTheServer: workerDeaths,
      recoverySeconds: {
        median: round(sortedRecoveries[Math.floor(sortedRecoveries.length / 2)]),
        p95: round(sortedRecoveries[Math.floor(sortedRecoveries.length * 0.95)]),
        max: round(sortedRecoveries.at(-1)),
      },
      stalls: stalls.length,
      stallDetails: stalls.slice(0, 10),
      workflowTaskSamples: samples.length,
      maxWorkflowTaskAttempt: Math.max(1, ...samples.map((s) => s.attempt)),
      samplesWithAttemptOver3: samples.filter((s) => s.attempt > 3).length,
      longestStartedWorkflowTaskSeconds: round(Math.max(0, ...started.map((s) => s.startedForSeconds))),
      runsCancelledCleanly: cancelled,
      jobsLeftRunning: leftRunning,
      seconds: Math.round((Date.now() - began) / 1000),
    };
    record(`server-restarts:${options.label}`, figures);
    return figures;
  } finally {
    sampling = false;
    for (const w of workers) await w?.kill('SIGKILL');
    await connection.close().catch(() => undefined);
    await simulator.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 10) / 10;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, 'runs did not start polling');
    await sleep(200);
  }
}
