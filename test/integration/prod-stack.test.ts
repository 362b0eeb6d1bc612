/**
 * The production topology (src/prod-stack/, `npm run stack:prod`): PostgreSQL, the Temporal server
 * 1.29.1 on it with deploy/temporal/production.yaml, the standalone Web UI server, and worker
 * processes started from the project's worker entry point, against the Airbyte simulator. The
 * verbatim seeds and the catalog workflows; a worker process killed with SIGKILL mid poll while
 * the other takes over; the server restarted with runs in flight; a schedule; the cancel signal.
 *
 * Opt-in: it needs PostgreSQL and the server build (`npm run stack:install`), and takes a minute or
 * two. Run it with ARAZZO_TEST_PROD_STACK=1 (.ci/run does).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import type { Scenario } from '../../simulator/types.js';
import { startProdStack, type ProdStack, type StackWorker } from '../../src/prod-stack/prod-stack.js';
import { serverVersion } from '../../src/prod-stack/temporal-server.js';
import { cancelSignal } from '../../src/contract/index.js';
import { catalogFolder, seedsFolder } from '../helpers/stack.js';

const enabled = process.env.ARAZZO_TEST_PROD_STACK === '1';
const skip = enabled
  ? false
  : 'set ARAZZO_TEST_PROD_STACK=1 to run the production-topology tests (PostgreSQL + Temporal server; see README "Running in production")';

const CATALOG_QUEUE = 'prod-catalog';
const SEEDS_QUEUE = 'prod-seeds';

let dir: string;
let simulator: Simulator;
let stack: ProdStack;
let connection: Connection;
let client: Client;
let counter = 0;

before(async () => {
  if (!enabled) return;
  dir = await mkdtemp(join(tmpdir(), 'arazzo-prod-stack-'));
  // PostgreSQL runs as an unprivileged user when the tests run as root: it must reach its folder.
  await chmod(dir, 0o755);
  simulator = await startSimulator({ clock: 'polls' });
  stack = await startProdStack({
    dataDir: dir,
    workers: 2,
    workerEnv: {
      TEMPORAL_TASK_QUEUE: CATALOG_QUEUE,
      ARAZZO_CATALOG: catalogFolder,
      AIRBYTE_API_URL: simulator.url,
      ARAZZO_RUN_OPTIONS: JSON.stringify({ pollIntervalSeconds: 0.05 }),
    },
    log: () => undefined,
  });
  // The verbatim seeds define the same workflow ids as the catalog: they get a queue of their own.
  await stack.startWorker({ TEMPORAL_TASK_QUEUE: SEEDS_QUEUE, ARAZZO_CATALOG: seedsFolder });
  connection = await Connection.connect({ address: stack.address });
  client = new Client({ connection, namespace: stack.namespace });
});

after(async () => {
  if (!enabled) return;
  await connection?.close();
  await stack?.stop();
  await simulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function addConnection(scenario: Scenario): string {
  return simulator.addConnection({ scenario }).connectionId;
}

/** Starts a run; catalog documents set their own poll interval, so runs there ask for short polls. */
function start(queue: string, type: string, input: Record<string, unknown>): Promise<WorkflowHandle> {
  return client.workflow.start(type, {
    taskQueue: queue,
    workflowId: `${type}-${process.pid}-${++counter}`,
    args: [queue === CATALOG_QUEUE ? { 'x-temporal': { pollIntervalSeconds: 0.05 }, ...input } : input],
  });
}

const polls = (jobId: number | undefined) =>
  simulator.requests().filter((r) => r.operationId === 'getJob' && r.jobId === jobId).length;

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The worker identities (`pid@host`) that started workflow tasks of a run, in history order. */
async function workflowTaskIdentities(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowTaskStartedEventAttributes?.identity)
    .filter((identity): identity is string => typeof identity === 'string');
}

const workerOf = (workers: StackWorker[], identity: string | undefined) =>
  workers.find((w) => identity?.startsWith(`${w.pid}@`));

