import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { useTestTemporal } from '../helpers/temporal.js';

describe('test harness', () => {
  it('runs a workflow on the real Temporal server through a real worker', async () => {
    const temporal = await useTestTemporal();
    const taskQueue = temporal.taskQueue('harness');
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../fixtures/workflows/harness.ts', import.meta.url)),
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
    const result = await worker.runUntil(
      temporal.client.workflow.execute('harnessWorkflow', {
        taskQueue,
        workflowId: `harness-${taskQueue}`,
        args: ['temporal'],
      }),
    );
    assert.equal(result, 'hello, temporal');

    const history = await temporal.client.workflow.getHandle(`harness-${taskQueue}`).fetchHistory();
    const types = (history.events ?? []).map((e) => String(e.eventType));
    // The server really recorded a timer and an activity: no mock could produce these events.
    assert.ok(
      types.some((t) => t.includes('TIMER_FIRED') || t === '17'),
      `no timer in ${types.join(',')}`,
    );
    assert.ok(types.some((t) => t.includes('ACTIVITY_TASK_COMPLETED') || t === '12'));
    await temporal.release();
  });
});
