/**
 * The notification receiver: an HTTP endpoint Airbyte's workspace notification webhook can point
 * at. Each call is checked in order (source address, path secret, method, rate, size, JSON),
 * then a job notification is handed to `deliver` (signal-with-start of its mailbox) and answered
 * only after Temporal accepted it: from then on it survives receiver and worker crashes.
 * Notifications for no run, duplicates and late ones are answered 200 and dropped by the mailbox;
 * the receiver never calls anything a notification names.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '../arazzo/model.js';
import type { ReceiverSettings } from '../config/index.js';
import type { MailboxNotification } from '../contract/index.js';
import { readAirbyteNotification } from './airbyte-notification.js';

/** The path Airbyte is pointed at, before the secret. */
export const NOTIFICATION_PATH = '/airbyte/notifications/';

/** Hands a notification to its mailbox; resolves once Temporal accepted it. */
export type Deliver = (correlationId: string, notification: MailboxNotification) => Promise<void>;

export interface ReceiverCounters {
  accepted: number;
  ignored: number;
  refused: Record<string, number>;
  failed: number;
}

export interface Receiver {
  /** `http://host:port` (without the path or the secret). */
  origin: string;
  port: number;
  counters: ReceiverCounters;
  close(): Promise<void>;
}

export interface ReceiverLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Headers kept with a notification (`$message.header.*`): nothing that could carry the secret. */
const KEPT_HEADERS = ['content-type', 'user-agent'];

function secretMatches(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(
  res: ServerResponse,
  status: number,
  body: Record<string, JsonValue>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Reads at most `max` bytes; undefined when the body is larger (the rest is not read). */
async function readCapped(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A token bucket: `rate` notifications per second, bursts up to `rate`. */
function tokenBucket(rate: number, now: () => number = () => Date.now()): () => boolean {
  let tokens = rate;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(rate, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** Starts the receiver; resolves once it listens. */
export async function startReceiver(options: {
  settings: ReceiverSettings;
  deliver: Deliver;
  log?: ReceiverLogger;
}): Promise<Receiver> {
  const { settings, deliver } = options;
  const log = options.log ?? { info: () => undefined, warn: () => undefined };
  const take = tokenBucket(settings.ratePerSecond);
  const counters: ReceiverCounters = { accepted: 0, ignored: 0, refused: {}, failed: 0 };
  const refuse = (res: ServerResponse, status: number, why: string, headers?: Record<string, string>) => {
    counters.refused[why] = (counters.refused[why] ?? 0) + 1;
    reply(res, status, { error: why }, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const remote = req.socket.remoteAddress ?? '';
    if (settings.allow) {
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(remote)?.[1];
      const allowed = mapped
        ? settings.allow.check(mapped, 'ipv4')
        : settings.allow.check(remote, remote.includes(':') ? 'ipv6' : 'ipv4');
      if (!allowed) return refuse(res, 403, 'source address not allowed');
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (
      !path.startsWith(NOTIFICATION_PATH) ||
      !secretMatches(path.slice(NOTIFICATION_PATH.length), settings.secret)
    )
      return refuse(res, 404, 'not found');
    if (req.method !== 'POST') return refuse(res, 405, 'method not allowed', { allow: 'POST' });
    if (!take()) return refuse(res, 429, 'too many notifications', { 'retry-after': '1' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > settings.maxBodyBytes) return refuse(res, 413, 'body too large', { connection: 'close' });
    const raw = await readCapped(req, settings.maxBodyBytes);
    if (raw === undefined) return refuse(res, 413, 'body too large', { connection: 'close' });
    let body: JsonValue;
    try {
      body = JSON.parse(raw.toString('utf8')) as JsonValue;
    } catch {
      return refuse(res, 400, 'the body is not JSON');
    }
    const reading = readAirbyteNotification(body);
    if (reading.kind === 'invalid') return refuse(res, 400, reading.reason);
    if (reading.kind === 'other') {
      counters.ignored++;
      return reply(res, 200, { accepted: false, reason: 'not a job notification' });
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      await deliver(reading.correlationId, { headers, payload: body });
    } catch (error) {
      counters.failed++;
      log.warn('notification not delivered: Temporal did not accept it', {
        correlationId: reading.correlationId,
        error: error instanceof Error ? error.message : String(error),
      });
      return reply(
        res,
        503,
        { error: 'not delivered; the run falls back to polling' },
        { 'retry-after': '5' },
      );
    }
    counters.accepted++;
    log.info('notification delivered', {
      correlationId: reading.correlationId,
      success: reading.success ?? null,
    });
    reply(res, 200, { accepted: true, correlationId: reading.correlationId });
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      counters.failed++;
      log.warn('notification handling failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    origin: `http://${host}:${port}`,
    port,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