/** A test that runs only with ARAZZO_TEST_PROD_STACK=1 and is reported as skipped, with the reason, otherwise. */
function itOnStack(name: string, fn: () => Promise<void>): void {
  void it(name, { skip }, fn);
}

describe('production topology: Temporal server on PostgreSQL, worker processes', () => {
  itOnStack('serves Temporal 1.29.1 on PostgreSQL, with the Web UI server reading it', async () => {
    assert.match(await serverVersion(stack.tools.server), /\b1\.29\.1\b/);
    const system = await connection.workflowService.getSystemInfo({});
    assert.ok(system.serverVersion?.startsWith('1.29.1'), system.serverVersion ?? '');
    assert.ok(stack.uiUrl, `no Web UI: ${stack.uiMissing}`);
    const page = await fetch(stack.uiUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const namespaces = (await (await fetch(`${stack.uiUrl}/api/v1/namespaces`)).json()) as {
      namespaces: Array<{ namespaceInfo: { name: string } }>;
    };
    assert.ok(namespaces.namespaces.some((n) => n.namespaceInfo.name === 'default'));
  });

  itOnStack('runs the verbatim seed trigger-sync-and-poll', async () => {
    const id = addConnection({ pendingPolls: 1, runningPolls: 3, rowsSynced: 42 });
    const result = await (await start(SEEDS_QUEUE, 'trigger-sync-and-poll', { connectionId: id })).result();
    assert.deepEqual(result, {
      jobId: simulator.jobs(id)[0]!.jobId,
      finalStatus: 'succeeded',
      rowsSynced: 42,
    });
    assert.equal(simulator.jobs(id).length, 1);
  });

  itOnStack('runs the verbatim seed reset-and-resync: one reset, then one sync', async () => {
    const id = addConnection({ runningPolls: 1, reset: { runningPolls: 2, outcome: 'succeeded' } });
    const result = await (await start(SEEDS_QUEUE, 'reset-and-resync', { connectionId: id })).result();
    const jobs = simulator.jobs(id);
    assert.deepEqual(
      jobs.map((j) => j.jobType),
      ['reset', 'sync'],
    );
    assert.deepEqual(result, {
      resetJobId: jobs[0]!.jobId,
      resetStatus: 'succeeded',
      resyncJobId: jobs[1]!.jobId,
    });
  });

  itOnStack(
    'runs the catalog workflows: trigger-sync-and-poll, reset-and-resync, trigger-sync + wait-for-job',
    async () => {
      const a = addConnection({ queuedPolls: 2, runningPolls: 2, rowsSynced: 7 });
      const b = addConnection({ runningPolls: 1, reset: { runningPolls: 1 } });
      const c = addConnection({ runningPolls: 3 });
      const [sync, reset, triggered] = await Promise.all([
        start(CATALOG_QUEUE, 'trigger-sync-and-poll', { connectionId: a }).then((h) => h.result()),
        start(CATALOG_QUEUE, 'reset-and-resync', { connectionId: b }).then((h) => h.result()),
        start(CATALOG_QUEUE, 'trigger-sync', { connectionId: c }).then((h) => h.result()),
      ]);
      assert.equal(sync.finalStatus, 'succeeded');
      assert.equal(sync.jobId, simulator.jobs(a)[0]!.jobId);
      assert.deepEqual(
        simulator.jobs(b).map((j) => j.jobType),
        ['reset', 'sync'],
      );
      assert.equal(reset.resetStatus, 'succeeded');
      const waited = await (await start(CATALOG_QUEUE, 'wait-for-job', { jobId: triggered.jobId })).result();
      assert.equal(waited.finalStatus, 'succeeded');
      assert.equal(simulator.jobs(c).length, 1);
    },
  );

  itOnStack(
    'a worker process killed with SIGKILL mid poll: the other takes the run over, no duplicate job',
    async () => {
      const id = addConnection({ runningPolls: 15 });
      const handle = await start(CATALOG_QUEUE, 'trigger-sync-and-poll', { connectionId: id });
      await until(() => polls(simulator.jobs(id)[0]?.jobId) >= 3, 'three polls');
      // The worker that holds the run (sticky): the one that started its last workflow task.
      const holder = workerOf(stack.workers, (await workflowTaskIdentities(handle)).at(-1));
      assert.ok(holder, 'the run is on one of the two catalog workers');
      const other = stack.workers.find((w) => w !== holder)!;
      const identitiesAtKill = (await workflowTaskIdentities(handle)).length;
      await holder.kill('SIGKILL');
      const seenAtKill = polls(simulator.jobs(id)[0]!.jobId);

      const result = await handle.result();
      assert.equal(result.finalStatus, 'succeeded');
      assert.equal(simulator.jobs(id).length, 1, 'exactly one job');
      assert.equal(result.jobId, simulator.jobs(id)[0]!.jobId);
      assert.ok(polls(result.jobId) > seenAtKill, 'polling went on after the kill');
      const after = (await workflowTaskIdentities(handle)).slice(identitiesAtKill);
      assert.ok(
        after.length > 0 && after.every((identity) => identity.startsWith(`${other.pid}@`)),
        after.join(', '),
      );
      // Two catalog workers again for the tests that follow.
      stack.workers.splice(stack.workers.indexOf(holder), 1, await stack.startWorker());
    },
  );

  itOnStack(
    'the Temporal server restarted on PostgreSQL with runs in flight: every run completes, one job each',
    async () => {
      const ids = Array.from({ length: 4 }, () => addConnection({ runningPolls: 30 }));
      const handles = await Promise.all(
        ids.map((connectionId) => start(CATALOG_QUEUE, 'trigger-sync-and-poll', { connectionId })),
      );
      await until(
        () => ids.every((id) => polls(simulator.jobs(id)[0]?.jobId) >= 2),
        'two polls of every run',
      );
      await stack.restartServer();
      const results = await Promise.all(handles.map((h) => h.result()));
      for (const [i, id] of ids.entries()) {
        assert.equal(results[i].finalStatus, 'succeeded');
        assert.deepEqual(
          simulator.jobs(id).map((j) => j.jobId),
          [results[i].jobId],
        );
      }
    },
  );

  itOnStack('a schedule starts the catalog workflow when triggered', async () => {
    const id = addConnection({ runningPolls: 1, rowsSynced: 3 });
    const schedule = await client.schedule.create({
      scheduleId: `prod-hourly-${id}`,
      spec: { cronExpressions: ['0 * * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: 'trigger-sync-and-poll',
        taskQueue: CATALOG_QUEUE,
        args: [{ connectionId: id, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
      },
    });
    try {
      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 150 && !workflowId; i++) {
        workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(workflowId, 'the schedule started a run');
      const result = await client.workflow.getHandle(workflowId).result();
      assert.equal(result.finalStatus, 'succeeded');
      assert.equal(simulator.jobs(id).length, 1);
    } finally {
      await schedule.delete();
    }
  });

  itOnStack(
    'the cancel signal cancels the Airbyte job at once; the run ends with finalStatus cancelled',
    async () => {
      const id = addConnection({ runningPolls: 10_000 });
      const handle = await start(CATALOG_QUEUE, 'trigger-sync-and-poll', {
        connectionId: id,
        'x-temporal': { pollIntervalSeconds: 3600 },
      });
      await until(() => polls(simulator.jobs(id)[0]?.jobId) >= 1, 'the first poll');
      await handle.signal(cancelSignal, { reason: 'prod stack test' });
      const result = await handle.result();
      assert.equal(result.finalStatus, 'cancelled');
      assert.deepEqual(
        simulator.jobs(id).map((j) => j.status),
        ['cancelled'],
      );
    },
  );
});
