/**
 * The polling activity (src/activities/poll.ts) in Temporal's mock activity environment, with a
 * scripted operation call: it stops when the machine would leave the loop, returns the last response
 * when its window elapses, resumes the poll count after a retry, reads at once on a retry, and stops
 * on cancellation.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPollActivity, sleepUnlessCancelled } from '../../src/activities/poll.js';
import { afterCall, startRun, type Move } from '../../src/arazzo/machine/index.js';
import type {
  CallOperation,
  PollLoopInput,
  PollLoopResult,
  PollOperation,
} from '../../src/contract/index.js';
import { buildExecutionPlan, loadArazzoDocument } from '../../src/catalog/index.js';
import { json } from '../helpers/machine-driver.js';

const catalog = fileURLToPath(new URL('../../arazzo/', import.meta.url));
const openapi = fileURLToPath(new URL('../../openapi/airbyte-openapi.yml', import.meta.url));

/** The poll move of trigger-sync-and-poll after the create and a first read that saw `running`. */
async function pollInput(defaults: Record<string, unknown>, windowSeconds: number): Promise<PollLoopInput> {
  const loaded = await loadArazzoDocument(`${catalog}airbyte-trigger-sync-and-poll.arazzo.yaml`, {
    sourceOverrides: { airbyteApi: openapi },
  });
  const plan = buildExecutionPlan(loaded, 'trigger-sync-and-poll', { defaults });
  let { state, move } = startRun(plan, {
    connectionId: '11111111-1111-4111-8111-111111111111',
    jobType: 'sync',
  });
  ({ state, move } = afterCall(plan, state, json(200, { jobId: 7, status: 'pending' }), 0));
  ({ state, move } = afterCall(plan, state, json(200, { jobId: 7, status: 'running' }), 0));
  assert.ok(move.type === 'call' && move.reason === 'poll');
  return {
    plan,
    state,
    call: move as Extract<Move, { type: 'call' }>,
    startedAtMs: Date.now(),
    windowSeconds,
  };
}

/** An operation call answering `statuses` in turn (the last one for ever). */
function scripted(statuses: string[]): { call: CallOperation; calls: () => number } {
  let n = 0;
  return {
    call: async () => json(200, { jobId: 7, status: statuses[Math.min(n++, statuses.length - 1)]! }),
    calls: () => n,
  };
}

/** Runs the activity in `env` (typed: the mock's `run` is not generic over the result). */
const poll = (
  env: MockActivityEnvironment,
  op: PollOperation,
  input: PollLoopInput,
): Promise<PollLoopResult> => env.run(op, input) as Promise<PollLoopResult>;

