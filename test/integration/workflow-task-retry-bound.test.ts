/**
 * The stall after a server restart (issue 12, item 8), its mechanism: every time a workflow task is
 * taken and never answered (its worker SIGKILLed, the server restarted under it) the task times out
 * and comes back with one more attempt, and from the 4th attempt on the Temporal server lengthens
 * its start-to-close timeout, by default up to 10 minutes. A task taken at such an attempt by a
 * worker that then dies stays *started* that long. The dev servers this project starts bound the
 * lengthening (src/dev-server/dev-server.ts, DEV_SERVER_DYNAMIC_CONFIG).
 *
 * This test plays the dying worker: it polls the run's workflow tasks with the raw gRPC API and never
 * answers, and reads each attempt's timeout from the task's own scheduled event, as the server
 * recorded it. No worker runs: nothing else takes the tasks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/dev-server/dev-server.js';

const TASK_TIMEOUT_SECONDS = 1;
/** `ARAZZO_TEST_WFT_RETRY_MAX=10m` measures Temporal's own default instead (docs/reliability.md). */
const override = process.env.ARAZZO_TEST_WFT_RETRY_MAX;

let server: DevServer;
let connection: Connection;
let client: Client;

before(async () => {
  server = await startDevServer({
    headless: true,
    ...(override ? { dynamicConfig: { 'history.workflowTaskRetryMaxInterval': override } } : {}),
  });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
});
after(async () => {
  await connection?.close();
  await server?.stop();
});

describe('workflow task retries on the dev server', () => {
  it('a workflow task taken and never answered comes back with a timeout bounded to 10 s more than its own', async () => {
    const taskQueue = `wft-bound-${Date.now()}`;
    const handle = await client.workflow.start('trigger-sync-and-poll', {
      taskQueue,
      workflowId: `${taskQueue}-run`,
      args: [{ connectionId: '11111111-1111-4111-8111-111111111111' }],
      workflowTaskTimeout: `${TASK_TIMEOUT_SECONDS}s`,
    });
    const seen: Array<{ attempt: number; timeoutSeconds: number }> = [];
    try {
      while (seen.length === 0 || (seen.at(-1)?.attempt ?? 0) < 6) {
        // A long poll, as a worker makes it (the server answers empty after about a minute).
        const task = await connection.withDeadline(Date.now() + 70_000, () =>
          connection.workflowService.pollWorkflowTaskQueue({
            namespace: 'default',
            taskQueue: { name: taskQueue },
            identity: 'a worker that dies with the task',
          }),
        );
        if (!task.taskToken || task.taskToken.length === 0) continue; // an empty long poll
        const scheduled = (task.history?.events ?? [])
          .filter((e) => e.workflowTaskScheduledEventAttributes)
          .at(-1)?.workflowTaskScheduledEventAttributes;
        const timeout = scheduled?.startToCloseTimeout;
        seen.push({
          attempt: task.attempt ?? 0,
          timeoutSeconds: Number(timeout?.seconds ?? 0) + (timeout?.nanos ?? 0) / 1e9,
        });
      }
    } finally {
      await handle.terminate('probe done').catch(() => undefined);
    }
    process.stdout.write(`# figures workflow-task-retries: ${JSON.stringify(seen)}\n`);

    // Attempts 1-3 keep the workflow's own timeout; later ones are lengthened (the server's
    // slow-down is still there), but never by more than the bound.
    assert.deepEqual(
      seen.slice(0, 3).map((s) => s.timeoutSeconds),
      [TASK_TIMEOUT_SECONDS, TASK_TIMEOUT_SECONDS, TASK_TIMEOUT_SECONDS],
      JSON.stringify(seen),
    );
    assert.deepEqual(
      seen.map((s) => s.attempt),
      [1, 2, 3, 4, 5, 6],
    );
    const later = seen.slice(3);
    assert.ok(
      later.every((s) => s.timeoutSeconds > TASK_TIMEOUT_SECONDS),
      `lengthened from attempt 4: ${JSON.stringify(seen)}`,
    );
    assert.ok(
      later.every((s) => s.timeoutSeconds <= TASK_TIMEOUT_SECONDS + 10),
      `bounded to 10 s more: ${JSON.stringify(seen)}`,
    );
  });
});
