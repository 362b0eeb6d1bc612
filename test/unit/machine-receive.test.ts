/**
 * Receive steps in the pure state machine, on the catalog's event-driven document: the receive
 * move, its correlation, the message judged by the step's criteria, the timeout taking the
 * onFailure path, and a job still running leading back to the wait (no poll interval).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildExecutionPlan, loadArazzoDocument } from '../../src/catalog/index.js';
import { startRun } from '../../src/arazzo/machine/index.js';
import type { JsonObject } from '../../src/arazzo/model.js';
import type { ExecutionPlan } from '../../src/arazzo/plan.js';
import { drive, json, type MessageSource } from '../helpers/machine-driver.js';

const document = fileURLToPath(new URL('../../arazzo/airbyte-event-driven.arazzo.yaml', import.meta.url));
const CONNECTION = '11111111-1111-4111-8111-111111111111';

async function plan(workflowId: string): Promise<ExecutionPlan> {
  const loaded = await loadArazzoDocument(document);
  return buildExecutionPlan(loaded, workflowId, { defaults: { pollIntervalSeconds: 5 } });
}

/** createJob answers job 42; each getJob answers the next of `statuses`. */
function airbyte(statuses: string[]) {
  const reads = [...statuses];
  return (request: { method: string; body?: { content: unknown } }) => {
    if (request.method === 'POST') {
      const body = request.body?.content as JsonObject;
      return json(200, { jobId: 42, status: 'pending', jobType: body.jobType ?? null });
    }
    const status = reads.shift();
    if (status === undefined) throw new Error('read past the script');
    return json(200, { jobId: 42, status, rowsSynced: 3 });
  };
}

/** Answers each receive with the next entry: a notification of `jobId`, or undefined (timeout). */
function notifications(...jobIds: Array<number | undefined>): MessageSource {
  const queue = [...jobIds];
  return (move) => {
    const jobId = queue.shift();
    if (jobId === undefined) return undefined;
    return {
      correlationId: move.correlationId,
      headers: { 'content-type': 'application/json' },
      payload: { data: { jobId, success: true, connection: { id: CONNECTION } } },
    };
  };
}

describe('receive steps', () => {
  it('makes a receive move correlated by connection and job, with the step timeout', async () => {
    const p = await plan('trigger-sync-event-driven');
    const result = drive(
      p,
      { connectionId: CONNECTION, jobType: 'sync' },
      airbyte(['succeeded']),
      100,
      notifications(42),
    );
    const receive = result.exchanges.find((e) => e.stepId === 'awaitNotification');
    assert.equal(receive?.request, `RECEIVE ${CONNECTION}/42 (message)`);
    assert.equal(result.outcome.type, 'end');
    assert.deepEqual(result.outcome.type === 'end' && result.outcome.outputs, {
      jobId: 42,
      finalStatus: 'succeeded',
      rowsSynced: 3,
      notified: true,
    });
    assert.deepEqual(
      result.exchanges.map((e) => e.stepId),
      ['triggerJob', 'awaitNotification', 'readJob'],
    );
  });

  it('reads the job after each timeout, and waits again (no poll delay) while it runs', async () => {
    const p = await plan('trigger-sync-event-driven');
    const result = drive(
      p,
      { connectionId: CONNECTION, jobType: 'sync' },
      airbyte(['running', 'succeeded']),
      100,
      notifications(undefined, undefined),
    );
    assert.deepEqual(
      result.exchanges.map((e) => `${e.stepId}:${e.delaySeconds}`),
      ['triggerJob:0', 'awaitNotification:0', 'readJob:0', 'awaitNotification:0', 'readJob:0'],
    );
    assert.match(result.exchanges[1]!.request, /timeout 300000 ms/);
    assert.equal(result.outcome.type, 'end');
  });

  it('does not trust a message for another job: the criteria fail and the job is read', async () => {
    const p = await plan('trigger-sync-event-driven');
    const result = drive(
      p,
      { connectionId: CONNECTION, jobType: 'sync' },
      airbyte(['running', 'succeeded']),
      100,
      notifications(7, 42),
    );
    assert.deepEqual(
      result.exchanges.map((e) => e.stepId),
      ['triggerJob', 'awaitNotification', 'readJob', 'awaitNotification', 'readJob'],
    );
    assert.equal(result.outcome.type === 'end' && result.outcome.outputs.finalStatus, 'succeeded');
  });

  it('runs the reset variant: reset, notification, read, re-sync', async () => {
    const p = await plan('reset-and-resync-event-driven');
    const result = drive(
      p,
      { connectionId: CONNECTION, jobType: 'sync' },
      airbyte(['succeeded']),
      100,
      notifications(42),
    );
    assert.deepEqual(
      result.exchanges.map((e) => e.stepId),
      ['triggerReset', 'awaitReset', 'readReset', 'triggerResync'],
    );
  });

  it('fails the step when the correlation cannot be resolved', async () => {
    const p = await plan('trigger-sync-event-driven');
    const broken: ExecutionPlan = JSON.parse(JSON.stringify(p)) as ExecutionPlan;
    const step = broken.document.workflows[0]!.steps[1]!;
    step.correlationId = '$steps.nowhere.outputs.jobId';
    broken.document.workflows[0]!.steps = [step];
    const started = startRun(broken, { connectionId: CONNECTION });
    assert.equal(started.move.type, 'fail');
    assert.match(
      started.move.type === 'fail' ? started.move.message : '',
      /awaitNotification: correlationId/,
    );
  });
});
