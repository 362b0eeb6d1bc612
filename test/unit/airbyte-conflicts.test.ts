/**
 * The create activity against the simulator behaving as Airbyte's server code does (issue 12):
 * which 409 means "a sync is already running", adoption of the right job type, the unordered
 * lookup for servers before 0.53.1, a sync answered with an already queued job, and the settle
 * window that keeps a slow create from being duplicated whatever its delay.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { AdoptRequest } from '../../src/contract/index.js';
import type { SourceConnection } from '../../src/config/index.js';
import { createHttpActivities } from '../../src/activities/http.js';
import type { HttpActivityInput, HttpActivityResult } from '../../src/activities/http.js';
import type { HttpRequestSpec } from '../../src/arazzo/request/index.js';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';
import type { ConnectionState } from '../../simulator/types.js';
import { Failure } from '../../src/arazzo/failures.js';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

function request(over: Partial<HttpRequestSpec>): HttpRequestSpec {
  return {
    operation: 'airbyte.getJob',
    sourceName: 'airbyte',
    method: 'GET',
    path: '/jobs',
    query: [],
    headers: {},
    view: { path: {}, query: {}, headers: {} },
    ...over,
  };
}

const create = (connectionId: string, jobType = 'sync'): HttpRequestSpec =>
  request({
    operation: 'airbyte.createJob',
    method: 'POST',
    path: '/jobs',
    body: { contentType: 'application/json', content: { connectionId, jobType } },
  });

/** What the workflow hands the activity for the catalog's createJob (see openapi/airbyte-openapi.yml). */
const adoptFor = (
  connectionId: string,
  jobType = 'sync',
  over: Partial<AdoptRequest> = {},
): AdoptRequest => ({
  lookup: request({
    operation: 'airbyte.listJobs',
    query: [
      ['connectionId', connectionId],
      ['orderBy', 'createdAt%7CDESC'],
      ['limit', '20'],
    ],
  }),
  itemsPointer: '/data',
  idPointer: '/jobId',
  statusPointer: '/status',
  activeStatuses: ['pending', 'queued', 'running', 'incomplete'],
  terminalStatuses: ['succeeded', 'failed', 'cancelled'],
  createdAtPointer: '/startTime',
  match: { '/jobType': jobType },
  conflictStatuses: [409],
  conflictMatch: { '/title': '^try-again-later$', '/data/message': '^A sync is already running for: ' },
  onConflict: 'attach',
  unorderedFallback: {
    dropParameters: ['orderBy'],
    limitParameter: 'limit',
    offsetParameter: 'offset',
    pageSize: 100,
    maxPages: 20,
  },
  ...over,
});

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

function run(
  activities: ReturnType<typeof createHttpActivities>,
  input: HttpActivityInput,
  info: Partial<Info> = {},
): Promise<HttpActivityResult> {
  return new MockActivityEnvironment(info).run(activities.callOperation, input);
}

/**
 * Drives one create the way Temporal does: attempts one after the other, each handed the
 * heartbeat details the one before left, waiting each failure's `nextRetryDelay` (a real wait:
 * the simulator keeps working meanwhile). Returns the result and the attempts made.
 */
