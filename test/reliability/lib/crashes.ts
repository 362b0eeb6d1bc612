/**
 * Crashes: two worker processes share the task queue and are killed with SIGKILL at random moments
 * (seeded), each restarted a moment later, while the dev server is stopped once and restarted on
 * its database file. "Nothing lost": every run completes with the outputs a fault-free run gives,
 * the simulator holds exactly the jobs a fault-free run creates, and no job is left running
 * (except the re-sync reset-and-resync starts without waiting, which is its output).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { createPrng } from '../../../simulator/prng.js';
import { startSimulator } from '../../../simulator/server.js';
import { freePort, startDevServer, type DevServer } from '../../../src/dev-server/dev-server.js';
import {
  allSecrets,
  decodedPayloads,
  errorText,
  fetchHistories,
  findSecrets,
  record,
  rootFailure,
} from './harness.js';
import { everyWorkerOutput, sleep, startWorker, type WorkerProcess } from './processes.js';

export interface CrashOptions {
  runsPerKind: number;
  seed: number;
  /** Kill one worker every minKillMs..maxKillMs. */
  minKillMs: number;
  maxKillMs: number;
  /** Restart the dev server after this many kills (0 = never). */
  serverRestartAfterKills: number;
  label: string;
  /** Give up waiting for runs after this long (a hang is reported, not waited for forever). */
  deadlineSeconds: number;
}

const FAST = { 'x-temporal': { pollIntervalSeconds: 0.05 } };

