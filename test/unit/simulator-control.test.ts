// The simulator's control API, through the typed control client, as out-of-process users drive it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ControlApiError, createControlClient } from '../../simulator/control-client.js';
import type { ControlClient } from '../../simulator/control-client.js';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';

void describe('simulator control API', () => {
  let sim: Simulator;
  let control: ControlClient;

  const createJob = async (connectionId: string, jobType = 'sync'): Promise<Response> =>
    fetch(`${sim.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId, jobType }),
    });

  before(async () => {
    sim = await startSimulator();
    control = createControlClient(sim.controlUrl);
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control.reset();
  });

  void it('creates connections with a random or given id, and updates their scenario', async () => {
    const random = await control.addConnection();
    assert.match(random.connectionId, /^[0-9a-f-]{36}$/);
    const given = await control.addConnection({
      connectionId: 'C0FFEE00-0000-4000-8000-000000000000',
      scenario: { pendingPolls: 0, runningPolls: 0, outcome: 'failed' },
    });
    assert.equal(given.connectionId, 'c0ffee00-0000-4000-8000-000000000000');
    assert.equal(
      ((await (await createJob(given.connectionId)).json()) as { status: string }).status,
      'failed',
    );
    await control.setScenario(given.connectionId, { pendingPolls: 0, runningPolls: 0 });
    assert.equal(
      ((await (await createJob(given.connectionId)).json()) as { status: string }).status,
      'succeeded',
    );
    assert.equal((await control.connections()).length, 2);
    assert.equal((await control.connection(given.connectionId))?.counts.total, 2);
    assert.equal(await control.connection('00000000-0000-4000-8000-00000000dead'), undefined);
    await assert.rejects(control.addConnection({ connectionId: 'nope' }), ControlApiError);
  });

  void it('shows jobs and counts without advancing poll-clock jobs', async () => {
    const { connectionId } = await control.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } });
    const { jobId } = (await (await createJob(connectionId)).json()) as { jobId: number };
    await control.jobs(connectionId);
    await control.job(jobId);
    await control.counts(connectionId);
    const job = await control.job(jobId);
    assert.equal(job?.reads, 0);
    assert.equal(job?.status, 'pending');
    assert.equal(job?.response.jobId, jobId);
    assert.equal(await control.job(424242), undefined);
    assert.equal((await createJob(connectionId)).status, 409);
    const counts = await control.counts(connectionId);
    assert.deepEqual(counts, {
      total: 1,
      byStatus: { pending: 1 },
      byType: { sync: 1 },
      conflicts: 1,
      cancelTerminalAttempts: 0,
    });
    assert.equal((await control.counts()).total, 1);
  });

  void it('reads and clears the request log', async () => {
    const { connectionId } = await control.addConnection();
    await createJob(connectionId);
    await fetch(`${sim.url}/jobs?connectionId=${connectionId}&limit=5`);
    const log = await control.requests();
    assert.deepEqual(
      log.map((e) => [e.method, e.path, e.operationId, e.status, e.connectionId]),
      [
        ['POST', '/v1/jobs', 'createJob', 200, connectionId],
        ['GET', '/v1/jobs', 'listJobs', 200, connectionId],
      ],
    );
    assert.deepEqual(log[1]?.query, { connectionId, limit: '5' });
    assert.equal(typeof log[0]?.jobId, 'number');
    assert.deepEqual((await control.requests(log[0]?.seq)).length, 1);
    await control.clearRequests();
    assert.deepEqual(await control.requests(), []);
  });

  void it('sets faults and scripts them', async () => {
    const { connectionId } = await control.addConnection();
    await control.setFaults({
      seed: 3,
      connections: { [connectionId]: { errorRate: 1, errorStatuses: [503] } },
    });
    assert.equal((await createJob(connectionId)).status, 503);
    await control.setFaults({ connections: { [connectionId]: null } });
    const snapshot = await control.scriptFaults([{ op: 'createJob', fault: 'status', status: 500 }]);
    assert.equal(snapshot.seed, 3);
    assert.deepEqual(snapshot.connections, {});
    assert.equal(snapshot.script.length, 1);
    assert.equal((await createJob(connectionId)).status, 500);
    assert.equal((await createJob(connectionId)).status, 200);
    await assert.rejects(
      control.setFaults({ connections: { '00000000-0000-4000-8000-00000000dead': { errorRate: 1 } } }),
    );
    await assert.rejects(control.scriptFaults([{ fault: 'explode' } as never]));
  });

  void it('sets the default clock and moves time', async () => {
    assert.equal((await control.time()).clock, 'wall');
    await control.setTime({ clock: 'polls' });
    const { connectionId } = await control.addConnection();
    const { jobId } = (await (await createJob(connectionId)).json()) as { jobId: number };
    assert.equal((await control.job(jobId))?.clock, 'polls');

    await control.setTime({ clock: 'wall' });
    const wall = await control.addConnection({ scenario: { pendingMs: 60_000, runningMs: 60_000 } });
    const wallJob = (await (await createJob(wall.connectionId)).json()) as { jobId: number };
    const before = await control.time();
    const moved = await control.setTime({ advanceMs: 90_000 });
    assert.equal(moved.offsetMs - before.offsetMs, 90_000);
    assert.equal((await control.job(wallJob.jobId))?.status, 'running');
    await assert.rejects(control.setTime({ clock: 'sundial' as never }));
  });

  void it('resets everything', async () => {
    const { connectionId } = await control.addConnection();
    await createJob(connectionId);
    await control.setTime({ advanceMs: 1000, clock: 'polls' });
    await control.reset();
    assert.deepEqual(await control.connections(), []);
    assert.deepEqual(await control.jobs(), []);
    assert.deepEqual(await control.requests(), []);
    const time = await control.time();
    assert.equal(time.offsetMs, 0);
    assert.equal(time.clock, 'wall');
    assert.equal((await createJob(connectionId)).status, 404);
  });
});
