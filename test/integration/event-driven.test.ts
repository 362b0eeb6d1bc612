/**
 * The event-driven catalog workflows (arazzo/airbyte-event-driven.arazzo.yaml) end to end on the
 * real Temporal server: the simulator sends Airbyte's job notifications to the notification
 * receiver, which delivers them through per-job mailboxes to the runs' receive steps. Lost,
 * duplicated and forged notifications included. The documents run as in the catalog, with the
 * receive timeout shortened from 300 s to 3 s so a lost notification costs seconds here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFolder, startStack, type Stack } from '../helpers/stack.js';
import { startReceiver, NOTIFICATION_PATH, type Receiver } from '../../src/receiver/receiver.js';
import { loadReceiverSettings } from '../../src/config/index.js';
import { temporalDeliver } from '../../src/receiver/temporal-deliver.js';
import { cancelSignal, statusQuery } from '../../src/contract/index.js';
import type { Scenario } from '../../simulator/types.js';

const SECRET = 'test-secret-0123456789abcdef';
let stack: Stack;
let receiver: Receiver;
let folder: string;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'event-driven-'));
  const text = await readFile(join(catalogFolder, 'airbyte-event-driven.arazzo.yaml'), 'utf8');
  assert.match(text, /timeout: 300000/);
  await writeFile(
    join(folder, 'event-driven.arazzo.yaml'),
    text.replaceAll('timeout: 300000', 'timeout: 3000'),
  );
  stack = await startStack({
    folders: [folder],
    env: {
      ARAZZO_SOURCE_DESCRIPTIONS: `airbyteApi=${join(catalogFolder, '..', 'openapi', 'airbyte-openapi.yml')},airbyteNotifications=${join(catalogFolder, '..', 'asyncapi', 'airbyte-notifications.asyncapi.yaml')}`,
    },
  });
  const settings = loadReceiverSettings({
    ARAZZO_RECEIVER_SECRET: SECRET,
    ARAZZO_RECEIVER_ADDRESS: '127.0.0.1:0',
    ARAZZO_MAILBOX_TTL_SECONDS: '60',
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
  });
  receiver = await startReceiver({
    settings,
    deliver: temporalDeliver(stack.temporal.client, stack.taskQueue, settings.mailboxTtlSeconds),
  });
  stack.simulator.configureNotifications({ webhooks: [`${receiver.origin}${NOTIFICATION_PATH}${SECRET}`] });
});
after(async () => {
  await receiver?.close();
  await stack?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A connection whose jobs end by the wall clock (no poll moves them), as real Airbyte jobs do. */
function connection(scenario: Scenario = {}): string {
  return stack.simulator.addConnection({
    scenario: { clock: 'wall', pendingMs: 100, runningMs: 1200, ...scenario },
  }).connectionId;
}

function reads(connectionId: string): number {
  const jobIds = new Set(stack.simulator.jobs(connectionId).map((j) => j.jobId));
  return stack.simulator
    .requests()
    .filter((r) => r.operationId === 'getJob' && r.jobId !== undefined && jobIds.has(r.jobId)).length;
}

function notificationsOf(connectionId: string) {
  return stack.simulator.notifications().filter((n) => n.connectionId === connectionId);
}

