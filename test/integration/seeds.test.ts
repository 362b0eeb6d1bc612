/**
 * The product owner's seed documents, run verbatim from examples/seeds (byte-identical to the product owner's shared/seeds) on the real Temporal server
 * against the simulator. Assertions on the workflow result and on what the simulator was asked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { seedsFolder, startStack, type Stack } from '../helpers/stack.js';
import type { Scenario } from '../../simulator/types.js';

let stack: Stack;
before(async () => {
  stack = await startStack({ folders: [seedsFolder] });
});
after(() => stack?.close());

async function connection(scenario: Scenario): Promise<string> {
  return stack.simulator.addConnection({ scenario }).connectionId;
}

/** What the simulator was asked about one connection, as `METHOD operationId` lines. */
function calls(connectionId: string): string[] {
  const jobIds = new Set(stack.simulator.jobs(connectionId).map((j) => j.jobId));
  return stack.simulator
    .requests()
    .filter((r) => r.connectionId === connectionId || (r.jobId !== undefined && jobIds.has(r.jobId)))
    .map((r) => `${r.operationId}`);
}

function jobTypes(connectionId: string): string[] {
  return stack.simulator.jobs(connectionId).map((j) => `${j.jobType}:${j.status}`);
}

describe('seed trigger-sync-and-poll, verbatim', () => {
  it('succeeds after several polls', async () => {
    const id = await connection({ pendingPolls: 1, runningPolls: 3, outcome: 'succeeded', rowsSynced: 120 });
    const result = await (await stack.start('trigger-sync-and-poll', { connectionId: id })).result();
    assert.deepEqual(result, {
      jobId: stack.simulator.jobs(id)[0]!.jobId,
      finalStatus: 'succeeded',
      rowsSynced: 120,
    });
    assert.deepEqual(calls(id), ['createJob', 'getJob', 'getJob', 'getJob', 'getJob']);
    assert.deepEqual(jobTypes(id), ['sync:succeeded']);
  });

  it('completes with finalStatus failed when the job fails (the seed has no failure policy)', async () => {
    const id = await connection({ runningPolls: 2, outcome: 'failed' });
    const result = await (await stack.start('trigger-sync-and-poll', { connectionId: id })).result();
    assert.equal(result.finalStatus, 'failed');
    assert.equal(calls(id).filter((c) => c === 'createJob').length, 1);
  });

  it('keeps polling through incomplete attempts to success', async () => {
    const id = await connection({
      runningPolls: 1,
      failedAttempts: 2,
      incompletePolls: 1,
      outcome: 'succeeded',
    });
    const result = await (await stack.start('trigger-sync-and-poll', { connectionId: id })).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.ok(calls(id).filter((c) => c === 'getJob').length >= 5);
  });

  it('applies the jobType default (sync)', async () => {
    const id = await connection({ runningPolls: 1 });
    await (await stack.start('trigger-sync-and-poll', { connectionId: id })).result();
    assert.deepEqual(jobTypes(id), ['sync:succeeded']);
  });

  it('documented behaviour: a queued job ends the verbatim seed early (no action covers queued)', async () => {
    const id = await connection({ pendingPolls: 0, queuedPolls: 3, runningPolls: 1 });
    const result = await (await stack.start('trigger-sync-and-poll', { connectionId: id })).result();
    // The seed's actions list pending/running/incomplete and the terminal statuses only: on `queued`
    // none matches, so the step continues to the end of the workflow. `validate` warns about it.
    assert.equal(result.finalStatus, 'queued');
    assert.deepEqual(calls(id), ['createJob', 'getJob']);
  });

  it('refuses bad input before any request is sent', async () => {
    const before = stack.simulator.requests().length;
    const handle = await stack.start('trigger-sync-and-poll', { jobType: 'sync' });
    await assert.rejects(handle.result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      assert.match(String((error.cause as Error).message), /connectionId/);
      return true;
    });
    assert.equal(stack.simulator.requests().length, before);
  });
});

describe('seed reset-and-resync, verbatim', () => {
  const reset = async (resetScenario: Scenario['reset']) => {
    const id = await connection({ runningPolls: 1, reset: resetScenario });
    const result = await (await stack.start('reset-and-resync', { connectionId: id })).result();
    return { id, result };
  };

  it('a reset that succeeds triggers exactly one re-sync', async () => {
    const { id, result } = await reset({ pendingPolls: 1, runningPolls: 2, outcome: 'succeeded' });
    const jobs = stack.simulator.jobs(id);
    assert.deepEqual(
      jobs.map((j) => j.jobType),
      ['reset', 'sync'],
    );
    assert.deepEqual(result, {
      resetJobId: jobs[0]!.jobId,
      resetStatus: 'succeeded',
      resyncJobId: jobs[1]!.jobId,
    });
    assert.deepEqual(calls(id), ['createJob', 'getJob', 'getJob', 'getJob', 'createJob']);
  });

  it('a reset that fails ends without a re-sync', async () => {
    const { id, result } = await reset({ runningPolls: 2, outcome: 'failed' });
    assert.deepEqual(jobTypes(id), ['reset:failed']);
    assert.deepEqual(result, { resetJobId: stack.simulator.jobs(id)[0]!.jobId, resetStatus: 'failed' });
  });

  it('a reset cancelled by someone else ends without a re-sync', async () => {
    const { id, result } = await reset({ runningPolls: 1, outcome: 'cancelled' });
    assert.deepEqual(jobTypes(id), ['reset:cancelled']);
    assert.equal(result.resetStatus, 'cancelled');
  });

  it('a reset that fails at the first poll ends without a re-sync', async () => {
    const { id, result } = await reset({ pendingPolls: 0, runningPolls: 0, outcome: 'failed' });
    assert.deepEqual(calls(id), ['createJob', 'getJob']);
    assert.equal(result.resetStatus, 'failed');
    assert.equal(result.resyncJobId, undefined);
  });
});
