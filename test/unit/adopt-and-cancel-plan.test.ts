/**
 * The catalog's createJob through the pure core: the adopt request the activity receives carries
 * the job-type `match` (resolved from the create request), the conflict rule and the unordered
 * fallback of `openapi/airbyte-openapi.yml`; the job tracked from the answer carries the read sent
 * before a cancel; and the cancel policy leaves jobs attached to after a conflict alone.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildExecutionPlan, loadArazzoDocument } from '../../src/catalog/index.js';
import {
  afterCall,
  cancellableResources,
  observeBeforeCancel,
  startRun,
  type StepResponse,
} from '../../src/arazzo/machine/index.js';

const catalog = join(dirname(fileURLToPath(import.meta.url)), '../../arazzo');
const CONNECTION = '0c0c0c0c-1111-4222-8333-444444444444';

async function plannedRun() {
  const plan = buildExecutionPlan(
    await loadArazzoDocument(join(catalog, 'airbyte-trigger-sync-and-poll.arazzo.yaml')),
    'trigger-sync-and-poll',
  );
  return { plan, ...startRun(plan, { connectionId: CONNECTION, jobType: 'sync' }) };
}

const answer = (body: StepResponse['body'], adopted?: StepResponse['adopted']): StepResponse => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body,
  url: 'http://127.0.0.1/v1/jobs',
  method: 'POST',
  ...(adopted ? { adopted } : {}),
});

void describe('adopt and cancel through the pure core', () => {
  void it('the create move carries match, conflictMatch and the unordered fallback', async () => {
    const { move } = await plannedRun();
    assert.equal(move.type, 'call', JSON.stringify(move));
    if (move.type !== 'call') return;
    assert.deepEqual(move.adopt?.match, { '/jobType': 'sync' });
    assert.deepEqual(move.adopt?.conflictMatch, {
      '/title': '^try-again-later$',
      '/data/message': '^A sync is already running for: ',
    });
    assert.deepEqual(move.adopt?.unorderedFallback?.dropParameters, ['orderBy']);
    assert.equal(move.adopt?.settleSeconds, undefined, 'default: derived from the HTTP timeout');
  });

  void it('a job we created is cancellable, with a read request built for it; one attached to after a 409 is not, unless opted in', async () => {
    const { plan, state } = await plannedRun();
    const job = {
      jobId: 42,
      status: 'running',
      jobType: 'sync',
      connectionId: CONNECTION,
      startTime: '2024-05-01T10:15Z',
    };
    const own = afterCall(plan, state, answer(job), 0).state;
    const [ours] = cancellableResources(own, { ownOnly: true, cancelAdopted: false });
    assert.equal(ours?.id, 42);
    assert.equal(ours?.read?.method, 'GET');
    assert.equal(ours?.read?.path, '/jobs/42');

    const attached = afterCall(plan, state, answer(job, { reason: 'conflict', resourceId: 42 }), 0).state;
    assert.deepEqual(cancellableResources(attached, { ownOnly: true, cancelAdopted: false }), []);
    assert.equal(cancellableResources(attached, { ownOnly: true, cancelAdopted: true }).length, 1);
    // Old histories replay the old policy: everything tracked is cancelled.
    assert.equal(cancellableResources(attached).length, 1);
    const found = afterCall(plan, state, answer(job, { reason: 'unknown-outcome', resourceId: 42 }), 0).state;
    assert.equal(cancellableResources(found, { ownOnly: true, cancelAdopted: false }).length, 1);
  });

  void it('the read before a cancel marks an ended job terminal: no cancel then', async () => {
    const { plan, state } = await plannedRun();
    const job = {
      jobId: 7,
      status: 'running',
      jobType: 'sync',
      connectionId: CONNECTION,
      startTime: '2024-05-01T10:15Z',
    };
    const running = afterCall(plan, state, answer(job), 0).state;
    const [resource] = cancellableResources(running);
    assert.ok(resource);
    const ended = observeBeforeCancel(plan, running, resource, answer({ ...job, status: 'succeeded' }));
    assert.equal(ended.stillActive, false);
    assert.deepEqual(cancellableResources(ended.state), []);
    const still = observeBeforeCancel(plan, running, resource, answer(job));
    assert.equal(still.stillActive, true);
  });
});