describe('the polling activity', () => {
  it('polls until the machine leaves the loop and returns that response', async () => {
    const input = await pollInput({ pollIntervalSeconds: 0 }, 600);
    const api = scripted(['running', 'running', 'running', 'succeeded']);
    const { pollOperation } = createPollActivity({ callOperation: api.call });
    const result = await poll(new MockActivityEnvironment(), pollOperation, input);
    assert.equal(result.ended, 'loop-ends');
    assert.equal(result.polls, 4);
    assert.deepEqual(result.response?.body, { jobId: 7, status: 'succeeded' });
  });

  it('returns the last response when the next poll would fall after its window', async () => {
    // The document's own interval (5 s) applies: one poll at 5 s, the next would be at 10 s.
    const input = await pollInput({ pollSchedule: { kind: 'constant' } }, 7);
    const api = scripted(['running']);
    const { pollOperation } = createPollActivity({ callOperation: api.call, heartbeatEveryMs: 500 });
    const result = await poll(new MockActivityEnvironment(), pollOperation, input);
    assert.equal(result.ended, 'window');
    assert.equal(result.polls, 1);
    assert.deepEqual(result.response?.body, { jobId: 7, status: 'running' });
  });

  it('returns no response when its window (cut short by a deadline) ends before the first poll', async () => {
    const input = await pollInput({}, 1);
    const api = scripted(['running']);
    const { pollOperation } = createPollActivity({ callOperation: api.call, heartbeatEveryMs: 500 });
    const result = await poll(new MockActivityEnvironment(), pollOperation, input);
    assert.deepEqual(result, { polls: 0, ended: 'window' });
    assert.equal(api.calls(), 0);
  });

  it('a retry reads at once and counts on from the heartbeat details', async () => {
    // A 2 s window: an attempt that waited the 5 s interval first would return without a poll.
    const input = await pollInput({}, 2);
    const api = scripted(['succeeded']);
    const { pollOperation } = createPollActivity({ callOperation: api.call });
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { polls: 5 } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await poll(env, pollOperation, input);
    assert.equal(result.polls, 6);
    assert.equal(api.calls(), 1);
    assert.deepEqual(beats.at(-1), { polls: 6 });
  });

  it('stops between polls when cancelled', async () => {
    const input = await pollInput({}, 7200);
    const api = scripted(['running']);
    const { pollOperation } = createPollActivity({ callOperation: api.call, heartbeatEveryMs: 50 });
    const env = new MockActivityEnvironment();
    const running = poll(env, pollOperation, input);
    setTimeout(() => env.cancel(), 200);
    await assert.rejects(running, CancelledFailure);
    assert.equal(api.calls(), 0, 'no poll after the cancel');
  });

  it('leaves nothing behind on the cancellation promise as it sleeps', async () => {
    // The SDK's Context.sleep chains a reaction on `cancelled` per call, which lives (with its
    // timer) until the attempt ends: a polling activity would gather one per poll and heartbeat.
    const base = await pollInput({}, 600);
    // 10 ms between polls (the document's own 5 s set aside), 5 ms between heartbeats: 42 sleeps.
    const options = {
      ...base.plan.options,
      pollIntervalSeconds: 0.01,
      pollSchedule: { kind: 'constant' as const },
    };
    const input = { ...base, plan: { ...base.plan, options }, call: { ...base.call, delaySeconds: 0.01 } };
    const api = scripted([...Array<string>(20).fill('running'), 'succeeded']);
    const { pollOperation } = createPollActivity({ callOperation: api.call, heartbeatEveryMs: 5 });
    const env = new MockActivityEnvironment();
    const cancelled = env.context.cancelled;
    let reactions = 0;
    const counted = {
      then: (...args: Parameters<Promise<never>['then']>) => (reactions++, cancelled.then(...args)),
      catch: (...args: Parameters<Promise<never>['catch']>) => (reactions++, cancelled.catch(...args)),
      finally: (...args: Parameters<Promise<never>['finally']>) => (reactions++, cancelled.finally(...args)),
    };
    Object.defineProperty(env.context, 'cancelled', { value: counted });
    const result = await poll(env, pollOperation, input);
    assert.equal(result.polls, 21);
    assert.equal(reactions, 0, `${reactions} reactions left on the cancellation promise after 21 polls`);
  });
});

describe('sleepUnlessCancelled', () => {
  it('sleeps, then removes its abort listener', async () => {
    const { signal } = new AbortController();
    for (let i = 0; i < 5; i++) {
      const sleeping = sleepUnlessCancelled(1, signal);
      assert.equal(getEventListeners(signal, 'abort').length, 1, 'listening while it sleeps');
      await sleeping;
      assert.equal(getEventListeners(signal, 'abort').length, 0, `a listener left after sleep ${i + 1}`);
    }
  });

  it('rejects with the abort reason at once, and when already aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledFailure('CANCELLED');
    const sleeping = sleepUnlessCancelled(60_000, controller.signal);
    controller.abort(reason);
    await assert.rejects(sleeping, (error) => error === reason);
    await assert.rejects(sleepUnlessCancelled(1, controller.signal), (error) => error === reason);
  });
});
