/**
 * The verbatim seed documents through the pure state machine with canned responses (no network,
 * no Temporal): the request sequences a person reading the seeds expects.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildExecutionPlan, loadArazzoDocument } from '../../src/catalog/index.js';
import type { JsonObject } from '../../src/arazzo/model.js';
import type { ExecutionPlan } from '../../src/arazzo/plan.js';
import { drive, json } from '../helpers/machine-driver.js';
import { Failure } from '../../src/arazzo/failures.js';

const seeds = fileURLToPath(new URL('../../examples/seeds/', import.meta.url));
const openapi = fileURLToPath(new URL('../../openapi/airbyte-openapi.yml', import.meta.url));

async function seedPlan(file: string, workflowId: string): Promise<ExecutionPlan> {
  const loaded = await loadArazzoDocument(`${seeds}${file}`, { sourceOverrides: { airbyteApi: openapi } });
  return buildExecutionPlan(loaded, workflowId, { defaults: { pollIntervalSeconds: 5 } });
}

/** A canned Airbyte: createJob answers job `id`, each getJob answers the next status of `statuses`. */
function airbyte(statuses: string[], firstId = 100) {
  let nextId = firstId;
  const polls = [...statuses];
  return (request: { method: string; body?: { content: unknown } }) => {
    if (request.method === 'POST') {
      const body = request.body?.content as JsonObject;
      return json(200, {
        jobId: nextId++,
        status: 'pending',
        jobType: body.jobType ?? null,
        connectionId: body.connectionId ?? null,
      });
    }
    const status = polls.shift();
    if (status === undefined) throw new Error('polled past the script');
    return json(200, { jobId: nextId - 1, status, jobType: 'sync', rowsSynced: 10, bytesSynced: 99 });
  };
}

const connectionId = '11111111-1111-4111-8111-111111111111';

describe('seed trigger-sync-and-poll through the state machine', () => {
  it('succeeds after several polls, each poll after the interval', async () => {
    const plan = await seedPlan('airbyte-trigger-sync-and-poll.arazzo.yaml', 'trigger-sync-and-poll');
    const r = drive(
      plan,
      { connectionId, jobType: 'sync' },
      airbyte(['pending', 'running', 'running', 'succeeded']),
    );
    assert.deepEqual(
      r.exchanges.map((e) => `${e.request} +${e.delaySeconds}s`),
      ['POST /jobs +0s', 'GET /jobs/100 +0s', 'GET /jobs/100 +5s', 'GET /jobs/100 +5s', 'GET /jobs/100 +5s'],
    );
    assert.deepEqual(r.exchanges[0]!.body, { connectionId, jobType: 'sync' });
    assert.deepEqual(r.outcome, {
      type: 'end',
      outputs: { jobId: 100, finalStatus: 'succeeded', rowsSynced: 10 },
    });
  });

  it('ends with finalStatus failed when the job fails', async () => {
    const plan = await seedPlan('airbyte-trigger-sync-and-poll.arazzo.yaml', 'trigger-sync-and-poll');
    const r = drive(
      plan,
      { connectionId, jobType: 'sync' },
      airbyte(['running', 'incomplete', 'running', 'failed']),
    );
    assert.equal(r.exchanges.length, 5);
    assert.equal(r.outcome.type === 'end' && r.outcome.outputs.finalStatus, 'failed');
  });

  it('with failOnStatuses and no failErrorType, a failed job fails the run as ArazzoResourceFailed', async () => {
    const plan = await seedPlan('airbyte-trigger-sync-and-poll.arazzo.yaml', 'trigger-sync-and-poll');
    const strict = { ...plan, options: { ...plan.options, failOnStatuses: ['failed'] } };
    const r = drive(strict, { connectionId, jobType: 'sync' }, airbyte(['running', 'failed']));
    assert.equal(r.outcome.type, 'fail');
    assert.equal(r.outcome.type === 'fail' && r.outcome.errorType, Failure.resourceFailed);
    assert.match(r.outcome.type === 'fail' ? r.outcome.message : '', /100 ended failed/);
  });

  it('a non-2xx createJob fails the run before any poll', async () => {
    const plan = await seedPlan('airbyte-trigger-sync-and-poll.arazzo.yaml', 'trigger-sync-and-poll');
    const r = drive(plan, { connectionId, jobType: 'refresh' }, () =>
      json(422, { status: 422, title: 'unprocessable-entity' }),
    );
    assert.deepEqual(
      r.exchanges.map((e) => e.request),
      ['POST /jobs'],
    );
    assert.equal(r.outcome.type, 'fail');
  });
});

describe('seed reset-and-resync through the state machine', () => {
  const plan = () => seedPlan('airbyte-reset-and-resync.arazzo.yaml', 'reset-and-resync');

  it('a reset that succeeds is followed by exactly one re-sync', async () => {
    const r = drive(await plan(), { connectionId }, airbyte(['pending', 'running', 'succeeded']));
    assert.deepEqual(
      r.exchanges.map((e) => e.request),
      ['POST /jobs', 'GET /jobs/100', 'GET /jobs/100', 'GET /jobs/100', 'POST /jobs'],
    );
    assert.deepEqual(
      r.exchanges.map((e) => (e.body as JsonObject | undefined)?.jobType ?? null),
      ['reset', null, null, null, 'sync'],
    );
    assert.deepEqual(r.outcome, {
      type: 'end',
      outputs: { resetJobId: 100, resetStatus: 'succeeded', resyncJobId: 101 },
    });
  });

  for (const [name, statuses] of [
    ['fails', ['running', 'running', 'failed']],
    ['is cancelled', ['running', 'cancelled']],
    ['fails at the first poll', ['failed']],
  ] as const) {
    it(`a reset that ${name} ends without a re-sync`, async () => {
      const r = drive(await plan(), { connectionId }, airbyte([...statuses]));
      assert.equal(r.exchanges.filter((e) => e.request === 'POST /jobs').length, 1);
      assert.equal(r.exchanges.length, 1 + statuses.length);
      assert.deepEqual(r.outcome, {
        type: 'end',
        outputs: { resetJobId: 100, resetStatus: statuses.at(-1) },
      });
    });
  }

  it('does not fire the re-sync while the reset is still running (the trap of lax runners)', async () => {
    const r = drive(
      await plan(),
      { connectionId },
      airbyte(['pending', 'running', 'incomplete', 'running', 'succeeded']),
    );
    const resync = r.exchanges.findIndex((e, i) => i > 0 && e.request === 'POST /jobs');
    assert.equal(resync, 6, 'the re-sync comes only after the poll that saw succeeded');
  });
});
