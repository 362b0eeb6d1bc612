/**
 * Faults from the API: many concurrent runs of each catalog workflow while the simulator injects
 * 5xx, connection resets, latency above the worker's HTTP timeout, 429 with and without
 * Retry-After, slow creates that create the job after the client gave up, answers lost after the
 * job was created, and token expiry mid-poll (client credentials, short TTL, simulator clock
 * pushed forward). Two worker processes share the task queue.
 *
 * "Nothing lost": every run ends with the outputs a fault-free run gives; the simulator holds
 * exactly the jobs a fault-free run creates (per connection: sync / reset+sync / sync), so zero
 * duplicates; and no job is left non-terminal except the re-sync that reset-and-resync starts
 * without waiting for (its id is the run's `resyncJobId`), so zero orphans.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { startSimulator } from '../../../simulator/server.js';
import type { RequestLogEntry, ScriptedFault } from '../../../simulator/types.js';
import { useTestTemporal } from '../../helpers/temporal.js';
import {
  SECRETS,
  allSecrets,
  decodedPayloads,
  errorText,
  fetchHistories,
  findSecrets,
  record,
  resultsFile,
  rootFailure,
  startTokenProxy,
  startTrap,
} from './harness.js';
import { everyWorkerOutput, sleep, startWorker, type WorkerProcess } from './processes.js';

export interface ApiFaultsOptions {
  /** Concurrent runs of each catalog workflow (trigger-sync + wait-for-job count as one pair). */
  runsPerWorkflow: number;
  seed: number;
  workers: number;
  label: string;
  /** Statuses of the random 5xx faults; default 502/503/504 (500 has its own test: see the report). */
  errorStatuses?: number[];
}

const FAST = { 'x-temporal': { pollIntervalSeconds: 0.05 } };
const ROWS = 100;
const BYTES = 10240;

