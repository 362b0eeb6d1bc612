/**
 * The notification receiver's HTTP edge on loopback: the path secret, the allow-list, the method,
 * the body cap, the rate, malformed and forged bodies, and a failed hand-over to Temporal. The
 * hand-over (`deliver`) records calls here; the Temporal side runs in
 * test/integration/event-driven.test.ts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  startReceiver,
  NOTIFICATION_PATH,
  type Deliver,
  type Receiver,
} from '../../src/receiver/receiver.js';
import { loadReceiverSettings, type ReceiverSettings } from '../../src/config/index.js';
import { readAirbyteNotification } from '../../src/receiver/airbyte-notification.js';
import type { MailboxNotification } from '../../src/contract/index.js';

const SECRET = 'unit-secret-0123456789abcdefgh';
const CONNECTION = '64d901a1-2520-4d91-93c8-9df438668ff0';
const opened: Receiver[] = [];
after(async () => {
  for (const r of opened) await r.close();
});

function settings(env: NodeJS.ProcessEnv = {}): ReceiverSettings {
  return loadReceiverSettings({
    ARAZZO_RECEIVER_SECRET: SECRET,
    ARAZZO_RECEIVER_ADDRESS: '127.0.0.1:0',
    ...env,
  });
}

async function receiver(env: NodeJS.ProcessEnv = {}, deliver?: Deliver) {
  const calls: Array<{ correlationId: string; notification: MailboxNotification }> = [];
  const started = await startReceiver({
    settings: settings(env),
    deliver:
      deliver ??
      (async (correlationId, notification) => {
        calls.push({ correlationId, notification });
      }),
  });
  opened.push(started);
  return {
    url: `${started.origin}${NOTIFICATION_PATH}${SECRET}`,
    origin: started.origin,
    calls,
    receiver: started,
  };
}

/** Airbyte's body for a finished job (data as in NotificationTest.kt). */
function notification(jobId: unknown = 9988, connectionId: unknown = CONNECTION): string {
  return JSON.stringify({
    text: 'Sync completed',
    data: {
      workspace: { id: null },
      connection: { id: connectionId, name: 'c', url: 'http://evil.invalid/' },
      jobId,
      success: true,
    },
  });
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('notification receiver', () => {
  it('delivers a job notification by <connection>/<job>, keeping only harmless headers', async () => {
    const { url, calls } = await receiver();
    const answer = await post(url, notification(), {
      'content-type': 'application/json',
      'x-forwarded-for': '1.2.3.4',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.correlationId, `${CONNECTION}/9988`);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.correlationId, `${CONNECTION}/9988`);
    assert.deepEqual(Object.keys(calls[0]!.notification.headers).sort(), ['content-type', 'user-agent']);
    assert.ok(!JSON.stringify(calls[0]).includes(SECRET), 'the secret never reaches the mailbox');
  });

  it('answers 404 to a wrong or missing secret, and 405 to a GET, delivering nothing', async () => {
    const { origin, url, calls } = await receiver();
    assert.equal(
      (await post(`${origin}${NOTIFICATION_PATH}${SECRET.slice(0, -1)}x`, notification())).status,
      404,
    );
    assert.equal((await post(`${origin}${NOTIFICATION_PATH}`, notification())).status, 404);
    assert.equal((await post(`${origin}/`, notification())).status, 404);
    assert.equal((await fetch(url)).status, 405);
    assert.equal(calls.length, 0);
  });

  it('refuses callers outside the allow-list with 403', async () => {
    const { url, calls } = await receiver({ ARAZZO_RECEIVER_ALLOW: '10.0.0.0/8, 192.168.1.7' });
    assert.equal((await post(url, notification())).status, 403);
    assert.equal(calls.length, 0);
    const allowed = await receiver({ ARAZZO_RECEIVER_ALLOW: '127.0.0.0/8' });
    assert.equal((await post(allowed.url, notification())).status, 200);
  });

  it('refuses oversized bodies with 413, declared or streamed', async () => {
    const { url, calls } = await receiver({ ARAZZO_RECEIVER_MAX_BODY_BYTES: '1024' });
    const big = JSON.stringify({ data: { jobId: 1, connection: { id: CONNECTION }, pad: 'x'.repeat(5000) } });
    assert.equal((await post(url, big)).status, 413);
    // Chunked, without a content-length: cut off once past the cap.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(512));
      req.end();
    });
    assert.equal(streamed, 413);
    assert.equal(calls.length, 0);
  });

  it('answers a flood with 429 beyond the rate', async () => {
    const { url, calls } = await receiver({ ARAZZO_RECEIVER_RATE: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await post(url, notification(i))).status);
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.equal(calls.length, statuses.filter((s) => s === 200).length);
  });

  it('answers malformed bodies 400 and bodies without a job 200 (dropped), delivering nothing', async () => {
    const { url, calls } = await receiver();
    assert.equal((await post(url, '{not json')).status, 400);
    assert.equal((await post(url, '[1,2]')).status, 400);
    assert.equal((await post(url, notification('../../x'))).status, 400);
    assert.equal((await post(url, notification(1.5))).status, 400);
    assert.equal((await post(url, notification(1, 'http://169.254.169.254/'))).status, 400);
    const test = await post(url, JSON.stringify({ text: 'Hello World' }));
    assert.equal(test.status, 200);
    assert.equal(test.body.accepted, false);
    assert.equal(calls.length, 0);
  });

  it('answers 503 when Temporal does not accept the notification', async () => {
    const { url, receiver: r } = await receiver({}, async () => {
      throw new Error('unavailable');
    });
    assert.equal((await post(url, notification())).status, 503);
    assert.equal(r.counters.failed, 1);
  });

  it('reads Airbyte bodies: only the connection UUID and the job id', () => {
    assert.deepEqual(readAirbyteNotification(JSON.parse(notification(5)) as never), {
      kind: 'job',
      correlationId: `${CONNECTION}/5`,
      success: true,
    });
    assert.equal(readAirbyteNotification({ data: { jobId: 1, connection: { id: 'x' } } }).kind, 'invalid');
  });
});

describe('receiver settings', () => {
  it('names every bad variable at once and never echoes the secret', () => {
    assert.throws(
      () =>
        loadReceiverSettings({
          ARAZZO_RECEIVER_SECRET: 'short-secret',
          ARAZZO_RECEIVER_ADDRESS: 'nowhere',
          ARAZZO_RECEIVER_ALLOW: 'example.com',
          ARAZZO_RECEIVER_RATE: '0',
          ARAZZO_MAILBOX_TTL_SECONDS: '-1',
        }),
      (error: Error) => {
        for (const name of [
          'ARAZZO_RECEIVER_SECRET',
          'ARAZZO_RECEIVER_ADDRESS',
          'ARAZZO_RECEIVER_ALLOW',
          'ARAZZO_RECEIVER_RATE',
          'ARAZZO_MAILBOX_TTL_SECONDS',
        ])
          assert.match(error.message, new RegExp(name));
        assert.doesNotMatch(error.message, /short-secret/);
        return true;
      },
    );
  });

  it('binds to loopback by default', () => {
    const s = loadReceiverSettings({ ARAZZO_RECEIVER_SECRET: SECRET });
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.port, 8095);
  });
});
