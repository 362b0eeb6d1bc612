/**
 * The poll schedule (src/arazzo/run/poll-schedule.ts), the `pollSchedule` and `pollIn` run
 * options, and the rule the polling activity loops on (src/arazzo/run/poll-loop.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startRun, afterCall } from '../../src/arazzo/machine/index.js';
import { DEFAULT_RUN_OPTIONS, checkRunOptions } from '../../src/arazzo/options.js';
import { nextPoll } from '../../src/arazzo/run/poll-loop.js';
import {
  pollScheduleProblem,
  pollsBetween,
  scheduledPollSeconds,
  type PollSchedule,
} from '../../src/arazzo/run/poll-schedule.js';
import { buildExecutionPlan, loadArazzoDocument } from '../../src/catalog/index.js';
import { json } from '../helpers/machine-driver.js';

const age: PollSchedule = { kind: 'age', fraction: 0.1 };

describe('scheduledPollSeconds', () => {
  const cases: Array<[string, PollSchedule | undefined, number, number, number, number]> = [
    // name, schedule, machine delay, age (s), cap (s), expected wait
    ['constant keeps the machine delay', { kind: 'constant' }, 5, 3600, 60, 5],
    ['a plan without the option is constant', undefined, 5, 3600, 60, 5],
    ['age: the interval while 10 % of the age is shorter', age, 5, 30, 60, 5],
    ['age: 10 % of the age once longer than the interval', age, 5, 200, 60, 20],
    ['age: whole seconds, rounded down', age, 5, 123, 60, 12],
    ['age: capped at maxPollIntervalSeconds', age, 5, 7200, 60, 60],
    ['age: a backed-off delay above the cap is kept', age, 90, 7200, 60, 90],
    ['age: 0 stays back to back', age, 0, 7200, 60, 0],
    ['age: a negative age (clock skew) counts as 0', age, 5, -10, 60, 5],
    ['age: another fraction', { kind: 'age', fraction: 0.5 }, 1, 40, 300, 20],
  ];
  for (const [name, schedule, delay, ageSeconds, cap, expected] of cases) {
    it(name, () => assert.equal(scheduledPollSeconds(schedule, delay, ageSeconds, cap), expected));
  }

  it('keeps the detection delay within max(interval, 10 % of the age) at every age up to the cap', () => {
    for (let t = 0; t < 4 * 3600; t += 7) {
      const wait = scheduledPollSeconds(age, 5, t, 60);
      assert.ok(wait <= Math.max(5, 0.1 * t), `age ${t}: ${wait}`);
    }
  });
});

describe('pollsBetween (the figures of docs/benchmarks.md, "The cost of waiting")', () => {
  it('constant 5 s: 720 polls in an hour', () => {
    assert.equal(pollsBetween({ kind: 'constant' }, 5, 60, 0, 3600), 720);
  });
  it('age 10 %, capped at 60 s: at least 5× fewer in the first hour and in the second', () => {
    const first = pollsBetween(age, 5, 60, 0, 3600);
    const second = pollsBetween(age, 5, 60, 3600, 7200);
    assert.ok(first * 5 <= 720, `first hour: ${first}`);
    assert.equal(second, 60);
  });
});

describe('the pollSchedule and pollIn run options', () => {
  it('default to the age schedule, polling in the workflow', () => {
    assert.deepEqual(DEFAULT_RUN_OPTIONS.pollSchedule, { kind: 'age', fraction: 0.1 });
    assert.equal(DEFAULT_RUN_OPTIONS.pollIn, 'workflow');
  });
  it('accept the documented values', () => {
    for (const value of [
      { pollSchedule: { kind: 'constant' } },
      { pollSchedule: { kind: 'age', fraction: 0.25 } },
      { pollIn: 'activity' },
    ]) {
      const checked = checkRunOptions(value);
      assert.deepEqual(checked.problems, [], JSON.stringify(value));
    }
  });
  it('refuse anything else, naming the option', () => {
    const bad: Array<[unknown, string]> = [
      [{ pollSchedule: 'age' }, 'x-temporal.pollSchedule: must be'],
      [{ pollSchedule: { kind: 'age' } }, 'x-temporal.pollSchedule: must be'],
      [{ pollSchedule: { kind: 'age', fraction: 2 } }, 'x-temporal.pollSchedule: must be'],
      [{ pollSchedule: { kind: 'age', fraction: 0.1, max: 9 } }, 'x-temporal.pollSchedule: must be'],
      [{ pollSchedule: { kind: 'constant', fraction: 0.1 } }, 'x-temporal.pollSchedule: must be'],
      [{ pollIn: 'thread' }, "x-temporal.pollIn: must be 'workflow' or 'activity'"],
    ];
    for (const [value, start] of bad) {
      const { problems } = checkRunOptions(value);
      assert.equal(problems.length, 1, JSON.stringify(value));
      assert.ok(problems[0]!.message.startsWith(start), problems[0]!.message);
    }
    assert.equal(pollScheduleProblem(null), pollScheduleProblem([]));
  });
});

describe('nextPoll: the polling activity goes on exactly while the machine would poll the step again', () => {
  const catalog = fileURLToPath(new URL('../../arazzo/', import.meta.url));
  const openapi = fileURLToPath(new URL('../../openapi/airbyte-openapi.yml', import.meta.url));

  it('polls again on running, stops on a terminal status, and agrees with afterCall', async () => {
    const loaded = await loadArazzoDocument(`${catalog}airbyte-trigger-sync-and-poll.arazzo.yaml`, {
      sourceOverrides: { airbyteApi: openapi },
    });
    const plan = buildExecutionPlan(loaded, 'trigger-sync-and-poll', {
      defaults: { pollIntervalSeconds: 5 },
    });
    let { state, move } = startRun(plan, {
      connectionId: '11111111-1111-4111-8111-111111111111',
      jobType: 'sync',
    });
    assert.equal(move.type, 'call', JSON.stringify(move));
    // The create, then the first read: the state now has the poll step in flight.
    ({ state, move } = afterCall(
      plan,
      state,
      json(200, { jobId: 7, status: 'pending', jobType: 'sync' }),
      0,
    ));
    ({ state, move } = afterCall(
      plan,
      state,
      json(200, { jobId: 7, status: 'running', jobType: 'sync' }),
      0,
    ));
    assert.ok(move.type === 'call' && move.reason === 'poll', JSON.stringify(move));

    const running = nextPoll(plan, state, json(200, { jobId: 7, status: 'running', jobType: 'sync' }), 0);
    assert.ok(running, 'running: polls again');
    assert.equal(running.move.stepId, move.stepId);
    assert.equal(running.move.delaySeconds, 5);

    const done = json(200, { jobId: 7, status: 'succeeded', jobType: 'sync' });
    assert.equal(nextPoll(plan, state, done, 0), undefined);
    // The workflow feeds the same response to the machine and leaves the loop the same way.
    const after = afterCall(plan, state, done, 0);
    assert.notEqual(after.move.type === 'call' && after.move.reason === 'poll', true);
  });
});
