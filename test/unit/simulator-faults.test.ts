// Fault injection in the simulator: scripted exact faults and seeded random ones.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';

void describe('simulator faults', () => {
  let sim: Simulator;
  let connectionId = '';

  const post = (id = connectionId, signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId: id, jobType: 'sync' }),
      ...(signal ? { signal } : {}),
    });
  const lastLog = () => {
    const entry = sim.requests().at(-1);
    assert.ok(entry, 'a request was logged');
    return entry;
  };
  /** Waits (bounded) for something the server does after the client stopped listening. */
  const eventually = async (check: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i += 1) await sleep(25);
    assert.ok(check(), what);
  };

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    connectionId = sim.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } }).connectionId;
  });

  void it('scripted status: answers it without handling the request', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'status', status: 503, retryAfterSeconds: 5 });
    const failed = await post();
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get('retry-after'), '5');
    assert.equal(((await failed.json()) as Record<string, unknown>)['title'], 'service-unavailable');
    assert.equal(sim.jobs(connectionId).length, 0);
    assert.equal(lastLog().fault, 'status:503');
    assert.equal((await post()).status, 200, 'a scripted fault is used once');
  });

  void it('502 and 504 come as the proxy HTML page', async () => {
    sim.scriptFaults({ fault: 'status', status: 502 }, { fault: 'status', status: 504 });
    for (const status of [502, 504]) {
      const response = await fetch(`${sim.url}/jobs`);
      assert.equal(response.status, status);
      assert.match(String(response.headers.get('content-type')), /^text\/html/);
      assert.match(await response.text(), new RegExp(String(status)));
    }
  });

  void it('status after handling: the job exists although the client saw a 504', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'status', status: 504, when: 'after' });
    assert.equal((await post()).status, 504);
    assert.equal(sim.jobs(connectionId).length, 1);
    assert.equal(lastLog().jobId, sim.jobs(connectionId)[0]?.jobId);
    assert.equal((await post()).status, 409, 'a blind retry conflicts');
  });

  void it('connection reset before handling: nothing happens', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'reset' });
    await assert.rejects(post());
    assert.equal(sim.jobs(connectionId).length, 0);
    const entry = lastLog();
    assert.equal(entry.status, null);
    assert.equal(entry.fault, 'reset');
  });

  void it('connection reset after handling: the job was created, the outcome is unknown to the client', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'reset', when: 'after' });
    await assert.rejects(post());
    assert.equal(sim.jobs(connectionId).length, 1);
    assert.equal(lastLog().fault, 'reset:after');
  });

  void it('429 with and without Retry-After', async () => {
    sim.scriptFaults(
      { op: 'getJob', fault: 'rateLimit', retryAfterSeconds: 7 },
      { op: 'getJob', fault: 'rateLimit' },
    );
    const jobId = ((await (await post()).json()) as { jobId: number }).jobId;
    const first = await fetch(`${sim.url}/jobs/${jobId}`);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.deepEqual(await first.json(), { message: 'You are being rate limited.' });
    const second = await fetch(`${sim.url}/jobs/${jobId}`);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), null);
    assert.equal(sim.job(jobId)?.reads, 0, 'rate-limited reads do not advance the job');
  });

  void it('latency: answered late; a client that leaves meanwhile is dropped unhandled', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'latency', ms: 100 });
    assert.equal((await post()).status, 200);
    assert.equal(lastLog().fault, 'latency:100');
    assert.ok(lastLog().durationMs >= 100);

    const other = sim.addConnection().connectionId;
    sim.scriptFaults({ op: 'createJob', fault: 'latency', ms: 400 });
    await assert.rejects(post(other, AbortSignal.timeout(50)));
    await eventually(() => sim.requests().length === 2, 'the dropped request is logged');
    assert.equal(lastLog().clientGone, true);
    assert.equal(lastLog().status, null);
    assert.equal(sim.jobs(other).length, 0);
  });

  void it('slow create: the job is created after the client gave up, and a blind retry conflicts', async () => {
    sim.scriptFaults({ op: 'createJob', fault: 'slow', ms: 300 });
    await assert.rejects(post(connectionId, AbortSignal.timeout(50)));
    assert.equal(sim.jobs(connectionId).length, 0, 'not created yet');
    await eventually(() => sim.jobs(connectionId).length === 1, 'the job is created late');
    await eventually(() => sim.requests().length === 1, 'the late request is logged');
    const entry = lastLog();
    assert.equal(entry.fault, 'slow:300');
    assert.equal(entry.clientGone, true);
    assert.equal(entry.status, null);
    assert.equal(entry.jobId, sim.jobs(connectionId)[0]?.jobId);
    assert.equal((await post()).status, 409);
  });

  void it('the script is consumed in order by the first matching entry, with counts and connection scopes', async () => {
    const other = sim.addConnection().connectionId;
    sim.scriptFaults(
      { op: 'createJob', connectionId: other, fault: 'status', status: 500 },
      { op: 'createJob', fault: 'status', status: 503, count: 2 },
      { op: 'listJobs', fault: 'status', status: 502 },
    );
    assert.equal((await fetch(`${sim.url}/jobs`)).status, 502, 'listJobs skips the createJob entries');
    assert.equal((await post()).status, 503);
    assert.equal((await post()).status, 503);
    assert.equal((await post()).status, 200);
    assert.equal(sim.faults().script.length, 1);
    assert.equal((await post(other)).status, 500);
    assert.equal((await post(other)).status, 200);
    assert.deepEqual(sim.faults().script, []);
  });

  void it('random faults replay exactly for a seed', async () => {
    const run = async (): Promise<number[]> => {
      sim.setFaults({ seed: 42, global: { errorRate: 0.5, errorStatuses: [500, 503] } });
      const seen: number[] = [];
      for (let i = 0; i < 30; i += 1) seen.push((await fetch(`${sim.url}/jobs`)).status);
      return seen;
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(first, second);
    assert.ok(first.includes(200) && first.includes(500) && first.includes(503), first.join(','));
    sim.setFaults({ seed: 7 });
    const reseeded: number[] = [];
    for (let i = 0; i < 30; i += 1) reseeded.push((await fetch(`${sim.url}/jobs`)).status);
    assert.notDeepEqual(reseeded, first);
  });

  void it('random faults of each kind, limited to the configured operations', async () => {
    sim.setFaults({ global: { rateLimitRate: 1, retryAfterSeconds: null, ops: ['listJobs'] } });
    const limited = await fetch(`${sim.url}/jobs`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal((await fetch(`${sim.origin}/health`)).status, 200);

    sim.setFaults({ global: { resetRate: 1, ops: ['listJobs'] } });
    await assert.rejects(fetch(`${sim.url}/jobs`));

    sim.setFaults({ global: { latencyMs: 20, ops: ['listJobs'] } });
    assert.equal((await fetch(`${sim.url}/jobs`)).status, 200);
    assert.equal(lastLog().fault, 'latency:20');

    sim.setFaults({ global: { slowCreateRate: 1, slowCreateMs: 20 } });
    assert.equal((await post()).status, 200);
    assert.equal(lastLog().fault, 'slow:20');
    sim.setFaults({ global: null });
    assert.equal((await fetch(`${sim.url}/jobs`)).status, 200);
    assert.equal(lastLog().fault, undefined);
  });

  void it('per-connection faults override the global ones for that connection only', async () => {
    const flaky = sim.addConnection().connectionId;
    sim.setFaults({ connections: { [flaky]: { errorRate: 1, errorStatuses: [500] } } });
    assert.equal((await post(flaky)).status, 500);
    assert.equal((await fetch(`${sim.url}/jobs?connectionId=${flaky}`)).status, 500);
    assert.equal((await post(connectionId)).status, 200);
    const jobId = sim.jobs(connectionId)[0]?.jobId;
    assert.equal((await fetch(`${sim.url}/jobs/${String(jobId)}`)).status, 200);
    assert.throws(() =>
      sim.setFaults({ connections: { 'ffffffff-ffff-4fff-8fff-ffffffffffff': { errorRate: 1 } } }),
    );
    sim.setFaults({ connections: { [flaky]: null } });
    assert.equal((await post(flaky)).status, 200);
  });
});