export async function runApiFaults(options: ApiFaultsOptions): Promise<Record<string, unknown>> {
  const started = Date.now();
  const n = options.runsPerWorkflow;
  const temporal = await useTestTemporal();
  const simulator = await startSimulator({
    clock: 'polls',
    auth: {
      mode: 'client-credentials',
      clients: [{ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret }],
      tokenTtlSeconds: 3,
    },
    defaultScenario: { pendingPolls: 1, runningPolls: 3, rowsSynced: ROWS, bytesSynced: BYTES },
  });
  const tokens = await startTokenProxy(simulator);
  const trap = await startTrap();
  const workers: WorkerProcess[] = [];
  const errors: string[] = [];
  try {
    const taskQueue = temporal.taskQueue('rel-faults');
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
      AIRBYTE_TOKEN_URL: tokens.url,
      AIRBYTE_CLIENT_ID: SECRETS.clientId,
      AIRBYTE_CLIENT_SECRET: SECRETS.clientSecret,
      AIRBYTE_TIMEOUT_SECONDS: '2',
      // The fast subset (npm test) settles lost creates after 6 s instead of the default 5 × the
      // timeout (10 s): still past the slowest answer the faults make (3 s latency), so the
      // zero-duplicate check holds, and the file fits the runner's per-file limit.
      ...(options.label === 'fast' ? { ARAZZO_RUN_OPTIONS: JSON.stringify({ createSettleSeconds: 6 }) } : {}),
    };
    for (let i = 0; i < options.workers; i++) workers.push(await startWorker(env, `${options.label}-${i}`));

    const kinds = ['poll', 'reset', 'pair'] as const;
    const connections: Record<(typeof kinds)[number], string[]> = { poll: [], reset: [], pair: [] };
    for (const kind of kinds)
      for (let i = 0; i < n; i++) connections[kind].push(simulator.addConnection().connectionId);
    const all = kinds.flatMap((k) => connections[k]);

    // Random faults for every operation (token endpoint included); half the connections get 429s without Retry-After.
    simulator.setFaults({
      seed: options.seed,
      global: {
        errorRate: 0.1,
        errorStatuses: options.errorStatuses ?? [502, 503, 504],
        resetRate: 0.05,
        latencyMs: 3000,
        latencyRate: 0.03,
        rateLimitRate: 0.03,
        retryAfterSeconds: 1,
        slowCreateRate: 0.15,
        slowCreateMs: 2500,
      },
      connections: Object.fromEntries(
        all.filter((_, i) => i % 2 === 1).map((id) => [id, { retryAfterSeconds: null }]),
      ),
    });
    // Answers lost after the job was created (the outcome the client cannot know): 1 in 8 connections.
    simulator.scriptFaults(
      ...all
        .filter((_, i) => i % 8 === 3)
        .map((connectionId, i) =>
          i % 2 === 0
            ? {
                op: 'createJob' as const,
                connectionId,
                fault: 'status' as const,
                status: 502,
                when: 'after' as const,
              }
            : { op: 'createJob' as const, connectionId, fault: 'reset' as const, when: 'after' as const },
        ),
    );

    // Token expiry mid-poll: 2.5 s in, then every 6 s, the simulator clock jumps 3 s, so the tokens the worker holds
    // (3 s TTL, refreshed at half-life) expire before it planned to replace them: the next request
    // of each run meets a 401, and the worker must mint a new token and carry on.
    let ticking = true;
    let jumps = 0;
    const ticker = (async () => {
      while (ticking) {
        for (let i = 0; i < (jumps === 0 ? 25 : 60) && ticking; i++) await sleep(100);
        if (ticking) {
          simulator.advanceTime(3000);
          jumps++;
        }
      }
    })();

    const ids: string[] = [];
    const start = async (type: string, input: unknown, id: string): Promise<WorkflowHandle> => {
      ids.push(id);
      return temporal.client.workflow.start(type, { taskQueue, workflowId: id, args: [input] });
    };
    const settle = async <T>(
      promise: Promise<T>,
    ): Promise<{ ok: true; value: T } | { ok: false; error: string }> => {
      try {
        return { ok: true, value: await promise };
      } catch (error) {
        errors.push(errorText(error));
        const root = rootFailure(error);
        return { ok: false, error: `${root.type ?? 'error'}: ${root.message}` };
      }
    };
    const tag = `${options.label}-${Date.now()}`;
    const results = await Promise.all([
      ...connections.poll.map(async (c, i) => ({
        kind: 'poll' as const,
        connectionId: c,
        outcome: await settle(
          (await start('trigger-sync-and-poll', { connectionId: c, ...FAST }, `${tag}-poll-${i}`)).result(),
        ),
      })),
      ...connections.reset.map(async (c, i) => ({
        kind: 'reset' as const,
        connectionId: c,
        outcome: await settle(
          (await start('reset-and-resync', { connectionId: c, ...FAST }, `${tag}-reset-${i}`)).result(),
        ),
      })),
      ...connections.pair.map(async (c, i) => {
        const triggered = await settle(
          (await start('trigger-sync', { connectionId: c }, `${tag}-trigger-${i}`)).result(),
        );
        if (!triggered.ok) return { kind: 'pair' as const, connectionId: c, outcome: triggered };
        const jobId = (triggered.value as { jobId: number }).jobId;
        const waited = await settle(
          (await start('wait-for-job', { jobId, ...FAST }, `${tag}-wait-${i}`)).result(),
        );
        return {
          kind: 'pair' as const,
          connectionId: c,
          outcome: waited.ok
            ? { ok: true as const, value: { trigger: triggered.value, wait: waited.value } }
            : waited,
        };
      }),
    ]);
    ticking = false;
    await ticker;

    // Check every run against what a fault-free run gives.
    const problems: string[] = [];
    let completed = 0;
    let jobsCreated = 0;
    let jobsExpected = 0;
    let duplicates = 0;
    let orphans = 0;
    for (const r of results) {
      const jobs = simulator.jobs(r.connectionId);
      jobsCreated += jobs.length;
      const expectedTypes = r.kind === 'reset' ? ['reset', 'sync'] : ['sync'];
      jobsExpected += expectedTypes.length;
      duplicates += Math.max(0, jobs.length - expectedTypes.length);
      if (JSON.stringify(jobs.map((j) => j.jobType)) !== JSON.stringify(expectedTypes))
        problems.push(
          `${r.kind} ${r.connectionId}: jobs ${jobs.map((j) => `${j.jobId}:${j.jobType}:${j.status}`).join(', ')}`,
        );
      const leftRunning = jobs.filter((j) => !['succeeded', 'failed', 'cancelled'].includes(j.status));
      const allowed =
        r.kind === 'reset' && r.outcome.ok
          ? (r.outcome.value as { resyncJobId?: number }).resyncJobId
          : undefined;
      orphans += leftRunning.filter((j) => j.jobId !== allowed).length;
      if (!r.outcome.ok) {
        problems.push(`${r.kind} ${r.connectionId}: run failed: ${r.outcome.error.slice(0, 400)}`);
        continue;
      }
      let expected: unknown;
      if (r.kind === 'poll') expected = { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: ROWS };
      else if (r.kind === 'reset')
        expected = { resetJobId: jobs[0]?.jobId, resetStatus: 'succeeded', resyncJobId: jobs[1]?.jobId };
      else
        expected = {
          trigger: { jobId: jobs[0]?.jobId, status: 'pending' },
          wait: { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: ROWS, bytesSynced: BYTES },
        };
      try {
        assert.deepEqual(r.outcome.value, expected);
        completed++;
      } catch {
        problems.push(
          `${r.kind} ${r.connectionId}: outputs ${JSON.stringify(r.outcome.value)} expected ${JSON.stringify(expected)}`,
        );
      }
    }

    const log = simulator.requests();
    const faultCounts: Record<string, number> = {};
    for (const entry of log) {
      if (entry.fault) {
        const key = `${entry.operationId ?? '?'} ${entry.fault.replace(/:\d+/g, '')}`;
        faultCounts[key] = (faultCounts[key] ?? 0) + 1;
      }
    }
    const count = (f: (e: RequestLogEntry) => boolean) => log.filter(f).length;

    // Secret scan: every history, every worker log line, every error of this part.
    const histories = await fetchHistories(temporal.client, ids);
    const secrets = allSecrets(tokens.tokens());
    const leaks = [
      ...[...histories.values()].flatMap((h) => findSecrets(decodedPayloads(h), secrets)),
      ...everyWorkerOutput().flatMap((o) => findSecrets(o, secrets)),
      ...errors.flatMap((e) => findSecrets(e, secrets)),
    ];

    const figures = {
      runs: results.length + connections.pair.length,
      runsCompletedWithExpectedOutputs: completed,
      runGroups: results.length,
      jobsCreated,
      jobsExpected,
      duplicates,
      orphans,
      requests: log.length,
      faultsInjected: count((e) => e.fault !== undefined),
      faultsByKind: faultCounts,
      unauthorized401: count((e) => e.status === 401),
      tokensMinted: tokens.tokens().length,
      conflicts409: count((e) => e.status === 409),
      createCalls: count((e) => e.operationId === 'createJob'),
      listLookups: count((e) => e.operationId === 'listJobs'),
      trapHits: trap.hits().length,
      historiesScanned: histories.size,
      workerLogBytes: everyWorkerOutput().join('').length,
      secretsFound: leaks.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`api-faults:${options.label}`, figures);
    if (problems.length > 0) {
      const bad = new Set(problems.map((p) => p.split(' ')[1]));
      const jobIds = new Set(
        simulator
          .jobs()
          .filter((j) => bad.has(j.connectionId))
          .map((j) => j.jobId),
      );
      writeFileSync(
        `${resultsFile}.debug-${options.label}.json`,
        JSON.stringify(
          log.filter(
            (e) =>
              (e.connectionId && bad.has(e.connectionId)) || (e.jobId !== undefined && jobIds.has(e.jobId)),
          ),
          null,
          1,
        ),
      );
    }
    assert.deepEqual(problems, [], 'every run ends with the fault-free outputs and jobs');
    assert.equal(duplicates, 0);
    assert.equal(orphans, 0);
    assert.deepEqual(leaks, [], 'no secret in histories, logs or errors');
    assert.ok(figures.faultsInjected > 0, 'faults happened');
    // A token expiring mid-run depends on timing: the small run of `npm test` can finish between two
    // clock jumps. The full suite (200 runs) requires it; the unit tests of src/activities/auth.ts
    // cover the refresh and the re-mint deterministically.
    if (n >= 20) assert.ok(figures.unauthorized401 > 0, 'token expiries happened');
    return figures;
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await trap.close();
    await tokens.close();
    await simulator.close();
    await temporal.release();
  }
}

