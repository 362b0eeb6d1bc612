// The simulator's job lifecycle and job rules, against the real server on loopback.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined || raw !== undefined
      ? { body: raw ?? JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

void describe('simulator job lifecycle', () => {
  let sim: Simulator;
  const api = (method: string, path: string, body?: unknown): Promise<Answer> =>
    call(sim.url, method, path, body);
  const create = (connectionId: string, jobType = 'sync'): Promise<Answer> =>
    api('POST', '/jobs', { connectionId, jobType });
  const statuses = async (jobId: unknown, reads: number): Promise<string[]> => {
    const seen: string[] = [];
    for (let i = 0; i < reads; i += 1)
      seen.push(String((await api('GET', `/jobs/${String(jobId)}`)).body['status']));
    return seen;
  };

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  void it('poll clock: each GET advances the job one step, through queued and failed attempts', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingPolls: 2, queuedPolls: 1, runningPolls: 2, incompletePolls: 1, failedAttempts: 1 },
    });
    const created = await create(connectionId);
    assert.equal(created.status, 200);
    assert.equal(created.body['status'], 'pending');
    assert.deepEqual(await statuses(created.body['jobId'], 8), [
      'pending',
      'queued',
      'running',
      'running',
      'incomplete',
      'running',
      'running',
      'succeeded',
    ]);
    assert.equal(sim.job(Number(created.body['jobId']))?.reads, 8);
  });

  void it('poll clock: looking through the control accessors or listJobs does not advance a job', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } });
    const jobId = (await create(connectionId)).body['jobId'];
    for (let i = 0; i < 3; i += 1) {
      sim.jobs(connectionId);
      await api('GET', `/jobs?connectionId=${connectionId}`);
    }
    assert.deepEqual(await statuses(jobId, 2), ['running', 'succeeded']);
  });

  void it('wall clock: status follows the simulator clock, and duration/lastUpdatedAt appear when Airbyte sends them', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingMs: 10_000, runningMs: 60_000, outcome: 'failed' },
    });
    const jobId = (await create(connectionId)).body['jobId'];
    const pending = (await api('GET', `/jobs/${String(jobId)}`)).body;
    assert.equal(pending['status'], 'pending');
    assert.equal('duration' in pending, false);
    assert.equal('lastUpdatedAt' in pending, false);
    // OffsetDateTime.toString(): seconds left out when zero (JobResponseMapper).
    assert.match(String(pending['startTime']), /^\d{4}-\d\d-\d\dT\d\d:\d\d(:(0[1-9]|[1-5]\d))?Z$/);

    sim.advanceTime(20_000);
    const running = (await api('GET', `/jobs/${String(jobId)}`)).body;
    assert.equal(running['status'], 'running');
    assert.match(String(running['duration']), /^PT(\d+M)?\d+S$/);
    assert.equal('lastUpdatedAt' in running, false);

    sim.advanceTime(3_600_000);
    const failed = (await api('GET', `/jobs/${String(jobId)}`)).body;
    assert.equal(failed['status'], 'failed');
    assert.equal(failed['duration'], 'PT1M10S');
    assert.match(String(failed['lastUpdatedAt']), /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/);
    // JobResponseMapper reads the committed counts whatever the status: a failed job has them too.
    assert.equal(typeof failed['rowsSynced'], 'number');
    assert.equal(typeof failed['bytesSynced'], 'number');
  });

  void it('sends duration for queued jobs (every status but pending), and startTime without zero seconds', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { clock: 'wall', pendingMs: 1_000, queuedMs: 60_000, runningMs: 60_000 },
    });
    const jobId = (await create(connectionId)).body['jobId'];
    sim.advanceTime(5_000);
    const queued = (await api('GET', `/jobs/${String(jobId)}`)).body;
    assert.equal(queued['status'], 'queued');
    assert.match(String(queued['duration']), /^PT\d+S$/);
    const start = Date.parse(String(queued['startTime']));
    assert.equal(Number.isNaN(start), false);
    if (new Date(start).getUTCSeconds() === 0) assert.match(String(queued['startTime']), /T\d\d:\d\dZ$/);
  });

  void it('answers a sync created while one is queued with 200 and that job (no second job)', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { clock: 'wall', pendingMs: 1_000, queuedMs: 60_000, runningMs: 60_000 },
    });
    const first = await create(connectionId);
    sim.advanceTime(5_000);
    const second = await create(connectionId);
    assert.equal(second.status, 200);
    assert.equal(second.body['jobId'], first.body['jobId']);
    assert.equal(sim.jobs(connectionId).length, 1);
  });

  void it('refuses jobs the way Airbyte does for inactive, deprecated, deleted-workflow and timed-out connections', async () => {
    const expected: Record<string, { title: string; message: (id: string) => string }> = {
      inactive: { title: 'state-conflict', message: () => 'Could not fulfill request' },
      deprecated: { title: 'state-conflict', message: () => 'Could not fulfill request' },
      'creation-times-out': { title: 'state-conflict', message: () => 'Could not fulfill request' },
      'workflow-deleted': {
        title: 'try-again-later',
        message: (id) =>
          `The connection manager workflow for connection ${id} is deleted, so no further operations cannot be performed on it.`,
      },
    };
    for (const [state, want] of Object.entries(expected)) {
      const { connectionId } = sim.addConnection({ state: state as 'inactive' });
      const refused = await create(connectionId);
      assert.equal(refused.status, 409, state);
      assert.equal(refused.body['title'], want.title, state);
      assert.deepEqual(refused.body['data'], { message: want.message(connectionId) }, state);
      assert.equal(sim.jobs(connectionId).length, 0, state);
    }
    // A reset of an inactive connection goes through (only the sync path checks the state).
    const { connectionId } = sim.addConnection({ state: 'inactive' });
    assert.equal((await create(connectionId, 'reset')).status, 200);
  });

  void it('the scenario clock can be inferred from …Polls fields while the default clock is wall', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 1 } });
    const created = await create(connectionId);
    assert.equal(created.body['status'], 'running');
    assert.deepEqual(await statuses(created.body['jobId'], 1), ['succeeded']);
    assert.equal(sim.job(Number(created.body['jobId']))?.clock, 'polls');
  });

  void it('reports stats once succeeded, and omits or zeroes them for "succeeded with no stats"', async () => {
    const withStats = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, rowsSynced: 7, bytesSynced: 70 },
    });
    const noStats = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, rowsSynced: null, bytesSynced: null },
    });
    const zero = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, rowsSynced: 0, bytesSynced: 0 },
    });
    const a = (await create(withStats.connectionId)).body;
    assert.equal(a['status'], 'succeeded');
    assert.equal(a['rowsSynced'], 7);
    assert.equal(a['bytesSynced'], 70);
    const b = (await create(noStats.connectionId)).body;
    assert.equal(b['status'], 'succeeded');
    assert.equal('rowsSynced' in b || 'bytesSynced' in b, false);
    const c = (await create(zero.connectionId)).body;
    assert.equal(c['rowsSynced'], 0);
  });

  void it('uses the outcomes list per job, then the outcome', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, outcomes: ['failed', 'cancelled'], outcome: 'succeeded' },
    });
    const seen = [];
    for (let i = 0; i < 3; i += 1) seen.push((await create(connectionId)).body['status']);
    assert.deepEqual(seen, ['failed', 'cancelled', 'succeeded']);
  });

  void it('answers 409 try-again-later, exactly as Airbyte, for a sync while a job is not terminal', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 5, runningPolls: 5 } });
    assert.equal((await create(connectionId)).status, 200);
    const conflict = await create(connectionId);
    assert.equal(conflict.status, 409);
    assert.match(String(conflict.headers.get('content-type')), /^application\/json/);
    assert.deepEqual(conflict.body, {
      status: 409,
      type: 'https://reference.airbyte.com/reference/errors#try-again-later',
      title: 'try-again-later',
      detail: 'Please try again later.',
      data: { message: `A sync is already running for: ${connectionId}` },
    });
    assert.equal(sim.counts(connectionId).conflicts, 1);
    assert.equal(sim.jobs(connectionId).length, 1);
  });

  void it('allows a new sync once the previous job is terminal', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } });
    const first = (await create(connectionId)).body['jobId'];
    await statuses(first, 2);
    const second = await create(connectionId);
    assert.equal(second.status, 200);
    assert.equal(second.body['jobId'], Number(first) + 1);
  });

  void it('a reset cancels the running sync and starts', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 10 } });
    const sync = (await create(connectionId)).body['jobId'];
    const reset = await create(connectionId, 'reset');
    assert.equal(reset.status, 200);
    assert.equal(reset.body['jobType'], 'reset');
    assert.equal((await api('GET', `/jobs/${String(sync)}`)).body['status'], 'cancelled');
    assert.equal(sim.job(Number(sync))?.cancelledByClient, false);
    assert.equal((await create(connectionId)).status, 409, 'the reset is now the running job');
  });

  void it('a clear cancels the running job too and is reported as a reset', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 3, runningPolls: 3 } });
    const sync = (await create(connectionId)).body['jobId'];
    const clear = await create(connectionId, 'clear');
    assert.equal(clear.status, 200);
    assert.equal(clear.body['jobType'], 'reset');
    assert.equal(sim.job(Number(clear.body['jobId']))?.requestedJobType, 'clear');
    assert.equal(sim.job(Number(sync))?.status, 'cancelled');
  });

  void it('reset jobs may follow their own scenario and have no stats by default', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, reset: { outcome: 'failed' } },
    });
    assert.equal((await create(connectionId)).body['status'], 'succeeded');
    const reset = (await create(connectionId, 'reset')).body;
    assert.equal(reset['status'], 'failed');
    assert.equal('rowsSynced' in reset, false);
  });

  void it('refuses refresh with 422', async () => {
    const { connectionId } = sim.addConnection();
    const refresh = await create(connectionId, 'refresh');
    assert.equal(refresh.status, 422);
    assert.equal(refresh.body['title'], 'unprocessable-entity');
    assert.deepEqual(refresh.body['data'], { message: 'Refreshes are not supported in the public API' });
    assert.equal(sim.jobs(connectionId).length, 0);
  });

  void it('cancels a running job with DELETE and refuses to cancel a job that ended (counted)', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 10 } });
    const jobId = (await create(connectionId)).body['jobId'];
    const cancelled = await api('DELETE', `/jobs/${String(jobId)}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body['status'], 'cancelled');
    assert.equal(typeof cancelled.body['lastUpdatedAt'], 'string');
    assert.equal(sim.job(Number(jobId))?.cancelledByClient, true);

    const again = await api('DELETE', `/jobs/${String(jobId)}`);
    assert.equal(again.status, 409);
    assert.equal(again.body['title'], 'state-conflict');
    assert.deepEqual(again.body['data'], { message: 'Job is not currently running' });
    assert.equal(sim.counts(connectionId).cancelTerminalAttempts, 1);
  });

  void it('cancel is connection-wide: DELETE of an ended job cancels the job now running on its connection', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 1, outcome: 'succeeded' },
    });
    const oldId = Number((await create(connectionId)).body['jobId']);
    await api('GET', `/jobs/${oldId}`);
    assert.equal((await api('GET', `/jobs/${oldId}`)).body['status'], 'succeeded');
    sim.addConnection({ connectionId, scenario: { pendingPolls: 0, runningPolls: 100 } });
    const newer = Number((await create(connectionId)).body['jobId']);
    const answer = await api('DELETE', `/jobs/${oldId}`);
    assert.equal(answer.status, 200);
    // The answer is the job asked for, read again; the job cancelled is the newer one.
    assert.equal(answer.body['jobId'], oldId);
    assert.equal(answer.body['status'], 'succeeded');
    assert.equal(sim.job(newer)?.status, 'cancelled');
    assert.equal(sim.job(newer)?.cancelledByClient, true);
  });

  void it('unknown ids: 404 with the resource, invalid ids 400, bad JSON 400, unknown connection 404', async () => {
    const unknownJob = await api('GET', '/jobs/999999');
    assert.equal(unknownJob.status, 404);
    assert.deepEqual(unknownJob.body['data'], { resourceType: 'job', resourceId: '999999' });
    assert.equal((await api('DELETE', '/jobs/999999')).status, 404);
    assert.equal((await api('GET', '/jobs/abc')).status, 400);
    const badUuid = await create('not-a-uuid');
    assert.equal(badUuid.status, 400);
    assert.equal(badUuid.body['title'], 'bad-request');
    assert.equal((await call(sim.url, 'POST', '/jobs', undefined, '{"connectionId":')).status, 400);
    assert.equal(
      (await api('POST', '/jobs', { connectionId: sim.addConnection().connectionId })).status,
      400,
    );
    assert.equal(
      (await api('POST', '/jobs', { connectionId: sim.addConnection().connectionId, jobType: 'x' })).status,
      400,
    );
    const unknownConnection = await create('0b6f5a7e-2f7c-4a53-9a59-5c0f1f0c1a11');
    assert.equal(unknownConnection.status, 404);
    assert.equal(unknownConnection.body['title'], 'resource-not-found');
  });

  void it('serves the API under /v1 and /api/public/v1, and /health', async () => {
    const { connectionId } = sim.addConnection();
    const viaSelfManaged = await call(sim.selfManagedUrl, 'POST', '/jobs', { connectionId, jobType: 'sync' });
    assert.equal(viaSelfManaged.status, 200);
    const viaCloud = await api('GET', `/jobs/${String(viaSelfManaged.body['jobId'])}`);
    assert.equal(viaCloud.body['connectionId'], connectionId);
    const health = await fetch(`${sim.origin}/health`);
    assert.equal(health.status, 200);
    assert.equal((await fetch(`${sim.url}/health`)).status, 200);
    assert.equal((await fetch(`${sim.origin}/v1/nothing`)).status, 404);
  });

  void it('holds thousands of concurrent jobs without timers', async () => {
    const scenario = { pendingMs: 3_600_000, runningMs: 3_600_000 };
    const ids = Array.from({ length: 3000 }, () => sim.addConnection({ scenario }).connectionId);
    let created = 0;
    // Fifty clients at a time, so the test measures the simulator rather than socket setup.
    for (let i = 0; i < ids.length; i += 50) {
      const answers = await Promise.all(ids.slice(i, i + 50).map((id) => create(id)));
      created += answers.filter((a) => a.status === 200).length;
    }
    assert.equal(created, ids.length);
    assert.equal(sim.counts().total, ids.length);
    const page = await api('GET', '/jobs?status=pending&limit=100&offset=2900');
    assert.equal((page.body['data'] as unknown[]).length, 100);
  });
});

void describe('simulator options', () => {
  void it('403 for unknown ids like Cloud, 500 for cancelling an ended job, auto-created connections', async () => {
    const sim = await startSimulator({
      notFoundStatus: 403,
      cancelTerminalStatus: 500,
      autoCreateConnections: true,
      defaultScenario: { pendingPolls: 0, runningPolls: 0 },
    });
    try {
      const unknown = await call(sim.url, 'GET', '/jobs/12345');
      assert.equal(unknown.status, 403);
      assert.equal(unknown.body['title'], 'forbidden');
      const connectionId = '6c1f6b8e-5b8a-4a59-8c3f-0a1b2c3d4e5f';
      const created = await call(sim.url, 'POST', '/jobs', { connectionId, jobType: 'sync' });
      assert.equal(created.status, 200);
      assert.equal(created.body['status'], 'succeeded');
      const cancel = await call(sim.url, 'DELETE', `/jobs/${String(created.body['jobId'])}`);
      assert.equal(cancel.status, 500);
      assert.equal(sim.counts(connectionId).cancelTerminalAttempts, 1);
    } finally {
      await sim.close();
    }
  });

  void it('starts job ids where told', async () => {
    const sim = await startSimulator({ firstJobId: 5000 });
    try {
      const { connectionId } = sim.addConnection();
      const created = await call(sim.url, 'POST', '/jobs', { connectionId, jobType: 'sync' });
      assert.equal(created.body['jobId'], 5000);
    } finally {
      await sim.close();
    }
  });
});
