/**
 * The project's catalog workflows on the real Temporal server against the simulator: queued keeps
 * polling, the failure policy, the async pair, cancel by signal and by Temporal cancellation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { startStack, type Stack } from '../helpers/stack.js';
import type { Scenario } from '../../simulator/types.js';
import { cancelSignal, statusQuery } from '../../src/contract/index.js';
import { Failure } from '../../src/arazzo/failures.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

const fast = { 'x-temporal': { pollIntervalSeconds: 0.05 } };

function connection(scenario: Scenario): string {
  return stack.simulator.addConnection({ scenario }).connectionId;
}

function requests(connectionId: string, operationId: string) {
  const jobIds = new Set(stack.simulator.jobs(connectionId).map((j) => j.jobId));
  return stack.simulator
    .requests()
    .filter(
      (r) =>
        r.operationId === operationId &&
        (r.connectionId === connectionId || (r.jobId !== undefined && jobIds.has(r.jobId))),
    );
}

async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  try {
    await handle.result();
  } catch (error) {
    assert.ok(error instanceof WorkflowFailedError, String(error));
    assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
    return error.cause;
  }
  throw new Error('the run did not fail');
}

/** Waits until the run reports the job running (the simulator has seen a few polls). */
async function untilPolling(handle: WorkflowHandle, connectionId: string, polls = 2): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (requests(connectionId, 'getJob').length >= polls) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no polls seen for ${await handle.describe().then((d) => d.workflowId)}`);
}

describe('catalog trigger-sync-and-poll', () => {
  it('keeps polling through queued to success', async () => {
    const id = connection({ pendingPolls: 1, queuedPolls: 3, runningPolls: 2, rowsSynced: 5 });
    const result = await (await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast })).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(requests(id, 'getJob').length, 6);
  });

  it('fails the run with AirbyteJobFailed and the outputs in the details when the job fails', async () => {
    const id = connection({ runningPolls: 1, outcome: 'failed' });
    const failure = await failureOf(
      await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast }),
    );
    assert.equal(failure.type, 'AirbyteJobFailed');
    assert.equal(failure.nonRetryable, true);
    const [details] = failure.details as [{ outputs: Record<string, unknown>; resource: { status: string } }];
    assert.equal(details.outputs.finalStatus, 'failed');
    assert.equal(details.resource.status, 'failed');
  });

  it('rejects a connection id that is not a UUID before any request', async () => {
    const before = stack.simulator.requests().length;
    const failure = await failureOf(
      await stack.start('trigger-sync-and-poll', { connectionId: '../../jobs', ...fast }),
    );
    assert.equal(failure.type, Failure.invalidInput);
    assert.match(failure.message, /connectionId/);
    assert.equal(stack.simulator.requests().length, before);
  });

  it('answers the status query with the step, iteration and job', async () => {
    const id = connection({ runningPolls: 10_000 });
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 0.2 },
    });
    await untilPolling(handle, id, 2);
    const status = await handle.query(statusQuery);
    assert.equal(status.arazzoWorkflowId, 'trigger-sync-and-poll');
    assert.equal(status.currentStep, 'pollJob');
    assert.ok(status.iteration >= 2);
    assert.equal(status.resources[0]?.status, 'running');
    assert.equal(status.resources[0]?.id, stack.simulator.jobs(id)[0]!.jobId);
    await handle.signal(cancelSignal, { reason: 'test over' });
    await handle.result();
  });
});

describe('cancel', () => {
  it('a cancel signal stops the running job at once with exactly one DELETE; the run ends through the document (finalStatus cancelled)', async () => {
    const id = connection({ runningPolls: 10_000 });
    // A long poll interval: the cancel must not wait for the timer.
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 3600 },
    });
    await untilPolling(handle, id, 1);
    await handle.signal(cancelSignal, { reason: 'user asked' });
    const result = await handle.result();
    assert.equal(result.finalStatus, 'cancelled');
    assert.equal(requests(id, 'cancelJob').length, 1);
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.status),
      ['cancelled'],
    );
  });

  it('temporal cancellation cancels the job in a non-cancellable scope and ends the run Canceled', async () => {
    const id = connection({ runningPolls: 10_000 });
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 3600 },
    });
    await untilPolling(handle, id, 1);
    await handle.cancel();
    await assert.rejects(
      handle.result(),
      (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure,
    );
    assert.equal(requests(id, 'cancelJob').length, 1);
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.status),
      ['cancelled'],
    );
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
  });

  it('a second cancel signal sends no second DELETE', async () => {
    // The simulator takes a few polls to report the cancel: the run polls meanwhile.
    const id = connection({ runningPolls: 10_000 });
    const handle = await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast });
    await untilPolling(handle, id, 1);
    await handle.signal(cancelSignal, { reason: 'one' });
    await handle.signal(cancelSignal, { reason: 'two' });
    await handle.result();
    assert.equal(requests(id, 'cancelJob').length, 1);
  });

  it('wait-for-job never cancels a job it did not start', async () => {
    const id = connection({ runningPolls: 10_000 });
    const started = await (await stack.start('trigger-sync', { connectionId: id })).result();
    const handle = await stack.start('wait-for-job', { jobId: started.jobId, ...fast });
    await untilPolling(handle, id, 2);
    await handle.cancel();
    await assert.rejects(handle.result());
    assert.equal(requests(id, 'cancelJob').length, 0);
  });
});

describe('the async pair (Airflow asynchronous=True)', () => {
  it('trigger-sync returns the job id at once; wait-for-job polls it to the end', async () => {
    const id = connection({ runningPolls: 3, rowsSynced: 7 });
    const started = await (await stack.start('trigger-sync', { connectionId: id })).result();
    assert.equal(started.jobId, stack.simulator.jobs(id)[0]!.jobId);
    assert.equal(requests(id, 'getJob').length, 0);
    const done = await (await stack.start('wait-for-job', { jobId: started.jobId, ...fast })).result();
    assert.deepEqual(done, {
      jobId: started.jobId,
      finalStatus: 'succeeded',
      rowsSynced: 7,
      bytesSynced: done.bytesSynced,
    });
  });

  it('wait-for-job fails with AirbyteJobFailed when the job fails', async () => {
    const id = connection({ runningPolls: 1, outcome: 'failed' });
    const started = await (await stack.start('trigger-sync', { connectionId: id })).result();
    const failure = await failureOf(await stack.start('wait-for-job', { jobId: started.jobId, ...fast }));
    assert.equal(failure.type, 'AirbyteJobFailed');
  });
});

describe('catalog reset-and-resync', () => {
  it('a reset that fails fails the run, without a re-sync', async () => {
    const id = connection({ reset: { runningPolls: 1, outcome: 'failed' } });
    const failure = await failureOf(await stack.start('reset-and-resync', { connectionId: id, ...fast }));
    assert.equal(failure.type, 'AirbyteJobFailed');
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.jobType),
      ['reset'],
    );
  });

  it('a reset that succeeds starts exactly one re-sync', async () => {
    const id = connection({ reset: { runningPolls: 2 } });
    const result = await (await stack.start('reset-and-resync', { connectionId: id, ...fast })).result();
    const jobs = stack.simulator.jobs(id);
    assert.deepEqual(
      jobs.map((j) => j.jobType),
      ['reset', 'sync'],
    );
    assert.equal(result.resyncJobId, jobs[1]!.jobId);
  });
});

describe('deadlines', () => {
  it('waitTimeoutSeconds: stops waiting and fails, leaving the job running', async () => {
    const id = connection({ runningPolls: 100_000 });
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 1, waitTimeoutSeconds: 3 },
    });
    const failure = await failureOf(handle);
    assert.equal(failure.type, Failure.waitTimeout);
    assert.equal(requests(id, 'cancelJob').length, 0);
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.status),
      ['running'],
    );
  });

  it('executionTimeoutSeconds: cancels the job, then fails', async () => {
    const id = connection({ runningPolls: 100_000 });
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 1, executionTimeoutSeconds: 3 },
    });
    const failure = await failureOf(handle);
    assert.equal(failure.type, Failure.executionTimeout);
    assert.equal(requests(id, 'cancelJob').length, 1);
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.status),
      ['cancelled'],
    );
  });
});

describe('a sync already running for the connection (409)', () => {
  it('attach (default): a second run adopts the running job instead of creating another', async () => {
    const id = connection({ runningPolls: 6 });
    const first = await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast });
    await untilPolling(first, id, 1);
    const second = await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast });
    const [a, b] = await Promise.all([first.result(), second.result()]);
    assert.equal(stack.simulator.jobs(id).length, 1, 'one job for both runs');
    assert.equal(a.jobId, b.jobId);
    assert.equal(b.finalStatus, 'succeeded');
    assert.equal(stack.simulator.counts(id).conflicts, 1);
  });

  it("fail: the run fails with Airbyte's message and creates nothing", async () => {
    const id = connection({ runningPolls: 100_000 });
    const first = await stack.start('trigger-sync-and-poll', { connectionId: id, ...fast });
    await untilPolling(first, id, 1);
    const second = await stack.start('trigger-sync-and-poll', {
      connectionId: id,
      'x-temporal': { pollIntervalSeconds: 0.05, onConflict: 'fail' },
    });
    const failure = await failureOf(second);
    assert.match(failure.message, /triggerJob/);
    assert.match(JSON.stringify(failure.cause ?? failure.message) + failure.message, /already running/);
    assert.equal(stack.simulator.jobs(id).length, 1);
    await first.signal(cancelSignal, { reason: 'done' });
    await first.result();
  });
});