type Kind = 'poll' | 'reset' | 'pair';
type Fault = Omit<ScriptedFault, 'connectionId'>;

/**
 * Exact faults: each run gets its own connection and the scripted faults given for its kind.
 * Returns the problems found (run failed, outputs or jobs differ from a fault-free run, job left
 * running), and records the figures.
 */
export async function runScripted(options: {
  label: string;
  runsPerKind: number;
  kinds: Kind[];
  faults: (kind: Kind) => Fault[];
  env?: NodeJS.ProcessEnv;
}): Promise<{ problems: string[]; figures: Record<string, unknown> }> {
  const started = Date.now();
  const temporal = await useTestTemporal();
  const simulator = await startSimulator({
    clock: 'polls',
    defaultScenario: { pendingPolls: 1, runningPolls: 3, rowsSynced: ROWS, bytesSynced: BYTES },
  });
  const taskQueue = temporal.taskQueue(`rel-${options.label}`);
  const worker = await startWorker(
    {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
      AIRBYTE_TIMEOUT_SECONDS: '2',
      ...options.env,
    },
    options.label,
  );
  try {
    const runs = options.kinds.flatMap((kind) =>
      Array.from({ length: options.runsPerKind }, () => ({
        kind,
        connectionId: simulator.addConnection().connectionId,
      })),
    );
    for (const run of runs)
      simulator.scriptFaults(
        ...options.faults(run.kind).map((f) => ({ ...f, connectionId: run.connectionId }) as ScriptedFault),
      );
    const tag = `${options.label}-${Date.now()}`;
    const problems: string[] = [];
    let completed = 0;
    const exec = async (type: string, input: unknown, id: string) =>
      (await temporal.client.workflow.start(type, { taskQueue, workflowId: id, args: [input] })).result();
    await Promise.all(
      runs.map(async (run, i) => {
        const c = run.connectionId;
        try {
          let value: unknown;
          if (run.kind === 'poll')
            value = await exec('trigger-sync-and-poll', { connectionId: c, ...FAST }, `${tag}-${i}`);
          else if (run.kind === 'reset')
            value = await exec('reset-and-resync', { connectionId: c, ...FAST }, `${tag}-${i}`);
          else {
            const trigger = (await exec('trigger-sync', { connectionId: c }, `${tag}-${i}-t`)) as {
              jobId: number;
            };
            value = {
              trigger,
              wait: await exec('wait-for-job', { jobId: trigger.jobId, ...FAST }, `${tag}-${i}-w`),
            };
          }
          const jobs = simulator.jobs(c);
          const expected =
            run.kind === 'poll'
              ? { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: ROWS }
              : run.kind === 'reset'
                ? { resetJobId: jobs[0]?.jobId, resetStatus: 'succeeded', resyncJobId: jobs[1]?.jobId }
                : {
                    trigger: { jobId: jobs[0]?.jobId, status: 'pending' },
                    wait: {
                      jobId: jobs[0]?.jobId,
                      finalStatus: 'succeeded',
                      rowsSynced: ROWS,
                      bytesSynced: BYTES,
                    },
                  };
          if (JSON.stringify(value) !== JSON.stringify(expected))
            problems.push(
              `${run.kind} ${c}: outputs ${JSON.stringify(value)} expected ${JSON.stringify(expected)}`,
            );
          else completed++;
        } catch (error) {
          const root = rootFailure(error);
          problems.push(
            `${run.kind} ${c}: run failed: ${root.type ?? 'error'}: ${root.message.slice(0, 300)}`,
          );
        }
        const jobs = simulator.jobs(c);
        const expectedTypes = run.kind === 'reset' ? ['reset', 'sync'] : ['sync'];
        if (JSON.stringify(jobs.map((j) => j.jobType)) !== JSON.stringify(expectedTypes))
          problems.push(
            `${run.kind} ${c}: jobs ${jobs.map((j) => `${j.jobId}:${j.jobType}:${j.status}`).join(', ')}`,
          );
      }),
    );
    const figures = {
      runs: runs.length,
      runsCompletedWithExpectedOutputs: completed,
      jobsCreated: simulator.jobs().length,
      jobsExpected: runs.reduce((n, r) => n + (r.kind === 'reset' ? 2 : 1), 0),
      faultsInjected: simulator.requests().filter((e) => e.fault !== undefined).length,
      problems: problems.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`scripted:${options.label}`, figures);
    return { problems, figures };
  } finally {
    await worker.kill('SIGTERM');
    await simulator.close();
    await temporal.release();
  }
}
