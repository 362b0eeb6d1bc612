/**
 * Issue 12 on the real Temporal server, with the catalog's workflows against the simulator
 * behaving as Airbyte's server code does: a 409 that is not "a sync is already running" fails the
 * run after one POST; a run never cancels a job it did not start; a cancel after our job ended
 * never reaches the next one (Airbyte cancels per connection); the job type decides adoption.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startStack, type Stack } from '../helpers/stack.js';
import type { ConnectionState, Scenario } from '../../simulator/types.js';
import { cancelSignal } from '../../src/contract/index.js';
import { Failure } from '../../src/arazzo/failures.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

const fast = { pollIntervalSeconds: 0.05 };

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

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A job started on the connection by someone else (Airbyte's scheduler, the UI). */
async function startElsewhere(connectionId: string, jobType = 'sync'): Promise<number> {
  const response = await fetch(`${stack.simulator.url}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ connectionId, jobType }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { jobId: number }).jobId;
}

const longRunning: Scenario = { clock: 'polls', pendingPolls: 0, runningPolls: 1_000_000 };

describe('a 409 that is not "a sync is already running"', () => {
  for (const state of ['inactive', 'workflow-deleted', 'creation-times-out'] as const) {
    it(`${state}: trigger-sync-and-poll fails after exactly one POST, with Airbyte's message`, async () => {
      const { connectionId } = stack.simulator.addConnection({
        state: state as ConnectionState,
        scenario: longRunning,
      });
      const handle = await stack.start('trigger-sync-and-poll', {
        connectionId,
        'x-temporal': fast,
      });
      const failure = await failureOf(handle);
      const text = `${failure.message} ${JSON.stringify(failure.details ?? [])}`;
      assert.ok(
        /Could not fulfill request|is deleted, so no further operations/.test(text),
        `the failure names Airbyte's message: ${text}`,
      );
      assert.equal(requests(connectionId, 'createJob').length, 1);
      assert.equal(requests(connectionId, 'listJobs').length, 0);
    });
  }
});

describe('cancel only what the run started', () => {
  it('attached to a running (scheduled) sync after a 409: a cancel signal sends no DELETE and leaves it running', async () => {
    const { connectionId } = stack.simulator.addConnection({ scenario: longRunning });
    const scheduled = await startElsewhere(connectionId);
    const handle = await stack.start('trigger-sync-and-poll', { connectionId, 'x-temporal': fast });
    await until('polls of the adopted job', () => requests(connectionId, 'getJob').length >= 2);
    await handle.signal(cancelSignal, { reason: 'user asked' });
    const failure = await failureOf(handle);
    assert.equal(failure.type, Failure.runCancelled);
    assert.match(failure.message, new RegExp(`left running .*job ${scheduled}`));
    assert.equal(requests(connectionId, 'cancelJob').length, 0);
    assert.equal(stack.simulator.job(scheduled)?.status, 'running');
  });

  it('with cancelAdoptedJobs: true the adopted job is cancelled (after a read confirming it runs)', async () => {
    const { connectionId } = stack.simulator.addConnection({ scenario: longRunning });
    const scheduled = await startElsewhere(connectionId);
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': { ...fast, cancelAdoptedJobs: true },
    });
    await until('polls of the adopted job', () => requests(connectionId, 'getJob').length >= 2);
    await handle.signal(cancelSignal, { reason: 'user asked' });
    const result = await handle.result();
    assert.equal(result.finalStatus, 'cancelled');
    assert.equal(requests(connectionId, 'cancelJob').length, 1);
    assert.equal(stack.simulator.job(scheduled)?.status, 'cancelled');
  });

  it('our job ended, a scheduled sync started, then the cancel signal: the read before the cancel stops the DELETE', async () => {
    // Our job runs 1.5 s of wall time; the run sleeps an hour between polls, so it has not seen it end.
    const { connectionId } = stack.simulator.addConnection({
      scenario: { clock: 'wall', pendingMs: 0, runningMs: 1_500, outcome: 'succeeded' },
    });
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': { pollIntervalSeconds: 3600 },
    });
    await until('our job', () => stack.simulator.jobs(connectionId).length === 1);
    const ours = stack.simulator.jobs(connectionId)[0]!.jobId;
    await until('our job to end', () => stack.simulator.job(ours)?.status === 'succeeded');
    stack.simulator.addConnection({
      connectionId,
      scenario: { clock: 'wall', pendingMs: 0, runningMs: 3_600_000 },
    });
    const scheduled = await startElsewhere(connectionId);
    await handle.signal(cancelSignal, { reason: 'user asked' });
    const result = await handle.result();
    assert.equal(result.finalStatus, 'succeeded');
    // Today's code sent DELETE /jobs/<ours>, and Airbyte cancelled the scheduled sync with it.
    assert.equal(requests(connectionId, 'cancelJob').length, 0);
    assert.equal(stack.simulator.job(scheduled)?.status, 'running');
    assert.equal(stack.simulator.job(ours)?.cancelledByClient, false);
  });
});

describe('adoption finds the right job', () => {
  it('a running reset is never adopted as our sync: the run waits it out and creates its own sync', async () => {
    const { connectionId } = stack.simulator.addConnection({
      scenario: { clock: 'wall', pendingMs: 0, runningMs: 500, reset: { clock: 'wall', runningMs: 2_000 } },
    });
    const reset = await startElsewhere(connectionId, 'reset');
    const result = await (
      await stack.start('trigger-sync-and-poll', { connectionId, 'x-temporal': fast })
    ).result();
    assert.notEqual(result.jobId, reset);
    const jobs = stack.simulator.jobs(connectionId);
    assert.deepEqual(
      jobs.map((j) => j.jobType),
      ['reset', 'sync'],
    );
    assert.equal(result.jobId, jobs[1]?.jobId);
    assert.equal(result.finalStatus, 'succeeded');
  });
});
