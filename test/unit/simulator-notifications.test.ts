/**
 * The simulator's job notifications: Airbyte's body (SyncSummary as `data`), sent on success and
 * failure but not on a cancel, and the drop / duplicate / delay knobs, received by a real HTTP
 * server on loopback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../simulator/server.js';

let simulator: Simulator;
let hook: Server;
let hookUrl: string;
const received: Array<{ body: Record<string, unknown>; contentType: string | undefined }> = [];

before(async () => {
  hook = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({
        body: JSON.parse(text) as Record<string, unknown>,
        contentType: req.headers['content-type'],
      });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/airbyte/notifications/secret-part`;
  simulator = await startSimulator({ clock: 'wall' });
  simulator.configureNotifications({ webhooks: [hookUrl] });
});
after(async () => {
  await simulator?.close();
  await new Promise((resolve) => hook?.close(resolve));
});

async function job(connectionId: string): Promise<number> {
  const response = await fetch(`${simulator.url}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ connectionId, jobType: 'sync' }),
  });
  return ((await response.json()) as { jobId: number }).jobId;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), 'timed out');
}

function dataOf(jobId: number) {
  return received.map((r) => r.body.data as Record<string, unknown>).filter((d) => d.jobId === jobId);
}

describe('simulator job notifications', () => {
  it("posts Airbyte's body when a job succeeds or fails, not when it is cancelled", async () => {
    const ok = simulator.addConnection({
      scenario: { clock: 'wall', pendingMs: 0, runningMs: 100 },
    }).connectionId;
    const bad = simulator.addConnection({
      scenario: { clock: 'wall', pendingMs: 0, runningMs: 100, outcome: 'failed' },
    }).connectionId;
    const long = simulator.addConnection({ scenario: { clock: 'wall', runningMs: 3_600_000 } }).connectionId;
    const [okJob, badJob, longJob] = [await job(ok), await job(bad), await job(long)];
    await fetch(`${simulator.url}/jobs/${longJob}`, { method: 'DELETE' });
    await until(() => dataOf(okJob).length === 1 && dataOf(badJob).length === 1);
    const success = dataOf(okJob)[0]!;
    assert.equal(success.success, true);
    assert.deepEqual((success.connection as { id: string }).id, ok);
    assert.equal(success.errorMessage, null);
    for (const field of [
      'workspace',
      'source',
      'destination',
      'startedAt',
      'finishedAt',
      'bytesEmitted',
      'recordsCommitted',
    ])
      assert.ok(field in success, field);
    const failure = dataOf(badJob)[0]!;
    assert.equal(failure.success, false);
    assert.equal(typeof failure.errorMessage, 'string');
    assert.equal(
      received.find((r) => (r.body.data as { jobId: number }).jobId === okJob)?.contentType,
      'application/json',
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(dataOf(longJob).length, 0, 'no notification for a cancelled job');
  });

  it('drops, duplicates and delays on request, and hides the webhook secret from the control API', async () => {
    const conn = () =>
      simulator.addConnection({ scenario: { clock: 'wall', pendingMs: 0, runningMs: 50 } }).connectionId;
    simulator.configureNotifications({ drop: 1 });
    const dropped = await job(conn());
    await until(() => simulator.notifications().some((n) => n.jobId === dropped));
    simulator.configureNotifications({ duplicate: 1 });
    const doubled = await job(conn());
    await until(() => dataOf(doubled).length === 2);
    simulator.configureNotifications({ delayMs: 2000 });
    const delayed = await job(conn());
    await until(() => simulator.notifications().some((n) => n.jobId === delayed));
    assert.equal(dataOf(delayed).length, 0, 'not sent yet: delayed');
    await until(() => dataOf(delayed).length === 1);
    assert.equal(dataOf(dropped).length, 0);
    assert.deepEqual(
      simulator
        .notifications()
        .filter((n) => [dropped, doubled, delayed].includes(n.jobId))
        .map((n) => [n.outcome, n.posts]),
      [
        ['dropped', 0],
        ['sent', 2],
        ['sent', 1],
      ],
    );
    const control = (await (await fetch(`${simulator.controlUrl}/notifications`)).json()) as {
      settings: { webhooks: string[] };
    };
    assert.ok(!JSON.stringify(control).includes('secret-part'));
  });
});
