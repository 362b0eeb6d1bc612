/**
 * The pure run policy of src/arazzo/run/: what the workflow driver decides, without Temporal.
 * The `status` projection is compared with answers produced by the workflow's handler before the
 * projection moved here (test/fixtures/run-status-snapshot.json).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { Failure } from '../../src/arazzo/failures.js';
import type {
  CallMove,
  DelayedMove,
  Move,
  RunState,
  TrackedResource,
} from '../../src/arazzo/machine/index.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/arazzo/options.js';
import type { HttpRequestSpec } from '../../src/arazzo/request/index.js';
import {
  afterBlockingCheck,
  blockingDelaySeconds,
  cancelVerdict,
  changedResources,
  childWorkflowId,
  deadlineFailure,
  EVENTS_PER_LOCAL_CALL,
  endingOf,
  expiredDeadline,
  internalFailure,
  planWait,
  pollNow,
  projectStatus,
  recordCancelRequest,
  reservedArgumentProblem,
  resumeRun,
  runDeadlines,
  runsAsLocalActivity,
  shouldContinueAsNew,
  waitReason,
  type Blocking,
  type RunView,
} from '../../src/arazzo/run/index.js';
import type { ExecutionPlan } from '../../src/arazzo/plan.js';
import { statusViews } from '../fixtures/run-status-views.js';

const request = (method: string): HttpRequestSpec =>
  ({ operation: 'api.op', method, path: '/x', query: [], headers: {} }) as unknown as HttpRequestSpec;
const call = (delaySeconds: number, reason: CallMove['reason'] = 'poll'): CallMove => ({
  type: 'call',
  stepId: 'fetch',
  request: request('GET'),
  delaySeconds,
  reason,
  visit: 2,
});
const job = (id: number, more: Partial<TrackedResource> = {}): TrackedResource => ({
  kind: 'job',
  stepId: 'trigger',
  operation: 'api.createJob',
  id,
  terminal: false,
  ...more,
});
const state = (resources: TrackedResource[]): RunState => ({
  workflowId: 'wf',
  inputs: {},
  steps: {},
  workflows: {},
  pendingDependencies: [],
  visits: {},
  retries: {},
  stepsExecuted: 3,
  resources,
});

describe('status projection', () => {
  it('answers as the workflow handler did before the move (snapshot)', async () => {
    const snapshot = JSON.parse(
      await readFile(new URL('../fixtures/run-status-snapshot.json', import.meta.url), 'utf8'),
    ) as Array<{ name: string; status: unknown }>;
    assert.equal(snapshot.length, statusViews.length);
    for (const [i, { name, view }] of statusViews.entries()) {
      assert.equal(snapshot[i]!.name, name);
      assert.deepEqual(projectStatus(view), snapshot[i]!.status, name);
    }
  });
});

describe('status of a receive step', () => {
  const plan = {
    planVersion: 1,
    documentPath: 'arazzo/airbyte-event-driven.arazzo.yaml',
    documentHash: 'abc123',
    document: { arazzo: '1.1.0', info: { title: 't', version: '1' }, sourceDescriptions: [], workflows: [] },
    workflowId: 'airbyteSyncOnNotification',
    operations: {},
    stepOperations: {},
    sourceUrls: {},
    options: DEFAULT_RUN_OPTIONS,
  } as ExecutionPlan;
  const receive: Move = {
    type: 'receive',
    stepId: 'awaitJobEnd',
    correlationId: '7',
    timeoutMs: 60_000,
    visit: 2,
    delaySeconds: 0,
  };
  const view = (more: Partial<RunView> = {}): RunView => ({
    workflowType: 'airbyteSyncOnNotification',
    startTimeMs: 1_000,
    phase: 'waiting',
    continuedAsNew: 0,
    run: {
      plan,
      state: { ...state([job(7)]), visits: { awaitJobEnd: 2 } },
      move: receive,
      startedAtMs: 1_000,
    },
    ...more,
  });
  it('names the receive step and the message it waits for, with the timeout once the wait began', () => {
    const status = projectStatus(view({ messageTimeoutAtMs: 61_000 }));
    assert.equal(status.phase, 'waiting');
    assert.equal(status.currentStep, 'awaitJobEnd');
    assert.equal(status.iteration, 2);
    assert.deepEqual(status.waitingForMessage, {
      correlationId: '7',
      timeoutAt: new Date(61_000).toISOString(),
    });
    assert.equal(status.nextPollAt, undefined);
    assert.equal(status.waitingFor, undefined);
  });
  it('before the wait began: the correlation only', () =>
    assert.deepEqual(projectStatus(view()).waitingForMessage, { correlationId: '7' }));
  it('a call move waits for no message', () => {
    const status = projectStatus(view({ run: { ...view().run!, move: call(5) } }));
    assert.equal(status.currentStep, 'fetch');
    assert.equal(status.waitingForMessage, undefined);
  });
});

describe('deadlines', () => {
  const options = (wait: number, execution: number) => ({
    waitTimeoutSeconds: wait,
    executionTimeoutSeconds: execution,
  });
  for (const [name, wait, execution, expected] of [
    ['none', 0, 0, {}],
    ['wait only', 10, 0, { waitAtMs: 11_000 }],
    ['execution only', 0, 20, { executionAtMs: 21_000 }],
    ['both', 10, 20, { waitAtMs: 11_000, executionAtMs: 21_000 }],
  ] as const) {
    it(`runDeadlines: ${name}`, () =>
      assert.deepEqual(runDeadlines(options(wait, execution), 1_000), expected));
  }
  it('expiredDeadline: reached at the deadline itself, execution first when both are', () => {
    assert.equal(expiredDeadline({ waitAtMs: 100 }, 99), undefined);
    assert.equal(expiredDeadline({ waitAtMs: 100 }, 100), 'wait');
    assert.equal(expiredDeadline({ executionAtMs: 100 }, 100), 'execution');
    assert.equal(expiredDeadline({ waitAtMs: 50, executionAtMs: 100 }, 100), 'execution');
    assert.equal(expiredDeadline({ waitAtMs: 50, executionAtMs: 100 }, 60), 'wait');
    assert.equal(expiredDeadline({}, Number.MAX_SAFE_INTEGER), undefined);
  });
  it('deadlineFailure: messages, types and every resource', () => {
    const resources = [job(7, { status: 'running' }), job(8)];
    assert.deepEqual(deadlineFailure('execution', options(10, 20), resources), {
      message: 'execution timeout of 20 s reached; the job was cancelled',
      type: Failure.executionTimeout,
      details: {
        resources: [
          { id: 7, status: 'running' },
          { id: 8, status: null },
        ],
      },
    });
    assert.deepEqual(deadlineFailure('wait', options(10, 20), []), {
      message: 'wait timeout of 10 s reached; the job was left running',
      type: Failure.waitTimeout,
      details: { resources: [] },
    });
  });
  it('planWait: the full delay, cut at the nearer deadline, or none left', () => {
    assert.deepEqual(planWait(call(5), {}, 1_000), { delayMs: 5_000, cutShort: false, nextPollAtMs: 6_000 });
    assert.deepEqual(planWait(call(5), { waitAtMs: 10_000 }, 1_000), {
      delayMs: 5_000,
      cutShort: false,
      nextPollAtMs: 6_000,
    });
    assert.deepEqual(planWait(call(5), { waitAtMs: 9_000, executionAtMs: 3_000 }, 1_000), {
      delayMs: 2_000,
      cutShort: true,
      nextPollAtMs: 3_000,
    });
    assert.deepEqual(planWait(call(5), { executionAtMs: 500 }, 1_000), {
      delayMs: 0,
      cutShort: true,
      nextPollAtMs: 1_000,
    });
  });
  it('waitReason: poll/retry of a step, a workflow run, a blocking resource', () => {
    const sub: DelayedMove = {
      type: 'runWorkflow',
      stepId: 'sub',
      workflowId: 'w',
      inputs: {},
      purpose: 'retry',
      delaySeconds: 3,
    };
    const dep: DelayedMove = {
      type: 'runWorkflow',
      workflowId: 'w',
      inputs: {},
      purpose: 'dependsOn',
      delaySeconds: 3,
    };
    assert.equal(waitReason(call(5), undefined), 'poll fetch');
    assert.equal(waitReason(call(5, 'retry'), undefined), 'retry fetch');
    assert.equal(waitReason(sub, undefined), 'wait sub');
    assert.equal(waitReason(dep, undefined), 'wait');
    const blocking: Blocking = {
      stepId: 'trigger',
      kind: 'job',
      resourceId: 5,
      status: 'running',
      checks: 1,
    };
    assert.equal(waitReason(call(5), blocking), 'job 5 (running) must end before trigger');
  });
});

describe('history budget', () => {
  for (const [name, history, expected] of [
    ['suggested by the server', { historyLength: 10, continueAsNewSuggested: true, callsThisRun: 0 }, true],
    ['one below the limit', { historyLength: 4_999, continueAsNewSuggested: false, callsThisRun: 0 }, false],
    ['at the limit', { historyLength: 5_000, continueAsNewSuggested: false, callsThisRun: 0 }, true],
    [
      'calls dominate a lagging length',
      {
        historyLength: 3,
        continueAsNewSuggested: false,
        callsThisRun: Math.ceil(5_000 / EVENTS_PER_LOCAL_CALL),
      },
      true,
    ],
    [
      'calls below the limit',
      {
        historyLength: 3,
        continueAsNewSuggested: false,
        callsThisRun: Math.ceil(5_000 / EVENTS_PER_LOCAL_CALL) - 1,
      },
      false,
    ],
  ] as const) {
    it(`shouldContinueAsNew: ${name}`, () =>
      assert.equal(shouldContinueAsNew(history, DEFAULT_RUN_OPTIONS.historyEventLimit), expected));
  }
});

describe('dispatch', () => {
  for (const [method, readActivity, local] of [
    ['GET', 'local', true],
    ['HEAD', 'local', true],
    ['GET', 'regular', false],
    ['HEAD', 'regular', false],
    ['POST', 'local', false],
    ['DELETE', 'local', false],
  ] as const) {
    it(`${method} with readActivity ${readActivity}: ${local ? 'local' : 'regular'}`, () =>
      assert.equal(runsAsLocalActivity({ method }, { readActivity }), local));
  }
});

describe('signal cancel', () => {
  const request = { reason: 'operator' };
  it('records the request and whether a job still ran, before any cancel', () => {
    const running = recordCancelRequest(state([job(1, { terminal: true }), job(2)]), request);
    assert.equal(running.hadActive, true);
    assert.deepEqual(running.state.cancelRequested, request);
    assert.equal(recordCancelRequest(state([job(1, { terminal: true })]), request).hadActive, false);
    assert.equal(recordCancelRequest(state([]), request).hadActive, false);
  });
  it('a running job of ours, cancel sent: no verdict (poll at once)', () => {
    const after = state([job(2, { cancelSent: true })]);
    assert.equal(cancelVerdict({ state: after, request, hadActive: true, ownOnly: true }), undefined);
  });
  it('nothing was running: ArazzoRunCancelled', () => {
    assert.deepEqual(cancelVerdict({ state: state([]), request, hadActive: false, ownOnly: true }), {
      message: 'run cancelled before any job was running: operator',
      type: Failure.runCancelled,
      details: { reason: 'operator' },
    });
  });
  it('waiting for a job that is not ours: left running', () => {
    const blocking: Blocking = {
      stepId: 'trigger',
      kind: 'job',
      resourceId: 5,
      status: 'running',
      checks: 2,
    };
    assert.deepEqual(
      cancelVerdict({ state: state([]), request, hadActive: false, blocking, ownOnly: true }),
      {
        message: 'run cancelled while waiting for job 5 to end (left running): operator',
        type: Failure.runCancelled,
        details: { reason: 'operator', waitedFor: 5 },
      },
    );
  });
  it('only jobs not started by this run are left: ended, they keep running (cancel-own runs only)', () => {
    const after = state([job(3, { status: 'running', adopted: 'conflict' })]);
    assert.deepEqual(cancelVerdict({ state: after, request, hadActive: true, ownOnly: true }), {
      message: 'run cancelled: operator; left running (not started by this run): job 3',
      type: Failure.runCancelled,
      details: { reason: 'operator', leftRunning: [{ kind: 'job', id: 3, status: 'running' }] },
    });
    assert.equal(cancelVerdict({ state: after, request, hadActive: true, ownOnly: false }), undefined);
  });
  it('pollNow drops the delay only', () => assert.deepEqual(pollNow(call(5)), call(0)));
});

describe('ending', () => {
  it('end → outputs; fail → failure with stepId (null when absent) and details', () => {
    assert.deepEqual(endingOf({ type: 'end', outputs: { a: 1 } }), { outputs: { a: 1 } });
    assert.deepEqual(endingOf({ type: 'fail', errorType: 'X', message: 'm' }), {
      failure: { message: 'm', type: 'X', details: { stepId: null } },
    });
    assert.deepEqual(
      endingOf({ type: 'fail', errorType: 'X', message: 'm', stepId: 's', details: { k: 2 } }),
      {
        failure: { message: 'm', type: 'X', details: { stepId: 's', k: 2 } },
      },
    );
    assert.equal(endingOf(call(0)), undefined);
  });
  it('internalFailure names the step in flight', () => {
    assert.deepEqual(internalFailure(call(0), new Error('boom')), {
      message: 'internal error at step fetch: boom',
      type: Failure.internalError,
    });
    const end: Move = { type: 'end', outputs: {} };
    assert.equal(internalFailure(end, 'oops').message, 'internal error: oops');
  });
});

describe('arguments', () => {
  it('the reserved second argument only where Temporal vouches for it', () => {
    const none = { continuedAsNew: false, startedByParent: false };
    assert.deepEqual(reservedArgumentProblem('carried', none), {
      message: 'the second workflow argument is reserved for continue-as-new',
      type: Failure.invalidInput,
    });
    assert.deepEqual(reservedArgumentProblem('plan', none), {
      message: 'the second workflow argument is reserved for sub-workflows started by a parent run',
      type: Failure.invalidInput,
    });
    assert.equal(reservedArgumentProblem('carried', { ...none, continuedAsNew: true }), undefined);
    assert.equal(reservedArgumentProblem('plan', { ...none, startedByParent: true }), undefined);
    assert.equal(reservedArgumentProblem(undefined, none), undefined);
  });
  it('resumeRun counts one more continuation and carries the cancel request and blocking', () => {
    const carried = {
      plan: statusViews[2]!.view.run!.plan,
      state: { ...state([]), cancelRequested: { reason: 'r' } },
      move: call(5),
      startedAtMs: 42,
      continuedAsNew: 2,
      blocking: { stepId: 's', kind: 'job', resourceId: 1, status: 'running', checks: 1 },
    };
    const resumed = resumeRun(carried);
    assert.equal(resumed.continuedAsNew, 3);
    assert.deepEqual(resumed.cancelRequested, { reason: 'r' });
    assert.equal(resumed.startedAtMs, 42);
    assert.deepEqual(resumed.blocking, carried.blocking);
    assert.equal('cancelRequested' in resumeRun({ ...carried, state: state([]) }), false);
  });
  it('childWorkflowId', () => assert.equal(childWorkflowId('wf-1', 'sub', 3), 'wf-1/sub/3'));
});

describe('details', () => {
  it('changedResources: new jobs and status changes, by operation and id', () => {
    const before = [job(1, { status: 'running' }), job(2, { status: 'running' })];
    const after = [
      job(1, { status: 'running' }),
      job(2, { status: 'succeeded' }),
      job(3, { status: 'pending' }),
    ];
    assert.deepEqual(
      changedResources(before, after).map((r) => r.id),
      [2, 3],
    );
  });
});

describe('conflict wait', () => {
  const adopt = {
    lookup: request('GET'),
    itemsPointer: '/data',
    idPointer: '/jobId',
    statusPointer: '/status',
    activeStatuses: ['running', 'pending'],
    terminalStatuses: ['succeeded', 'failed', 'cancelled'],
    conflictStatuses: [409],
    onConflict: 'wait' as const,
  };
  const current: Blocking = { stepId: 'trigger', kind: 'job', resourceId: 5, status: 'running', checks: 1 };
  const answer = (statusCode: number, body: unknown) =>
    ({ statusCode, headers: {}, body, url: 'u', method: 'GET' }) as Parameters<typeof afterBlockingCheck>[2];
  it('still blocked, the same job: one more check, unchanged', () => {
    assert.deepEqual(
      afterBlockingCheck(current, adopt, answer(200, { data: [{ jobId: 5, status: 'running' }] })),
      {
        type: 'blocked',
        blocking: { ...current, checks: 2 },
        changed: false,
      },
    );
  });
  it('a newer job (or a status the server added) blocks: changed', () => {
    const check = afterBlockingCheck(current, adopt, answer(200, { data: [{ jobId: 6, status: 'queued' }] }));
    assert.deepEqual(check, {
      type: 'blocked',
      blocking: { ...current, resourceId: 6, status: 'queued', checks: 2 },
      changed: true,
    });
  });
  it('none active: ended; unreadable answer: failed', () => {
    assert.deepEqual(
      afterBlockingCheck(current, adopt, answer(200, { data: [{ jobId: 5, status: 'succeeded' }] })),
      {
        type: 'ended',
      },
    );
    assert.deepEqual(afterBlockingCheck(current, adopt, answer(500, {})), {
      type: 'failed',
      message: 'api.op (waiting for job 5 to end) answered 500 without a list at /data',
    });
  });
  it('blockingDelaySeconds grows with the poll backoff up to the maximum', () => {
    const options = { pollIntervalSeconds: 5, pollBackoff: 2, maxPollIntervalSeconds: 30 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => blockingDelaySeconds(options, n)),
      [5, 10, 20, 30, 30],
    );
  });
});
