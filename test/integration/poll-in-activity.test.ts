/**
 * `pollIn: 'activity'` on a real Temporal dev server with the simulator: the poll loop runs inside
 * one heartbeating activity, the workflow records only its final response; a cancel signal stops
 * it at once; a worker killed mid-poll is replaced and the retry resumes the loop.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { startStack, type Stack } from '../helpers/stack.js';
import { startWorkerProcess } from '../helpers/worker-process.js';
import { POLL_ACTIVITY } from '../../src/contract/index.js';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

const getsOf = (jobId: number | undefined) =>
  stack.simulator.requests().filter((r) => r.operationId === 'getJob' && r.jobId === jobId).length;

const pollActivities = (events: HistoryEvent[]) =>
  events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === POLL_ACTIVITY);

async function until(check: () => boolean, what: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("pollIn: 'activity'", () => {
  it('polls inside one activity and ends with the same outputs; no timer, no read per poll in history', async () => {
    const connectionId = stack.simulator.addConnection({
      scenario: { runningPolls: 6, rowsSynced: 7 },
    }).connectionId;
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': { pollIntervalSeconds: 1, pollIn: 'activity' },
    });
    const result = await handle.result();
    const job = stack.simulator.jobs(connectionId)[0]!;
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.jobId, job.jobId);
    assert.equal(result.rowsSynced, 7);
    assert.ok(getsOf(job.jobId) >= 7, `polled ${getsOf(job.jobId)} times`);

    const events = (await handle.fetchHistory()).events ?? [];
    assert.equal(pollActivities(events).length, 1, 'one polling activity');
    assert.equal(events.filter((e) => e.timerStartedEventAttributes).length, 0, 'no poll timer');
    // The create, the first read, the polling activity: nothing per poll.
    const reads = events.filter((e) => e.markerRecordedEventAttributes).length;
    assert.ok(reads <= 3, `${reads} markers`);
  });

  it('a cancel signal cancels the polling activity at once and the job, ending through the document', async () => {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 100_000 } }).connectionId;
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': { pollIntervalSeconds: 1, pollIn: 'activity' },
    });
    await until(() => getsOf(stack.simulator.jobs(connectionId)[0]?.jobId) >= 3, 'three polls');
    await handle.signal('cancel', { reason: 'test' });
    const result = await handle.result();
    assert.equal(result.finalStatus, 'cancelled');
    const job = stack.simulator.jobs(connectionId)[0]!;
    assert.equal(job.status, 'cancelled');
    const events = (await handle.fetchHistory()).events ?? [];
    assert.ok(
      events.some((e) => e.activityTaskCancelRequestedEventAttributes),
      'the polling activity was asked to stop',
    );
  });

  it('a worker killed mid-poll: the heartbeat timeout hands the loop to another worker, which goes on polling', async () => {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 12 } }).connectionId;
    const taskQueue = stack.temporal.taskQueue('poll-activity-crash');
    const env = {
      TEMPORAL_ADDRESS: stack.temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: stack.simulator.url,
    };
    let worker = await startWorkerProcess(env);
    try {
      const handle = await stack.temporal.client.workflow.start('trigger-sync-and-poll', {
        taskQueue,
        workflowId: `poll-activity-crash-${connectionId}`,
        args: [
          {
            connectionId,
            // Constant: after the heartbeat timeout the run is a minute old, and the age schedule would stretch the test.
            'x-temporal': { pollIntervalSeconds: 1, pollIn: 'activity', pollSchedule: { kind: 'constant' } },
          },
        ],
      });
      const jobId = () => stack.simulator.jobs(connectionId)[0]?.jobId;
      await until(() => getsOf(jobId()) >= 3, 'three polls');
      await worker.kill('SIGKILL');
      const seenAtKill = getsOf(jobId());
      worker = await startWorkerProcess(env);
      const result = await handle.result();
      assert.equal(result.finalStatus, 'succeeded');
      assert.equal(stack.simulator.jobs(connectionId).length, 1, 'one job');
      assert.ok(getsOf(jobId()) > seenAtKill, 'the new worker went on polling');
      const events = (await handle.fetchHistory()).events ?? [];
      const started = events.filter((e) => e.activityTaskStartedEventAttributes);
      const attempts = started.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1);
      assert.ok(
        attempts.some((a) => a >= 2),
        `the polling activity was retried (attempts ${attempts.join(', ')})`,
      );
    } finally {
      await worker.kill('SIGKILL');
    }
  });
});