async function retryLikeTemporal(
  activities: ReturnType<typeof createHttpActivities>,
  input: HttpActivityInput,
  maxAttempts = 30,
): Promise<{ result: HttpActivityResult; attempts: number }> {
  const scheduledTimestampMs = Date.now();
  let details: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const env = new MockActivityEnvironment({
      attempt,
      scheduledTimestampMs,
      ...(details === undefined ? {} : { heartbeatDetails: details }),
    });
    env.on('heartbeat', (d: unknown) => {
      details = d;
    });
    try {
      return { result: await env.run(activities.callOperation, input), attempts: attempt };
    } catch (error) {
      assert.ok(error instanceof ApplicationFailure, String(error));
      assert.equal(error.nonRetryable, false, error.message);
      const delay = typeof error.nextRetryDelay === 'number' ? error.nextRetryDelay : 200;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  throw new Error('no attempt succeeded');
}

describe('409s, adoption and slow creates against the simulator', { timeout: 120_000 }, () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ clock: 'polls' });
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  const conn = (timeoutMs = 5000): SourceConnection => ({
    baseUrl: sim.url,
    auth: { type: 'none' },
    timeoutMs,
    maxBodyBytes: 256 * 1024,
  });
  const running = { clock: 'polls' as const, pendingPolls: 1, runningPolls: 100_000 };
  const posts = (connectionId: string) =>
    sim.requests().filter((r) => r.operationId === 'createJob' && r.connectionId === connectionId).length;
  const lookups = (connectionId: string) =>
    sim.requests().filter((r) => r.operationId === 'listJobs' && r.connectionId === connectionId);

  for (const [state, message] of [
    ['inactive', 'Could not fulfill request'],
    ['deprecated', 'Could not fulfill request'],
    ['creation-times-out', 'Could not fulfill request'],
    ['workflow-deleted', 'is deleted, so no further operations'],
  ] as const) {
    it(`a 409 for a ${state} connection fails at once, non-retryable, with Airbyte's message: one POST, no lookup`, async () => {
      const activities = createHttpActivities({ connections: { airbyte: conn() }, log: quiet });
      const { connectionId } = sim.addConnection({ state: state as ConnectionState, scenario: running });
      const failure = await failureOf(
        run(activities, { request: create(connectionId), adopt: adoptFor(connectionId) }),
      );
      assert.equal(failure.type, Failure.resourceConflict);
      assert.equal(failure.nonRetryable, true);
      assert.ok(failure.message.includes(message), failure.message);
      assert.equal(posts(connectionId), 1);
      assert.equal(lookups(connectionId).length, 0);
    });
  }

  it('the 409 "A sync is already running" still attaches to the running sync', async () => {
    const activities = createHttpActivities({ connections: { airbyte: conn() }, log: quiet });
    const { connectionId } = sim.addConnection({ scenario: running });
    const first = await run(activities, { request: create(connectionId) });
    const result = await run(activities, { request: create(connectionId), adopt: adoptFor(connectionId) });
    assert.deepEqual(result.adopted, {
      reason: 'conflict',
      resourceId: (first.body as { jobId: number }).jobId,
    });
  });

  it('never adopts a running reset as our sync: the job type must match', async () => {
    const activities = createHttpActivities({ connections: { airbyte: conn() }, log: quiet });
    const { connectionId } = sim.addConnection({ scenario: running });
    await run(activities, { request: create(connectionId, 'reset') });
    const failure = await failureOf(
      run(activities, { request: create(connectionId), adopt: adoptFor(connectionId) }),
    );
    assert.equal(failure.type, Failure.resourceConflictUnresolved);
    assert.match(failure.message, /"\/jobType":"sync"/);
    // Without the match (the field the workflow used to drop) the reset is taken for our sync.
    const { match: _dropped, ...unmatched } = adoptFor(connectionId);
    const wrong = await run(activities, { request: create(connectionId), adopt: unmatched });
    assert.equal(wrong.adopted?.reason, 'conflict');
    assert.equal((wrong.body as { jobType: string }).jobType, 'reset');
  });

  for (const version of ['0.53.0', '0.50.18']) {
    it(`Airbyte ${version} refuses orderBy: the lookup falls back to unordered pages and finds the newest job`, async () => {
      const old = await startSimulator({ clock: 'polls', airbyteVersion: version });
      try {
        const activities = createHttpActivities({
          connections: { airbyte: { ...conn(), baseUrl: old.url } },
          log: quiet,
        });
        // 120 ended syncs, then the running one: unordered (oldest first), it is on page 2.
        const { connectionId } = old.addConnection({
          scenario: { clock: 'polls', pendingPolls: 0, runningPolls: 0 },
        });
        for (let i = 0; i < 120; i++) {
          const made = await run(activities, { request: create(connectionId) });
          await run(activities, {
            request: request({ path: `/jobs/${(made.body as { jobId: number }).jobId}` }),
          });
        }
        old.addConnection({ connectionId, scenario: running });
        const runningJob = await run(activities, { request: create(connectionId) });
        const result = await run(activities, {
          request: create(connectionId),
          adopt: adoptFor(connectionId),
        });
        assert.deepEqual(result.adopted, {
          reason: 'conflict',
          resourceId: (runningJob.body as { jobId: number }).jobId,
        });
        const lists = old.requests().filter((r) => r.operationId === 'listJobs');
        assert.equal(lists[0]?.status, version === '0.53.0' ? 400 : 500);
        assert.deepEqual(
          lists.slice(1).map((r) => [r.query['orderBy'], r.query['offset'], r.status]),
          [
            [undefined, '0', 200],
            [undefined, '100', 200],
          ],
        );
      } finally {
        await old.close();
      }
    });
  }

  it('a sync answered 200 with the job already queued (created before our request) is marked as not ours', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { clock: 'wall', pendingMs: 0, queuedMs: 600_000, runningMs: 600_000 },
    });
    const first = await run(createHttpActivities({ connections: { airbyte: conn() }, log: quiet }), {
      request: create(connectionId),
    });
    // A minute later by the worker's clock: the queued job predates our request.
    const activities = createHttpActivities({
      connections: { airbyte: conn() },
      log: quiet,
      now: () => Date.now() + 60_000,
    });
    const again = await run(activities, { request: create(connectionId), adopt: adoptFor(connectionId) });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.adopted, {
      reason: 'conflict',
      resourceId: (first.body as { jobId: number }).jobId,
    });
    assert.equal(sim.jobs(connectionId).length, 1);
    // onConflict: fail treats it as the conflict it is.
    const failure = await failureOf(
      run(activities, {
        request: create(connectionId),
        adopt: adoptFor(connectionId, 'sync', { onConflict: 'fail' }),
      }),
    );
    assert.equal(failure.type, Failure.resourceConflict);
    assert.equal(failure.nonRetryable, true);
  });

  // The client gives up after 300 ms; the server creates the job after `delay` whatever happens.
  // 2 × timeout (600 ms) was the old window: beyond it a reset (no 409 protects it) was created twice.
  for (const delay of [150, 450, 900, 1800]) {
    for (const jobType of ['sync', 'reset']) {
      it(`a ${jobType} create slowed ${delay} ms (timeout 300 ms) leaves exactly one job`, async () => {
        const activities = createHttpActivities({
          connections: { airbyte: conn(300) },
          log: quiet,
          heartbeatIntervalMs: 50,
        });
        const { connectionId } = sim.addConnection({ scenario: running });
        sim.scriptFaults({ op: 'createJob', connectionId, fault: 'slow', ms: delay });
        const { result } = await retryLikeTemporal(activities, {
          request: create(connectionId, jobType),
          adopt: adoptFor(connectionId, jobType, { settleSeconds: 3 }),
        });
        // The slow request is handled (and logged) after its delay even though the client left:
        // count the jobs only once it has been.
        while (!sim.requests().some((r) => r.operationId === 'createJob' && r.fault?.startsWith('slow'))) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const jobs = sim.jobs(connectionId);
        assert.equal(jobs.length, 1, `jobs: ${JSON.stringify(jobs.map((j) => j.jobId))}`);
        assert.equal((result.body as { jobId: number }).jobId, jobs[0]?.jobId);
      });
    }
  }
});