describe('trigger-sync-event-driven', () => {
  it('ends on the notification, with one confirming read and no polls', async () => {
    const id = connection({ rowsSynced: 7 });
    const result = await (await stack.start('trigger-sync-event-driven', { connectionId: id })).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.rowsSynced, 7);
    assert.equal(result.notified, true);
    assert.equal(reads(id), 1);
    assert.deepEqual(
      notificationsOf(id).map((n) => n.outcome),
      ['sent'],
    );
  });

  it('falls back to a read when the notification is lost', async () => {
    stack.simulator.configureNotifications({ drop: 1 });
    const id = connection();
    const result = await (await stack.start('trigger-sync-event-driven', { connectionId: id })).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.notified, undefined, 'no message was received');
    assert.equal(reads(id), 1);
    assert.deepEqual(
      notificationsOf(id).map((n) => n.outcome),
      ['dropped'],
    );
  });

  it('takes a duplicated notification once', async () => {
    stack.simulator.configureNotifications({ duplicate: 1 });
    const id = connection();
    const before = receiver.counters.accepted;
    const result = await (await stack.start('trigger-sync-event-driven', { connectionId: id })).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.notified, true);
    assert.equal(reads(id), 1);
    for (let i = 0; i < 100 && receiver.counters.accepted < before + 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(
      receiver.counters.accepted,
      before + 2,
      'both posts were accepted (and one dropped by the mailbox)',
    );
  });

  it('fails with AirbyteJobFailed when the notified job failed', async () => {
    const id = connection({ outcome: 'failed' });
    await assert.rejects(
      (await stack.start('trigger-sync-event-driven', { connectionId: id })).result(),
      (error: Error) => {
        assert.match(String((error as { cause?: { type?: string } }).cause?.type), /AirbyteJobFailed/);
        return true;
      },
    );
    assert.equal(reads(id), 1);
  });

  it('shows the receive step and the message it waits for in the status query', async () => {
    const id = connection({ runningMs: 3_600_000 });
    const handle = await stack.start('trigger-sync-event-driven', { connectionId: id });
    let status = await handle.query(statusQuery);
    for (let i = 0; i < 200 && status.waitingForMessage === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await handle.query(statusQuery);
    }
    const jobId = stack.simulator.jobs(id)[0]?.jobId;
    assert.equal(status.phase, 'waiting');
    assert.equal(status.currentStep, 'awaitNotification');
    assert.equal(status.waitingForMessage?.correlationId, `${id}/${jobId}`);
    assert.ok(status.waitingForMessage?.timeoutAt, JSON.stringify(status));
    assert.equal(status.nextPollAt, undefined);
    await handle.signal(cancelSignal, { reason: 'test over' });
    assert.equal((await handle.result()).finalStatus, 'cancelled');
  });

  it('is not ended by a forged notification: the read shows the job still running', async () => {
    const id = connection({ runningMs: 3_600_000 });
    const handle = await stack.start('trigger-sync-event-driven', { connectionId: id });
    let jobId: number | undefined;
    for (let i = 0; i < 200 && jobId === undefined; i++) {
      jobId = stack.simulator.jobs(id)[0]?.jobId;
      if (jobId === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(jobId !== undefined);
    // Wrong secret: refused, nothing delivered.
    const forged = JSON.stringify({ data: { connection: { id }, jobId, success: true } });
    const wrong = await fetch(`${receiver.origin}${NOTIFICATION_PATH}not-the-secret-000000000000`, {
      method: 'POST',
      body: forged,
    });
    assert.equal(wrong.status, 404);
    // The right secret (a leaked one): delivered, but the run only reads the job, which still runs.
    const leaked = await fetch(`${receiver.origin}${NOTIFICATION_PATH}${SECRET}`, {
      method: 'POST',
      body: forged,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(leaked.status, 200);
    for (let i = 0; i < 200 && reads(id) < 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(reads(id), 1);
    const status = await handle.query(statusQuery);
    assert.notEqual(status.phase, 'completed');
    assert.equal(status.resources[0]?.status, 'running');
    await handle.signal(cancelSignal, { reason: 'test over' });
    // The cancel ends the run through the document's own path, as for the polling workflows.
    assert.equal((await handle.result()).finalStatus, 'cancelled');
    assert.equal(stack.simulator.jobs(id)[0]?.status, 'cancelled');
  });
});

describe('reset-and-resync-event-driven', () => {
  it('waits for the reset by notification, then starts the sync', async () => {
    const id = connection();
    const result = await (await stack.start('reset-and-resync-event-driven', { connectionId: id })).result();
    assert.equal(result.resetStatus, 'succeeded');
    assert.equal(typeof result.resyncJobId, 'number');
    assert.equal(reads(id), 1);
    assert.equal(notificationsOf(id)[0]?.outcome, 'sent');
  });
});