export async function runCrashes(options: CrashOptions): Promise<Record<string, unknown>> {
  const started = Date.now();
  const random = createPrng(options.seed);
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-rel-crash-'));
  const port = await freePort();
  const dbFile = join(dir, 'temporal.sqlite');
  let server: DevServer = await startDevServer({ port, dbFile, headless: true });
  const simulator = await startSimulator({
    clock: 'polls',
    defaultScenario: { pendingPolls: 1, runningPolls: 10, reset: { runningPolls: 6 } },
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `rel-crash-${Date.now()}`;
  const env = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AIRBYTE_API_URL: simulator.url,
  };
  const workers: Array<WorkerProcess | undefined> = [];
  const errors: string[] = [];
  let restarts = 0;
  const kills: number[] = [];
  let serverRestarts = 0;
  let chaos = true;
  let spawned = 0;
  try {
    for (let i = 0; i < 2; i++) workers.push(await startWorker(env, `${options.label}-${spawned++}`));

    const kinds = ['poll', 'reset', 'pair'] as const;
    const runs = kinds.flatMap((kind) =>
      Array.from({ length: options.runsPerKind }, () => ({
        kind,
        connectionId: simulator.addConnection().connectionId,
      })),
    );
    const ids: string[] = [];
    const tag = `${options.label}-${Date.now()}`;
    const deadline = Date.now() + options.deadlineSeconds * 1000;
    /** Waits for a run's result across worker kills and the server restart (client calls may fail meanwhile). */
    const result = async (type: string, input: unknown, id: string): Promise<unknown> => {
      ids.push(id);
      for (;;) {
        try {
          await client.workflow.start(type, { taskQueue, workflowId: id, args: [input] });
          break;
        } catch (error) {
          if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') break;
          await sleep(500);
        }
      }
      for (;;) {
        if (Date.now() > deadline)
          throw new Error(`run ${id} did not finish within ${options.deadlineSeconds} s`);
        try {
          return await Promise.race([
            client.workflow.getHandle(id).result(),
            sleep(10_000).then(() => {
              throw new Error('still waiting');
            }),
          ]);
        } catch (error) {
          if (error instanceof WorkflowFailedError) throw error;
          await sleep(500);
        }
      }
    };

    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(options.minKillMs + random() * (options.maxKillMs - options.minKillMs));
        if (!chaos) break;
        const index = random() < 0.5 ? 0 : 1;
        await workers[index]?.kill('SIGKILL');
        kills.push(Date.now());
        if (options.serverRestartAfterKills > 0 && kills.length === options.serverRestartAfterKills) {
          await server.stop();
          await sleep(1000);
          server = await startDevServer({ port, dbFile, headless: true });
          serverRestarts++;
        }
        await sleep(300 + random() * 1200);
        // Bring every dead worker back (a worker may also have died on its own while the server was down).
        for (let i = 0; i < workers.length; i++) {
          if (!workers[i]?.alive()) {
            for (let attempt = 0; ; attempt++) {
              try {
                workers[i] = await startWorker(env, `${options.label}-${spawned++}`);
                restarts++;
                break;
              } catch (error) {
                if (attempt >= 5) throw error;
                await sleep(1000);
              }
            }
          }
        }
      }
    })();

    const outcomes = await Promise.all(
      runs.map(async (run, i) => {
        const begin = Date.now();
        const c = run.connectionId;
        try {
          let value: unknown;
          if (run.kind === 'poll')
            value = await result('trigger-sync-and-poll', { connectionId: c, ...FAST }, `${tag}-poll-${i}`);
          else if (run.kind === 'reset')
            value = await result('reset-and-resync', { connectionId: c, ...FAST }, `${tag}-reset-${i}`);
          else {
            const trigger = (await result('trigger-sync', { connectionId: c }, `${tag}-trigger-${i}`)) as {
              jobId: number;
            };
            value = {
              trigger,
              wait: await result('wait-for-job', { jobId: trigger.jobId, ...FAST }, `${tag}-wait-${i}`),
            };
          }
          return { ...run, ok: true as const, value, begin, end: Date.now() };
        } catch (error) {
          errors.push(errorText(error));
          const root = rootFailure(error);
          return {
            ...run,
            ok: false as const,
            error: `${root.type ?? 'error'}: ${root.message}`,
            begin,
            end: Date.now(),
          };
        }
      }),
    );
    chaos = false;
    await chaosLoop;

    const problems: string[] = [];
    let completed = 0;
    let orphans = 0;
    let duplicates = 0;
    const killsPerRun: number[] = [];
    for (const o of outcomes) {
      killsPerRun.push(kills.filter((k) => k >= o.begin && k <= o.end).length);
      const jobs = simulator.jobs(o.connectionId);
      const expectedTypes = o.kind === 'reset' ? ['reset', 'sync'] : ['sync'];
      duplicates += Math.max(0, jobs.length - expectedTypes.length);
      if (JSON.stringify(jobs.map((j) => j.jobType)) !== JSON.stringify(expectedTypes))
        problems.push(
          `${o.kind} ${o.connectionId}: jobs ${jobs.map((j) => `${j.jobId}:${j.jobType}:${j.status}`).join(', ')}`,
        );
      const resync =
        o.kind === 'reset' && o.ok ? (o.value as { resyncJobId?: number }).resyncJobId : undefined;
      orphans += jobs.filter(
        (j) => !['succeeded', 'failed', 'cancelled'].includes(j.status) && j.jobId !== resync,
      ).length;
      if (!o.ok) {
        problems.push(`${o.kind} ${o.connectionId}: run failed: ${o.error.slice(0, 300)}`);
        continue;
      }
      const expected =
        o.kind === 'poll'
          ? { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: 100 }
          : o.kind === 'reset'
            ? { resetJobId: jobs[0]?.jobId, resetStatus: 'succeeded', resyncJobId: jobs[1]?.jobId }
            : {
                trigger: { jobId: jobs[0]?.jobId, status: 'pending' },
                wait: {
                  jobId: jobs[0]?.jobId,
                  finalStatus: 'succeeded',
                  rowsSynced: 100,
                  bytesSynced: 10240,
                },
              };
      if (JSON.stringify(o.value) === JSON.stringify(expected)) completed++;
      else
        problems.push(
          `${o.kind} ${o.connectionId}: outputs ${JSON.stringify(o.value)} expected ${JSON.stringify(expected)}`,
        );
    }

    const histories = await fetchHistories(client, ids);
    const leaks = [
      ...[...histories.values()].flatMap((h) => findSecrets(decodedPayloads(h), allSecrets())),
      ...everyWorkerOutput().flatMap((o) => findSecrets(o, allSecrets())),
      ...errors.flatMap((e) => findSecrets(e, allSecrets())),
    ];
    const sorted = [...killsPerRun].sort((a, b) => a - b);
    const figures = {
      runs: ids.length,
      runGroups: outcomes.length,
      runsCompletedWithExpectedOutputs: completed,
      jobsCreated: simulator.jobs().length,
      jobsExpected: runs.reduce((n, r) => n + (r.kind === 'reset' ? 2 : 1), 0),
      duplicates,
      orphans,
      sigkills: kills.length,
      workerRestarts: restarts,
      serverRestarts,
      killsPerRunGroup: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
      cancelJobCalls: simulator.requests().filter((e) => e.operationId === 'cancelJob').length,
      conflicts409: simulator.requests().filter((e) => e.status === 409).length,
      historiesScanned: histories.size,
      secretsFound: leaks.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`crashes:${options.label}`, figures);
    assert.deepEqual(problems, [], 'every run completes with the fault-free outputs and jobs');
    assert.equal(duplicates, 0);
    assert.equal(orphans, 0);
    assert.deepEqual(leaks, []);
    assert.ok(kills.length >= 2, 'workers were killed');
    return figures;
  } finally {
    chaos = false;
    for (const w of workers) await w?.kill('SIGKILL');
    await connection.close();
    await simulator.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
