/**
 * `onConflict: wait` (issue 12, item 4): a create refused with 409 because another sync runs waits
 * for that sync on durable timers, however long it runs (many lookups, a worker restart in
 * between), then sends its own create once. Cancelling during the wait leaves the other job alone.
 * The blocking job is started the way a scheduled sync is: straight at the simulator's API. Its
 * poll clock moves only when the test reads it, so the test decides when it ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { createArazzoWorker } from '../../src/worker/setup.js';
import type { RunStatus } from '../../src/contract/index.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { Failure } from '../../src/arazzo/failures.js';

let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.close();
});

/** A sync started by someone else (a schedule, the UI): its job id. */
async function startForeignSync(connectionId: string): Promise<number> {
  const response = await fetch(`${stack.simulator.url}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ connectionId, jobType: 'sync' }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { jobId: number }).jobId;
}

/** Reads a job until it ends, as Airbyte's own scheduler would see it through: moves its poll clock. */
async function runToEnd(jobId: number): Promise<void> {
  for (;;) {
    const job = (await (await fetch(`${stack.simulator.url}/jobs/${jobId}`)).json()) as { status: string };
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return;
  }
}

const requestsOf = (connectionId: string, operationId: string) =>
  stack.simulator.requests().filter((r) => r.connectionId === connectionId && r.operationId === operationId);

const lookupsOf = (connectionId: string) =>
  stack.simulator
    .requests()
    .filter((r) => r.operationId === 'listJobs' && String(r.query.connectionId) === connectionId);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

const waitOptions = { onConflict: 'wait', pollIntervalSeconds: 0.05 };

describe('onConflict: wait', () => {
  it('polls the blocking sync on timers across a worker restart, then creates its own job with one POST', async () => {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 2 } }).connectionId;
    const blocker = await startForeignSync(connectionId);
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': waitOptions,
    });

    await until(() => lookupsOf(connectionId).length >= 4);
    const status = await handle.query<RunStatus>('status');
    assert.equal(status.waitingFor?.id, blocker, JSON.stringify(status));
    assert.equal(status.waitingFor?.status, 'pending');
    assert.deepEqual(status.resources, [], 'the blocking job is not the run’s');

    // A deploy in the middle of the wait: the timers are durable, the new worker goes on checking.
    await stack.stopWorker();
    const { worker } = await createArazzoWorker({
      config: stack.config,
      connection: stack.temporal.nativeConnection,
      env: {
        TEMPORAL_ADDRESS: stack.temporal.address,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        AIRBYTE_API_URL: stack.simulator.url,
      },
      workerOptions: { shutdownGraceTime: '1 second' },
    });
    const running = worker.run();
    try {
      const before = lookupsOf(connectionId).length;
      await until(() => lookupsOf(connectionId).length >= before + 3);
      assert.equal(
        requestsOf(connectionId, 'createJob').length,
        2,
        'the foreign sync and our refused create',
      );

      await runToEnd(blocker);
      const result = (await handle.result()) as { finalStatus?: string; jobId?: number };
      assert.equal(result.finalStatus, 'succeeded', JSON.stringify(result));
      assert.notEqual(result.jobId, blocker);

      const creates = requestsOf(connectionId, 'createJob');
      assert.deepEqual(
        creates.map((r) => r.status),
        [200, 409, 200],
        'the foreign sync, our refused create, and our one create after the wait',
      );
      assert.equal(requestsOf(connectionId, 'cancelJob').length, 0);
      const jobs = stack.simulator.jobs(connectionId);
      assert.equal(jobs.length, 2);
      assert.equal(jobs.find((j) => j.jobId === blocker)?.status, 'succeeded');

      const history = await handle.fetchHistory();
      const markers = (history.events ?? []).filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      assert.ok(markers.length > 0, 'the new behaviour is behind patched()');
      const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
      assert.ok(timers.length >= 7, `waited on durable timers (${timers.length})`);
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it('a cancel during the wait ends the run and leaves the other job running', async () => {
    const fresh = await startStack();
    try {
      const connectionId = fresh.simulator.addConnection({ scenario: { runningPolls: 2 } }).connectionId;
      const response = await fetch(`${fresh.simulator.url}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ connectionId, jobType: 'sync' }),
      });
      const blocker = ((await response.json()) as { jobId: number }).jobId;
      const handle = await fresh.start('trigger-sync-and-poll', {
        connectionId,
        'x-temporal': waitOptions,
      });
      const lookups = () =>
        fresh.simulator
          .requests()
          .filter((r) => r.operationId === 'listJobs' && String(r.query.connectionId) === connectionId);
      await until(() => lookups().length >= 2);

      await handle.signal('cancel', { reason: 'not today' });
      const failure = await handle.result().then(
        () => assert.fail('the run should not complete'),
        (error: unknown) => error,
      );
      assert.ok(failure instanceof WorkflowFailedError);
      const cause = failure.cause as { type?: string; message: string };
      assert.equal(cause.type, Failure.runCancelled);
      assert.match(
        cause.message,
        new RegExp(`waiting for job ${blocker} to end \\(left running\\): not today`),
      );
      const requests = fresh.simulator.requests().filter((r) => r.connectionId === connectionId);
      assert.equal(requests.filter((r) => r.operationId === 'cancelJob').length, 0);
      assert.equal(requests.filter((r) => r.operationId === 'createJob').length, 2);
      assert.equal(fresh.simulator.job(blocker)?.status, 'pending');
    } finally {
      await fresh.close();
    }
  });
});
