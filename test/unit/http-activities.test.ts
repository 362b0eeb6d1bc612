import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Logger } from '@temporalio/common';
import { cancellationSignal, type Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { AdoptRequest } from '../../src/contract/index.js';
import type { SourceConnection } from '../../src/config/index.js';
import { createHttpActivities, retryAfterMs } from '../../src/activities/http.js';
import type { HttpActivityInput, HttpActivityLogger, HttpActivityResult } from '../../src/activities/http.js';
import type { HttpRequestSpec } from '../../src/arazzo/request/index.js';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';
import { Failure } from '../../src/arazzo/failures.js';

const CLIENT_SECRET = 'client-secret-7b1e55';
const STATIC_TOKEN = 'static-token-c0ffee42';
const PASSWORD = 'basic-password-d00d';
const CONNECTION_ID = '11111111-2222-3333-4444-555555555555';

interface Job {
  jobId: number;
  status: string;
  jobType: string;
  connectionId: string;
  startTime: string;
}

interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Lets one test answer a request its own way; returns true when it did. */
type Hook = (req: IncomingMessage, res: ServerResponse, body: string) => boolean;

/**
 * A small Airbyte-like API on loopback under /api/v1: token minting, bearer checks, jobs with a
 * 409 while one is active, listJobs newest first. Tests add hooks for faults.
 */
async function startMiniAirbyte() {
  const state = {
    requests: [] as SeenRequest[],
    jobs: [] as Job[],
    minted: [] as string[],
    valid: new Set<string>([STATIC_TOKEN]),
    /** One-shot hooks for API requests, in order. */
    hooks: [] as Hook[],
    /** One-shot hooks for token requests. */
    tokenHooks: [] as Hook[],
    /** Create the job, then never answer (the client times out). */
    holdCreate: false,
  };
  const json = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      state.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        authorization: req.headers.authorization,
        headers: req.headers,
        body,
      });
      const isToken = url.pathname === '/api/v1/applications/token';
      const hook = isToken ? state.tokenHooks.shift() : state.hooks.shift();
      if (hook?.(req, res, body) === true) return;
      if (isToken) {
        const sent = JSON.parse(body) as Record<string, string>;
        if (sent['client_secret'] !== CLIENT_SECRET) return json(res, 401, { message: 'bad client' });
        const token = `minted-${Math.random().toString(36).slice(2)}-${state.minted.length}`;
        state.minted.push(token);
        state.valid.add(token);
        return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 900 });
      }
      const auth = req.headers.authorization ?? '';
      const basic = `Basic ${Buffer.from(`airbyte:${PASSWORD}`).toString('base64')}`;
      if (auth !== basic && !state.valid.has(auth.replace(/^Bearer /, '')))
        return json(res, 401, { message: 'Unauthorized' });
      if (req.method === 'POST' && url.pathname === '/api/v1/jobs') {
        const { connectionId, jobType } = JSON.parse(body) as { connectionId: string; jobType: string };
        if (
          state.jobs.some((j) => j.connectionId === connectionId && ['pending', 'running'].includes(j.status))
        ) {
          return json(res, 409, {
            status: 409,
            title: 'try-again-later',
            detail: 'conflict',
            data: { message: `A sync is already running for: ${connectionId}` },
          });
        }
        const job = {
          jobId: state.jobs.length + 1,
          status: 'pending',
          jobType,
          connectionId,
          startTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        state.jobs.push(job);
        if (state.holdCreate) return;
        return json(res, 200, job);
      }
      if (req.method === 'GET' && url.pathname === '/api/v1/jobs') {
        const data = state.jobs
          .filter((j) => j.connectionId === url.searchParams.get('connectionId'))
          .reverse();
        return json(res, 200, { data, next: null, previous: null });
      }
      const match = /^\/api\/v1\/jobs\/(\d+)$/.exec(url.pathname);
      const job = match === null ? undefined : state.jobs.find((j) => j.jobId === Number(match[1]));
      if (job !== undefined && req.method === 'GET') return json(res, 200, job);
      if (job !== undefined && req.method === 'DELETE') {
        job.status = 'cancelled';
        return json(res, 200, job);
      }
      return json(res, 404, { message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    base: `${origin}/api/v1`,
    state,
    reset() {
      Object.assign(state, {
        requests: [],
        jobs: [],
        minted: [],
        hooks: [],
        tokenHooks: [],
        holdCreate: false,
        valid: new Set([STATIC_TOKEN]),
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Mini = Awaited<ReturnType<typeof startMiniAirbyte>>;

function connection(
  mini: Mini,
  auth: SourceConnection['auth'],
  extra: Partial<SourceConnection> = {},
): SourceConnection {
  return { baseUrl: mini.base, auth, timeoutMs: 5000, maxBodyBytes: 64 * 1024, ...extra };
}

function request(over: Partial<HttpRequestSpec> = {}): HttpRequestSpec {
  return {
    operation: 'airbyte.getJob',
    sourceName: 'airbyte',
    method: 'GET',
    path: '/jobs/1',
    query: [],
    headers: {},
    view: { path: {}, query: {}, headers: {} },
    ...over,
  };
}

const createJob = (): HttpRequestSpec =>
  request({
    operation: 'airbyte.createJob',
    method: 'POST',
    path: '/jobs',
    body: { contentType: 'application/json', content: { connectionId: CONNECTION_ID, jobType: 'sync' } },
  });

function adoptSpec(onConflict: AdoptRequest['onConflict']): AdoptRequest {
  return {
    lookup: request({
      operation: 'airbyte.listJobs',
      path: '/jobs',
      query: [
        ['connectionId', CONNECTION_ID],
        ['orderBy', 'createdAt%7CDESC'],
      ],
    }),
    itemsPointer: '/data',
    idPointer: '/jobId',
    statusPointer: '/status',
    activeStatuses: ['pending', 'queued', 'running', 'incomplete'],
    createdAtPointer: '/startTime',
    conflictStatuses: [409],
    onConflict,
  };
}

/** Collects log lines so tests can scan them for secrets. */
function captureLog(): HttpActivityLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(attributes ?? {})}`);
  };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn') };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

/** Resolves once `condition` holds, checking every 20 ms (no timing assertions: the test runner's timeout bounds it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** What the SDK itself logs about activities (e.g. "Activity failed" with the error): scanned for secrets too. */
const sdkLogLines: string[] = [];
const sdkLogger: Logger = {
  log: (level, message, meta) =>
    void sdkLogLines.push(`${level} ${message} ${JSON.stringify(meta ?? {}, errorFields)}`),
  trace: (message, meta) => sdkLogger.log('TRACE', message, meta),
  debug: (message, meta) => sdkLogger.log('DEBUG', message, meta),
  info: (message, meta) => sdkLogger.log('INFO', message, meta),
  warn: (message, meta) => sdkLogger.log('WARN', message, meta),
  error: (message, meta) => sdkLogger.log('ERROR', message, meta),
};

function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value;
}

function newEnv(info: Partial<Info> = {}): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: sdkLogger });
}

function run(
  activities: ReturnType<typeof createHttpActivities>,
  input: HttpActivityInput,
  info: Partial<Info> = {},
): Promise<HttpActivityResult> {
  return newEnv(info).run(activities.callOperation, input);
}

describe('callOperation against a loopback server', { timeout: 30_000 }, () => {
  let mini: Mini;
  let log: ReturnType<typeof captureLog>;
  before(async () => {
    mini = await startMiniAirbyte();
  });
  after(() => mini.close());
  beforeEach(() => {
    mini.reset();
    log = captureLog();
  });

  const clientCredentials = (): SourceConnection['auth'] => ({
    type: 'clientCredentials',
    clientId: 'app',
    clientSecret: CLIENT_SECRET,
    tokenUrl: `${mini.base}/applications/token`,
  });

  it('returns statuses as data, with lower-case headers minus set-cookie, and parsed JSON', async () => {
    mini.state.hooks.push((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'Set-Cookie': 'a=b', 'X-Thing': 'y' });
      res.end('{"message":"Job not found"}');
      return true;
    });
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    const result = await run(activities, { request: request({ query: [['x', 'a%20b']] }) });
    assert.equal(result.statusCode, 404);
    assert.deepEqual(result.body, { message: 'Job not found' });
    assert.equal(result.headers['x-thing'], 'y');
    assert.equal(result.headers['set-cookie'], undefined);
    assert.equal(result.url, `${mini.base}/jobs/1?x=a%20b`);
    assert.equal(result.method, 'GET');
    assert.equal(mini.state.requests[0]?.path, '/api/v1/jobs/1');
  });

  it("leaves nothing on the activity's cancellation signal after each call (a polling activity makes many)", async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    for (let i = 0; i < 20; i++)
      mini.state.hooks.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jobId: 1, status: 'running' }));
        return true;
      });
    const env = newEnv();
    const listeners = (await env.run(async () => {
      for (let i = 0; i < 20; i++) {
        const result = await activities.callOperation({ request: request() });
        assert.equal(result.statusCode, 200);
      }
      // Each request's abort listener is removed when it is done: otherwise every response stays
      // reachable from the signal, which lives as long as the activity (10 minutes of polls).
      return getEventListeners(cancellationSignal(), 'abort').length;
    })) as number;
    assert.ok(listeners <= 1, `${listeners} abort listeners left after 20 calls`);
  });

  it('parses JSON without a content type, keeps broken JSON and text as text', async () => {
    const answer =
      (type: string | undefined, text: string): Hook =>
      (_req, res) => {
        res.writeHead(200, type === undefined ? {} : { 'content-type': type });
        res.end(text);
        return true;
      };
    mini.state.hooks.push(
      answer(undefined, '{"a":1}'),
      answer('application/json', '{broken'),
      answer('text/plain', 'hello'),
    );
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    assert.deepEqual((await run(activities, { request: request() })).body, { a: 1 });
    assert.equal((await run(activities, { request: request() })).body, '{broken');
    assert.equal((await run(activities, { request: request() })).body, 'hello');
  });

  it('sends JSON bodies and body-less DELETEs', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
      log,
    });
    const created = await run(activities, { request: createJob() });
    assert.equal(created.statusCode, 200);
    assert.match(String(mini.state.requests[0]?.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(mini.state.requests[0]?.body ?? ''), {
      connectionId: CONNECTION_ID,
      jobType: 'sync',
    });
    const cancelled = await run(activities, {
      request: request({ method: 'DELETE', operation: 'airbyte.cancelJob' }),
    });
    assert.equal((cancelled.body as { status: string }).status, 'cancelled');
  });

  it('truncates bodies over the cap and flags it', async () => {
    mini.state.hooks.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: 'x'.repeat(5000) }));
      return true;
    });
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }, { maxBodyBytes: 1000 }) },
      log,
    });
    const result = await run(activities, { request: request() });
    assert.equal(result.bodyTruncated, true);
    assert.equal(typeof result.body, 'string');
    assert.match(String(result.body), /^\[truncated: the response body is larger than 1000 bytes\]/);
    assert.ok(String(result.body).length < 1200);
  });

  it('authenticates with a minted token and reuses it', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, clientCredentials()) },
      log,
    });
    await run(activities, { request: request({ path: '/jobs' }) });
    await run(activities, { request: request({ path: '/jobs' }) });
    assert.equal(mini.state.minted.length, 1);
    const apiCalls = mini.state.requests.filter((r) => r.path === '/api/v1/jobs');
    assert.deepEqual(
      apiCalls.map((r) => r.authorization),
      [`Bearer ${mini.state.minted[0]}`, `Bearer ${mini.state.minted[0]}`],
    );
  });

  it('refreshes the token when it nears expiry mid-sequence', async () => {
    let clock = 5_000_000;
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, clientCredentials()) },
      log,
      now: () => clock,
    });
    await run(activities, { request: request({ path: '/jobs' }) });
    clock += 845_000; // within 60 s of the 900 s expiry
    await run(activities, { request: request({ path: '/jobs' }) });
    assert.equal(mini.state.minted.length, 2);
    const used = mini.state.requests.filter((r) => r.path === '/api/v1/jobs').map((r) => r.authorization);
    assert.deepEqual(used, [`Bearer ${mini.state.minted[0]}`, `Bearer ${mini.state.minted[1]}`]);
  });

  it('re-mints once after a 401 and repeats the call', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, clientCredentials()) },
      log,
    });
    await run(activities, { request: request({ path: '/jobs' }) });
    mini.state.valid.clear(); // the server revokes the token
    const result = await run(activities, { request: request({ path: '/jobs' }) });
    assert.equal(result.statusCode, 200);
    assert.equal(mini.state.minted.length, 2);
  });

  it('returns the second 401 as data instead of looping', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, clientCredentials()) },
      log,
    });
    const always401: Hook = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"expired"}');
      return true;
    };
    mini.state.hooks.push(always401, always401);
    const result = await run(activities, { request: request({ path: '/jobs' }) });
    assert.equal(result.statusCode, 401);
    assert.equal(mini.state.requests.filter((r) => r.path === '/api/v1/jobs').length, 2);
    assert.equal(mini.state.minted.length, 2);
  });

  it('does not retry a 401 with a static token', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'bearer', token: 'wrong-token' }) },
      log,
    });
    const result = await run(activities, { request: request() });
    assert.equal(result.statusCode, 401);
    assert.equal(mini.state.requests.length, 1);
  });

  it('429 with Retry-After seconds sets nextRetryDelay; an HTTP-date is measured from now', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
      now: () => now,
    });
    const limited =
      (retryAfter: string | undefined, status = 429): Hook =>
      (_req, res) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
        });
        res.end('{"message":"You are being rate limited."}');
        return true;
      };
    mini.state.hooks.push(limited('7'), limited('Wed, 01 Jan 2025 00:00:30 GMT'), limited(undefined, 503));
    const seconds = await failureOf(run(activities, { request: request() }));
    assert.equal(seconds.type, Failure.httpRetryableStatus);
    assert.equal(seconds.nonRetryable, false);
    assert.equal(seconds.nextRetryDelay, 7000);
    assert.match(seconds.message, /429: You are being rate limited/);
    const date = await failureOf(run(activities, { request: request() }));
    assert.equal(date.nextRetryDelay, 30_000);
    const plain = await failureOf(run(activities, { request: request() }));
    assert.equal(plain.type, Failure.httpRetryableStatus);
    assert.equal(plain.nextRetryDelay, undefined);
  });

  it('502 and 504 are retryable; 500 is retried for reads and is data for other writes', async () => {
    const status =
      (code: number): Hook =>
      (_req, res) => {
        res.writeHead(code);
        res.end();
        return true;
      };
    mini.state.hooks.push(status(502), status(504), status(500), status(500));
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    assert.equal(
      (await failureOf(run(activities, { request: request() }))).type,
      Failure.httpRetryableStatus,
    );
    assert.equal(
      (await failureOf(run(activities, { request: request() }))).type,
      Failure.httpRetryableStatus,
    );
    assert.equal(
      (await failureOf(run(activities, { request: request() }))).type,
      Failure.httpRetryableStatus,
    );
    // A cancel of a job that already ended answers 500 on Airbyte: retrying it would not help.
    const cancel = request({ operation: 'airbyte.cancelJob', method: 'DELETE' });
    assert.equal((await run(activities, { request: cancel })).statusCode, 500);
  });

  it('retryAfterMs parses seconds and dates, never below 1 s, ignores junk', () => {
    assert.equal(retryAfterMs('0', 0), 1000);
    assert.equal(retryAfterMs('120', 0), 120_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:01:00 GMT', 0), 60_000);
    assert.equal(retryAfterMs('soon', 0), undefined);
    assert.equal(retryAfterMs(undefined, 0), undefined);
  });

  it('transport errors are retryable: refused connection and a reset socket', async () => {
    const refused = createHttpActivities({
      connections: {
        airbyte: {
          baseUrl: 'http://127.0.0.1:1/api',
          auth: { type: 'none' },
          timeoutMs: 2000,
          maxBodyBytes: 1000,
        },
      },
      log,
    });
    const failure = await failureOf(run(refused, { request: request() }));
    assert.equal(failure.type, Failure.httpTransportError);
    assert.equal(failure.nonRetryable, false);
    assert.match(failure.message, /ECONNREFUSED/);

    mini.state.hooks.push((req) => {
      req.socket.destroy();
      return true;
    });
    const reset = createHttpActivities({ connections: { airbyte: connection(mini, { type: 'none' }) }, log });
    const resetFailure = await failureOf(run(reset, { request: request() }));
    assert.equal(resetFailure.type, Failure.httpTransportError);
  });

  it('a GET with a body is refused non-retryably', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    const failure = await failureOf(
      run(activities, { request: request({ body: { contentType: 'application/json', content: {} } }) }),
    );
    assert.equal(failure.type, Failure.httpRequestInvalid);
    assert.equal(failure.nonRetryable, true);
    assert.equal(mini.state.requests.length, 0);
  });

  it('an unknown source fails non-retryably without calling anything', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
    });
    const failure = await failureOf(run(activities, { request: request({ sourceName: 'elsewhere' }) }));
    assert.equal(failure.type, Failure.unknownSource);
    assert.equal(failure.nonRetryable, true);
    assert.equal(mini.state.requests.length, 0);
    // Inherited object keys are not sources either.
    assert.equal(
      (await failureOf(run(activities, { request: request({ sourceName: 'constructor' }) }))).type,
      Failure.unknownSource,
    );
  });

  describe('requests never leave the base URL', () => {
    let other: Mini;
    before(async () => {
      other = await startMiniAirbyte();
    });
    after(() => other.close());

    const hostile = [
      '/../../applications/token',
      '/jobs/../../../x',
      '/%2e%2e/%2E%2E/x',
      '/jobs/.%2e/x',
      '//evil.example/x',
      'jobs',
      '/jobs/1?admin=true',
      '/jobs/1#x',
      '/jobs\\..\\x',
      '/jobs/1 HTTP/1.1\r\nHost: evil',
    ];
    for (const path of hostile) {
      it(`refuses path ${JSON.stringify(path)}`, async () => {
        const activities = createHttpActivities({
          connections: { airbyte: connection(mini, { type: 'none' }) },
          log,
        });
        const failure = await failureOf(run(activities, { request: request({ path }) }));
        assert.equal(failure.type, Failure.unsafeRequestUrl);
        assert.equal(failure.nonRetryable, true);
        assert.equal(mini.state.requests.length, 0);
      });
    }

    it('refuses query pairs that would add parameters', async () => {
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'none' }) },
        log,
      });
      const failure = await failureOf(run(activities, { request: request({ query: [['a', 'b&admin=1']] }) }));
      assert.equal(failure.type, Failure.unsafeRequestUrl);
      assert.equal(mini.state.requests.length, 0);
    });

    it('does not follow a redirect to another server', async () => {
      mini.state.hooks.push((_req, res) => {
        res.writeHead(302, { location: `${other.base}/jobs/1` });
        res.end();
        return true;
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const result = await run(activities, { request: request() });
      assert.equal(result.statusCode, 302);
      assert.equal(other.state.requests.length, 0);
    });

    it('credentials and host come from the connection, never from the document', async () => {
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      await run(activities, {
        request: request({ headers: { authorization: 'Bearer stolen', host: 'evil.example', 'x-ok': '1' } }),
      });
      const seen = mini.state.requests[0];
      assert.equal(seen?.authorization, `Bearer ${STATIC_TOKEN}`);
      assert.equal(seen?.headers.host, new URL(mini.origin).host);
      assert.equal(seen?.headers['x-ok'], '1');
    });
  });

  describe('adoption instead of duplicate jobs', () => {
    it('a create whose token request failed retries without the in-flight wait: nothing was sent', async () => {
      const auth = { ...clientCredentials(), tokenUrl: 'http://127.0.0.1:1/applications/token' };
      const activities = createHttpActivities({ connections: { airbyte: connection(mini, auth) }, log });
      const failure = await failureOf(
        run(activities, { request: createJob(), adopt: adoptSpec('attach') }, { attempt: 1 }),
      );
      assert.equal(failure.type, Failure.tokenRequestFailed);
      assert.equal(failure.nonRetryable, false);
      assert.equal(failure.nextRetryDelay, undefined);
      assert.equal(mini.state.requests.length, 0);
    });

    it('a slow POST /jobs that times out is retried (attempt 2) and adopts the job: exactly one job', async () => {
      const conn = connection(mini, { type: 'bearer', token: STATIC_TOKEN }, { timeoutMs: 300 });
      const activities = createHttpActivities({ connections: { airbyte: conn }, log });
      const scheduledTimestampMs = Date.now();
      mini.state.holdCreate = true;
      const first = await failureOf(
        run(
          activities,
          { request: createJob(), adopt: adoptSpec('attach') },
          { attempt: 1, scheduledTimestampMs },
        ),
      );
      assert.equal(first.type, Failure.httpTransportError);
      assert.equal(first.nonRetryable, false);
      mini.state.holdCreate = false;

      const second = await run(
        activities,
        { request: createJob(), adopt: adoptSpec('fail') },
        { attempt: 2, scheduledTimestampMs },
      );
      assert.deepEqual(second.adopted, { reason: 'unknown-outcome', resourceId: 1 });
      assert.equal(second.statusCode, 200);
      assert.equal((second.body as { jobId: number }).jobId, 1);
      assert.equal(mini.state.jobs.length, 1);
      assert.equal(mini.state.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('attempt 2 does not adopt an older job it did not create; it creates its own', async () => {
      mini.state.jobs.push({
        jobId: 1,
        status: 'succeeded',
        jobType: 'sync',
        connectionId: CONNECTION_ID,
        startTime: '2020-01-01T00:00:00Z',
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const result = await run(
        activities,
        { request: createJob(), adopt: adoptSpec('fail') },
        { attempt: 2, scheduledTimestampMs: Date.now() },
      );
      assert.equal(result.adopted, undefined);
      assert.equal(mini.state.jobs.length, 2);
    });

    it('attempt 2 ignores an active job created before its first attempt was scheduled (then the 409 decides)', async () => {
      mini.state.jobs.push({
        jobId: 7,
        status: 'running',
        jobType: 'sync',
        connectionId: CONNECTION_ID,
        startTime: '2020-01-01T00:00:00Z',
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const result = await run(
        activities,
        { request: createJob(), adopt: adoptSpec('attach') },
        { attempt: 2, scheduledTimestampMs: Date.now() },
      );
      assert.deepEqual(result.adopted, { reason: 'conflict', resourceId: 7 });
      assert.equal(mini.state.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('attempt 1 never looks up first', async () => {
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      await run(activities, { request: createJob(), adopt: adoptSpec('attach') });
      assert.deepEqual(
        mini.state.requests.map((r) => r.method),
        ['POST'],
      );
    });

    it('409 + attach adopts the newest running job', async () => {
      mini.state.jobs.push(
        {
          jobId: 3,
          status: 'succeeded',
          jobType: 'sync',
          connectionId: CONNECTION_ID,
          startTime: '2025-01-01T00:00:00Z',
        },
        {
          jobId: 4,
          status: 'running',
          jobType: 'sync',
          connectionId: CONNECTION_ID,
          startTime: '2025-01-02T00:00:00Z',
        },
      );
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const result = await run(activities, { request: createJob(), adopt: adoptSpec('attach') });
      assert.deepEqual(result.adopted, { reason: 'conflict', resourceId: 4 });
      assert.equal((result.body as { status: string }).status, 'running');
      assert.equal(mini.state.jobs.length, 2);
    });

    it('409 + attach with nothing active left is retryable', async () => {
      mini.state.hooks.push((_req, res) => {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end('{"data":{"message":"A sync is already running"}}');
        return true;
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const failure = await failureOf(run(activities, { request: createJob(), adopt: adoptSpec('attach') }));
      assert.equal(failure.type, Failure.resourceConflictUnresolved);
      assert.equal(failure.nonRetryable, false);
    });

    it('409 + attach whose adoption lookup answers 404 fails AdoptLookupFailed, not retried', async () => {
      mini.state.hooks.push(
        (_req, res) => {
          res.writeHead(409, { 'content-type': 'application/json' });
          res.end('{"data":{"message":"A sync is already running"}}');
          return true;
        },
        (req, res) => {
          assert.equal(req.method, 'GET');
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"message":"no such list"}');
          return true;
        },
      );
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const failure = await failureOf(run(activities, { request: createJob(), adopt: adoptSpec('attach') }));
      assert.equal(failure.type, Failure.adoptLookupFailed);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /answered 404/);
    });

    it('409 + wait names the running job, of any type, for the workflow to wait on: one POST, no retry', async () => {
      mini.state.jobs.push({
        jobId: 4,
        status: 'running',
        jobType: 'reset',
        connectionId: CONNECTION_ID,
        startTime: '2025-01-02T00:00:00Z',
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const spec = { ...adoptSpec('wait'), match: { '/jobType': 'sync' } };
      const result = await run(activities, { request: createJob(), adopt: spec });
      assert.equal(result.statusCode, 409);
      assert.deepEqual(result.blockedBy, { resourceId: 4, status: 'running' });
      assert.equal(result.adopted, undefined);
      assert.equal(mini.state.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('409 + wait with no active job left asks Temporal to retry the create in 10 s', async () => {
      mini.state.hooks.push((_req, res) => {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end('{"title":"try-again-later","data":{"message":"A sync is already running"}}');
        return true;
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const failure = await failureOf(run(activities, { request: createJob(), adopt: adoptSpec('wait') }));
      assert.equal(failure.type, Failure.resourceBusy);
      assert.equal(failure.nonRetryable, false);
      assert.equal(failure.nextRetryDelay, '10s');
    });

    it("409 + fail is non-retryable with the server's message", async () => {
      mini.state.jobs.push({
        jobId: 4,
        status: 'running',
        jobType: 'sync',
        connectionId: CONNECTION_ID,
        startTime: '2025-01-02T00:00:00Z',
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      const failure = await failureOf(run(activities, { request: createJob(), adopt: adoptSpec('fail') }));
      assert.equal(failure.type, Failure.resourceConflict);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, new RegExp(`A sync is already running for: ${CONNECTION_ID}`));
    });

    it('409 without adopt is plain data', async () => {
      mini.state.jobs.push({
        jobId: 4,
        status: 'running',
        jobType: 'sync',
        connectionId: CONNECTION_ID,
        startTime: '2025-01-02T00:00:00Z',
      });
      const activities = createHttpActivities({
        connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
        log,
      });
      assert.equal((await run(activities, { request: createJob() })).statusCode, 409);
    });
  });

  it('a cancelled activity aborts its HTTP request (the server sees the socket close) and heartbeats while waiting', async () => {
    let arrived!: () => void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    let closed!: () => void;
    const closedPromise = new Promise<void>((resolve) => (closed = resolve));
    mini.state.hooks.push((_req, res) => {
      res.on('close', () => closed());
      arrived();
      return true; // never answers
    });
    const activities = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'none' }) },
      log,
      heartbeatIntervalMs: 10,
    });
    const env = newEnv();
    let heartbeats = 0;
    env.on('heartbeat', () => heartbeats++);
    const running = env.run(activities.callOperation, { request: request() });
    await arrivedPromise;
    env.cancel();
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof CancelledFailure, `expected CancelledFailure, got ${String(error)}`);
    await closedPromise;
    assert.ok(heartbeats >= 1);
  });

  it('no thrown error or log line contains a token, client secret or password', async () => {
    const errors: unknown[] = [];
    const capture = async (promise: Promise<unknown>): Promise<void> => {
      await promise.then(
        () => undefined,
        (e: unknown) => errors.push(e),
      );
    };
    // Every answer echoes the credentials the server received.
    const echo =
      (status: number): Hook =>
      (req, res, body) => {
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
        const decoded = basic?.[1] === undefined ? '' : Buffer.from(basic[1], 'base64').toString();
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({
            message: `saw ${req.headers.authorization ?? ''} and ${body} at ${req.url ?? ''}`,
            detail: `Authorization: ${req.headers.authorization ?? ''}`,
            data: {
              message: `token ${req.headers.authorization?.replace(/^\w+ /, '') ?? ''} user ${decoded} body ${body}`,
            },
          }),
        );
        return true;
      };
    const cc = createHttpActivities({ connections: { airbyte: connection(mini, clientCredentials()) }, log });
    const bearer = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'bearer', token: STATIC_TOKEN }) },
      log,
    });
    const basic = createHttpActivities({
      connections: { airbyte: connection(mini, { type: 'basic', username: 'airbyte', password: PASSWORD }) },
      log,
    });
    for (const activities of [cc, bearer, basic]) {
      for (const status of [429, 503]) {
        mini.state.hooks.push(echo(status));
        await capture(run(activities, { request: request() }));
      }
      mini.state.jobs.length = 0;
      mini.state.jobs.push({
        jobId: 9,
        status: 'running',
        jobType: 'sync',
        connectionId: CONNECTION_ID,
        startTime: '2025-01-01T00:00:00Z',
      });
      mini.state.hooks.push(echo(409));
      await capture(run(activities, { request: createJob(), adopt: adoptSpec('fail') }));
      mini.state.hooks.push(echo(409));
      await capture(run(activities, { request: createJob(), adopt: adoptSpec('wait') }));
      mini.state.hooks.push(echo(409), echo(403));
      await capture(run(activities, { request: createJob(), adopt: adoptSpec('attach') }));
    }
    // A token endpoint that rejects and echoes the secret.
    const badClient = createHttpActivities({
      connections: { airbyte: connection(mini, clientCredentials()) },
      log,
    });
    mini.state.hooks.length = 0;
    mini.state.tokenHooks.push(echo(401));
    await capture(run(badClient, { request: request() }));
    // A transport error on a URL with a secret-named query parameter.
    const refused = createHttpActivities({
      connections: {
        airbyte: {
          baseUrl: 'http://127.0.0.1:1/api',
          auth: { type: 'bearer', token: STATIC_TOKEN },
          timeoutMs: 1000,
          maxBodyBytes: 100,
        },
      },
      log,
    });
    await capture(run(refused, { request: request({ query: [['access_token', 'qs-secret-1234']] }) }));

    assert.ok(errors.length >= 14, `expected many failures, got ${errors.length}`);
    assert.ok(mini.state.minted.length >= 1);
    const secrets = [
      CLIENT_SECRET,
      STATIC_TOKEN,
      PASSWORD,
      Buffer.from(`airbyte:${PASSWORD}`).toString('base64'),
      'qs-secret-1234',
      ...mini.state.minted,
    ];
    const texts = [
      ...errors.map((e) => {
        const failure = e as ApplicationFailure;
        return [
          failure.message,
          failure.stack,
          JSON.stringify(failure.details),
          String(failure.cause ?? ''),
        ].join('\n');
      }),
      ...log.lines,
      ...sdkLogLines,
    ];
    // The server did echo the secrets: the scan would find them without redaction.
    assert.ok(texts.some((t) => t.includes('[REDACTED]')));
    assert.ok(
      sdkLogLines.some((line) => line.includes('Activity failed')),
      'the SDK log was captured',
    );
    for (const text of texts) {
      for (const secret of secrets)
        assert.ok(!text.includes(secret), `secret ${secret.slice(0, 6)}… leaked in: ${text}`);
    }
  });
});

describe('callOperation against the Airbyte simulator', { timeout: 30_000 }, () => {
  const SIM_SECRET = 'sim-secret-5a5a5a';
  let sim: Simulator;
  let log: ReturnType<typeof captureLog>;
  before(async () => {
    sim = await startSimulator({
      auth: {
        mode: 'client-credentials',
        clients: [{ clientId: 'sim-client', clientSecret: SIM_SECRET }],
        tokenTtlSeconds: 900,
      },
    });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    log = captureLog();
  });

  /** A connection whose jobs stay running until polled a thousand times. */
  const addConnection = (): string =>
    sim.addConnection({
      scenario: { clock: 'polls', pendingPolls: 1, runningPolls: 1000, outcome: 'succeeded' },
    }).connectionId;

  const simConnection = (timeoutMs = 5000): SourceConnection => ({
    baseUrl: sim.url,
    auth: {
      type: 'clientCredentials',
      clientId: 'sim-client',
      clientSecret: SIM_SECRET,
      tokenUrl: `${sim.url}/applications/token`,
    },
    timeoutMs,
    maxBodyBytes: 256 * 1024,
  });

  const simCreate = (connectionId: string): HttpRequestSpec =>
    request({
      operation: 'airbyte.createJob',
      method: 'POST',
      path: '/jobs',
      body: { contentType: 'application/json', content: { connectionId, jobType: 'sync' } },
    });

  const simAdopt = (connectionId: string, onConflict: AdoptRequest['onConflict']): AdoptRequest => ({
    ...adoptSpec(onConflict),
    lookup: request({
      operation: 'airbyte.listJobs',
      path: '/jobs',
      query: [
        ['connectionId', connectionId],
        ['orderBy', 'createdAt%7CDESC'],
      ],
    }),
    terminalStatuses: ['succeeded', 'failed', 'cancelled'],
  });

  const tokenRequests = (): number =>
    sim.requests().filter((r) => r.operationId === 'createAccessToken').length;

  it('refreshes before expiry when the clocks move together (no 401 seen)', async () => {
    let offset = 0;
    const activities = createHttpActivities({
      connections: { airbyte: simConnection() },
      log,
      now: () => Date.now() + offset,
    });
    const connectionId = addConnection();
    const list = simAdopt(connectionId, 'attach').lookup;
    assert.equal((await run(activities, { request: list })).statusCode, 200);
    offset += 850_000;
    sim.advanceTime(850_000);
    assert.equal((await run(activities, { request: list })).statusCode, 200);
    offset += 850_000;
    sim.advanceTime(850_000);
    assert.equal((await run(activities, { request: list })).statusCode, 200);
    assert.equal(tokenRequests(), 3);
    assert.deepEqual(
      sim.requests().filter((r) => r.status === 401),
      [],
    );
  });

  it('re-mints after a 401 when the token expired server-side', async () => {
    const activities = createHttpActivities({ connections: { airbyte: simConnection() }, log });
    const connectionId = addConnection();
    const list = simAdopt(connectionId, 'attach').lookup;
    await run(activities, { request: list });
    sim.advanceTime(901_000);
    const result = await run(activities, { request: list });
    assert.equal(result.statusCode, 200);
    assert.equal(tokenRequests(), 2);
    assert.equal(sim.requests().filter((r) => r.status === 401).length, 1);
  });

  it('a slow createJob that times out on the client, retried as attempt 2, leaves exactly one job', async () => {
    const activities = createHttpActivities({ connections: { airbyte: simConnection(300) }, log });
    const connectionId = addConnection();
    sim.scriptFaults({ op: 'createJob', fault: 'slow', ms: 1000 });
    const scheduledTimestampMs = Date.now();
    const first = await failureOf(
      run(
        activities,
        { request: simCreate(connectionId), adopt: simAdopt(connectionId, 'attach') },
        { attempt: 1, scheduledTimestampMs },
      ),
    );
    assert.equal(first.type, Failure.httpTransportError);
    // Temporal retries no sooner than twice the request's timeout: the server may still be creating it.
    assert.equal(first.nextRetryDelay, 600);
    // The server keeps working after the client left; wait until it has created the job.
    await waitFor(() => sim.jobs(connectionId).length > 0);
    const second = await run(
      activities,
      { request: simCreate(connectionId), adopt: simAdopt(connectionId, 'attach') },
      { attempt: 2, scheduledTimestampMs },
    );
    const [job] = sim.jobs(connectionId);
    assert.deepEqual(second.adopted, { reason: 'unknown-outcome', resourceId: job?.jobId });
    assert.equal(sim.jobs(connectionId).length, 1);
    assert.equal(sim.requests().filter((r) => r.operationId === 'createJob').length, 1);
    assert.equal(sim.counts(connectionId).conflicts, 0);
  });

  it('a 409 adopts the running job', async () => {
    const activities = createHttpActivities({ connections: { airbyte: simConnection() }, log });
    const connectionId = addConnection();
    const created = await run(activities, { request: simCreate(connectionId) });
    const jobId = (created.body as { jobId: number }).jobId;
    const result = await run(activities, {
      request: simCreate(connectionId),
      adopt: simAdopt(connectionId, 'attach'),
    });
    assert.deepEqual(result.adopted, { reason: 'conflict', resourceId: jobId });
    assert.equal(sim.jobs(connectionId).length, 1);
    assert.equal(sim.counts(connectionId).conflicts, 1);
  });

  it('429 with Retry-After becomes nextRetryDelay', async () => {
    const activities = createHttpActivities({ connections: { airbyte: simConnection() }, log });
    const connectionId = addConnection();
    sim.scriptFaults({ op: 'listJobs', fault: 'rateLimit', retryAfterSeconds: 4 });
    const failure = await failureOf(run(activities, { request: simAdopt(connectionId, 'attach').lookup }));
    assert.equal(failure.type, Failure.httpRetryableStatus);
    assert.equal(failure.nextRetryDelay, 4000);
  });

  it('a cancelled activity leaves the simulator with a closed, unanswered request', async () => {
    const activities = createHttpActivities({
      connections: { airbyte: simConnection() },
      log,
      heartbeatIntervalMs: 10,
    });
    const connectionId = addConnection();
    const list = simAdopt(connectionId, 'attach').lookup;
    await run(activities, { request: list }); // mints the token first
    sim.scriptFaults({ op: 'listJobs', fault: 'latency', ms: 1500 });
    const env = newEnv();
    const running = env.run(activities.callOperation, { request: list });
    // The scripted fault is consumed when the request reaches the simulator.
    await waitFor(() => sim.faults().script.length === 0);
    env.cancel();
    await assert.rejects(running, (e: unknown) => e instanceof CancelledFailure);
    // Had the client stayed, the simulator would answer 200 after the latency; it logs who left.
    await waitFor(() => sim.requests().filter((r) => r.operationId === 'listJobs').length === 2);
    const last = sim.requests().filter((r) => r.operationId === 'listJobs')[1];
    assert.equal(last?.status, null);
    assert.equal(last?.clientGone, true);
  });

  it('never logs the client secret or a minted token', async () => {
    const activities = createHttpActivities({ connections: { airbyte: simConnection() }, log });
    const connectionId = addConnection();
    await run(activities, { request: simCreate(connectionId) });
    await run(activities, { request: simCreate(connectionId), adopt: simAdopt(connectionId, 'attach') });
    assert.ok(log.lines.length >= 3);
    for (const line of [...log.lines, ...sdkLogLines]) assert.ok(!line.includes(SIM_SECRET), line);
    for (const line of log.lines) assert.ok(!/Bearer [A-Za-z0-9]/.test(line), line);
  });
});
