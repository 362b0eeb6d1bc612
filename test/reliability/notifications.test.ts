/**
 * Event-driven waits under faults (issue 16), on the real Temporal server with worker processes:
 * a notification that arrives before the run waits; a worker SIGKILLed while its run waits, the
 * notification arriving while no worker runs; the receiver down when Airbyte posts, and closed
 * right after a delivery; a flood of forged notifications alongside a real run. Nothing is lost,
 * nothing forged ends a run, and no job is created twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { catalogFolder } from '../helpers/stack.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import type { Scenario } from '../../simulator/types.js';
import { startReceiver, NOTIFICATION_PATH, type Receiver } from '../../src/receiver/receiver.js';
import { loadReceiverSettings } from '../../src/config/index.js';
import { temporalDeliver } from '../../src/receiver/temporal-deliver.js';
import { mailboxWorkflowId } from '../../src/contract/index.js';
import { cancelSignal, statusQuery } from '../../src/contract/index.js';

const SECRET = 'reliability-secret-0123456789abcdef';
let temporal: TestTemporal;
let simulator: Simulator;
let folder: string;
let taskQueue: string;
let receiver: Receiver | undefined;
let workerEnv: NodeJS.ProcessEnv;
const workers: WorkerProcess[] = [];
let counter = 0;

async function openReceiver(env: NodeJS.ProcessEnv = {}): Promise<Receiver> {
  const own = loadReceiverSettings({ ...settingsEnv(), ...env });
  const opened = await startReceiver({
    settings: own,
    deliver: temporalDeliver(temporal.client, taskQueue, own.mailboxTtlSeconds),
  });
  simulator.configureNotifications({ webhooks: [`${opened.origin}${NOTIFICATION_PATH}${SECRET}`] });
  return opened;
}

function settingsEnv(): NodeJS.ProcessEnv {
  return {
    ARAZZO_RECEIVER_SECRET: SECRET,
    ARAZZO_RECEIVER_ADDRESS: '127.0.0.1:0',
    ARAZZO_MAILBOX_TTL_SECONDS: '30',
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
}

before(async () => {
  temporal = await useTestTemporal();
  simulator = await startSimulator({ clock: 'wall' });
  folder = await mkdtemp(join(tmpdir(), 'notifications-'));
  const text = await readFile(join(catalogFolder, 'airbyte-event-driven.arazzo.yaml'), 'utf8');
  await writeFile(
    join(folder, 'event-driven.arazzo.yaml'),
    text.replaceAll('timeout: 300000', 'timeout: 3000'),
  );
  taskQueue = temporal.taskQueue('notifications');
  workerEnv = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AIRBYTE_API_URL: simulator.url,
    ARAZZO_CATALOG: folder,
    ARAZZO_SOURCE_DESCRIPTIONS: `airbyteApi=${join(catalogFolder, '..', 'openapi', 'airbyte-openapi.yml')},airbyteNotifications=${join(catalogFolder, '..', 'asyncapi', 'airbyte-notifications.asyncapi.yaml')}`,
    ARAZZO_MAILBOX_TTL_SECONDS: '30',
  };
  workers.push(await startWorkerProcess(workerEnv));
  receiver = await openReceiver();
});
after(async () => {
  await receiver?.close();
  for (const w of workers) await w.kill('SIGKILL');
  await simulator?.close();
  await temporal?.release();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function connection(scenario: Scenario = {}): string {
  return simulator.addConnection({
    scenario: { clock: 'wall', pendingMs: 100, runningMs: 1500, ...scenario },
  }).connectionId;
}

function start(workflowType: string, input: unknown) {
  return temporal.client.workflow.start(workflowType, {
    taskQueue,
    workflowId: `${workflowType}-${process.pid}-${++counter}`,
    args: [input],
  });
}

function reads(connectionId: string): number {
  const jobIds = new Set(simulator.jobs(connectionId).map((j) => j.jobId));
  return simulator
    .requests()
    .filter((r) => r.operationId === 'getJob' && r.jobId !== undefined && jobIds.has(r.jobId)).length;
}

async function until(what: string, check: () => boolean | Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function notificationBody(connectionId: string, jobId: number, success = true): string {
  return JSON.stringify({
    text: 'Sync completed',
    data: { connection: { id: connectionId }, jobId, success },
  });
}

function figures(name: string, values: Record<string, unknown>): void {
  process.stdout.write(`# figures ${name} ${JSON.stringify(values)}\n`);
}

describe('event-driven waits under faults', () => {
  it('keeps a notification that arrives before the run waits', async () => {
    const id = connection();
    // The job this run will create gets the next id; its own notification is dropped, so only
    // the early one (posted before the run exists) can tell the run.
    const nextJobId = Math.max(0, ...simulator.jobs().map((j) => j.jobId)) + 1;
    simulator.configureNotifications({ drop: 1 });
    const early = await fetch(`${receiver!.origin}${NOTIFICATION_PATH}${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: notificationBody(id, nextJobId),
    });
    assert.equal(early.status, 200);
    const result = await (await start('trigger-sync-event-driven', { connectionId: id })).result();
    assert.equal(simulator.jobs(id)[0]?.jobId, nextJobId);
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.notified, true, 'the early notification was delivered');
    figures('early-notification', { reads: reads(id), jobs: simulator.jobs(id).length });
  });

  it('delivers a notification that arrives while the only worker is SIGKILLed', async () => {
    const id = connection({ runningMs: 2500 });
    const handle = await start('trigger-sync-event-driven', { connectionId: id });
    await until('the job', () => simulator.jobs(id).length === 1);
    const jobId = simulator.jobs(id)[0]!.jobId;
    // The run registered with its mailbox: it waits.
    await until('the mailbox', async () => {
      try {
        await temporal.client.workflow.getHandle(mailboxWorkflowId(`${id}/${jobId}`)).describe();
        return true;
      } catch {
        return false;
      }
    });
    await workers.pop()!.kill('SIGKILL');
    await until('the notification', () =>
      simulator.notifications().some((n) => n.jobId === jobId && n.posts > 0),
    );
    await until('its answer', () =>
      simulator.notifications().some((n) => n.jobId === jobId && n.statuses.length > 0),
    );
    assert.deepEqual(simulator.notifications().find((n) => n.jobId === jobId)?.statuses, [200]);
    workers.push(await startWorkerProcess(workerEnv));
    const result = await handle.result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(result.notified, true);
    assert.equal(simulator.jobs(id).length, 1, 'no second job');
    figures('worker-killed-while-waiting', { reads: reads(id), jobs: simulator.jobs(id).length });
  });

  it('falls back to reading when the receiver is down, and loses nothing it acknowledged', async () => {
    await receiver!.close();
    receiver = undefined;
    const id = connection();
    const down = await (await start('trigger-sync-event-driven', { connectionId: id })).result();
    assert.equal(down.finalStatus, 'succeeded');
    assert.equal(down.notified, undefined);
    const jobId = simulator.jobs(id)[0]!.jobId;
    assert.equal(simulator.notifications().find((n) => n.jobId === jobId)?.outcome, 'failed');
    // Back up; closed again right after it acknowledged a delivery: the run still gets it.
    receiver = await openReceiver();
    const other = connection({ runningMs: 1000 });
    const handle = await start('trigger-sync-event-driven', { connectionId: other });
    await until('the acknowledged notification', () =>
      simulator.notifications().some((n) => n.connectionId === other && n.statuses.includes(200)),
    );
    await receiver.close();
    receiver = undefined;
    const result = await handle.result();
    assert.equal(result.notified, true);
    receiver = await openReceiver();
    figures('receiver-down', { readsWhileDown: reads(id), readsAfterAck: reads(other) });
  });

  it('survives a flood of forged notifications: refused beyond the rate, none ends a run', async () => {
    // A receiver capped at 10 notifications per second, flooded 60 at a time.
    await receiver!.close();
    receiver = await openReceiver({ ARAZZO_RECEIVER_RATE: '10' });
    const id = connection({ runningMs: 3_600_000 });
    const handle = await start('trigger-sync-event-driven', { connectionId: id });
    await until('the job', () => simulator.jobs(id).length === 1);
    const jobId = simulator.jobs(id)[0]!.jobId;
    const statuses: number[] = [];
    const url = `${receiver!.origin}${NOTIFICATION_PATH}${SECRET}`;
    const bodies = [
      ...Array.from({ length: 150 }, (_, i) => notificationBody(id, jobId, i % 2 === 0)),
      ...Array.from({ length: 150 }, (_, i) =>
        notificationBody(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 1_000_000 + i),
      ),
    ];
    for (let i = 0; i < bodies.length; i += 30) {
      const batch = await Promise.all(
        bodies
          .slice(i, i + 30)
          .map((body) =>
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
              (r) => r.status,
            ),
          ),
      );
      statuses.push(...batch);
    }
    const wrongSecret = await fetch(`${receiver!.origin}${NOTIFICATION_PATH}${'x'.repeat(SECRET.length)}`, {
      method: 'POST',
      body: notificationBody(id, jobId),
    });
    assert.equal(wrongSecret.status, 404);
    const accepted = statuses.filter((s) => s === 200).length;
    const limited = statuses.filter((s) => s === 429).length;
    assert.equal(accepted + limited, bodies.length, `only 200 and 429: ${[...new Set(statuses)].join(',')}`);
    assert.ok(limited > 0, 'the rate limit answered part of the flood');
    // The run read the job after the forged "success": it still runs, so the run waits on.
    await until('a read', () => reads(id) >= 1);
    const status = await handle.query(statusQuery);
    assert.notEqual(status.phase, 'completed');
    assert.equal(status.resources[0]?.status, 'running');
    await handle.signal(cancelSignal, { reason: 'flood test over' });
    assert.equal((await handle.result()).finalStatus, 'cancelled');
    figures('flood', { posted: bodies.length, accepted, limited, readsOfTheRealJob: reads(id) });
  });
});
