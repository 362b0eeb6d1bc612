/**
 * The Temporal driver of the Arazzo state machine. Each step's HTTP call is an activity whose type
 * names the operation; polls sleep on durable timers; a `cancel` signal or a Temporal cancellation
 * stops the server-side job; continue-as-new carries the state so a poll can run for days.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  TemporalFailure,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  activeResourceIn,
  afterCall,
  afterCallError,
  afterReceive,
  afterWorkflow,
  cancellableResources,
  describeRequest,
  lookupReadable,
  markCancelSent,
  observeBeforeCancel,
  startRun,
  type Move,
  type RunState,
  type StepResponse,
  type Transition,
} from '../arazzo/machine/index.js';
import {
  CALL_RETRY_POLICY,
  PREPARE_RETRY_POLICY,
  type ArazzoActivities,
  type CallOperation,
  type OperationActivities,
} from '../arazzo/contract.js';
import type { JsonObject, JsonValue } from '../arazzo/model.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import type { HttpRequestSpec } from '../arazzo/request.js';
import { cancelSignal, statusQuery, type RunStatus } from './messages.js';
import { Failure } from '../arazzo/failures.js';
import { installMessageInbox, receiveMessage } from './receive.js';

/** What continue-as-new carries into the next run. */
export interface CarriedRun {
  plan: ExecutionPlan;
  state: RunState;
  move: Move;
  startedAtMs: number;
  continuedAsNew: number;
  /** Set while `onConflict: wait` waits for another resource to end. */
  blocking?: Blocking;
}

/**
 * `onConflict: wait`: the create of `stepId` was refused because this resource runs. The run polls
 * the adoption lookup on durable timers until no resource of the connection is active, then sends
 * the create once more. It never cancels that resource: it is not the run's own.
 */
export interface Blocking {
  stepId: string;
  kind: string;
  resourceId: JsonValue;
  status: string;
  /** Lookups made so far while waiting. */
  checks: number;
}

/** Marks histories whose runs wait for a blocking resource on timers (before: the create was retried). */
export const CONFLICT_WAIT_PATCH = 'conflict-wait-polls-blocking-resource';

/** Passed by a parent run to a sub-workflow: the plan is already resolved, so the child uses it as is. */
export interface ChildRun {
  plan: ExecutionPlan;
}

export type WorkflowArgument = { carried: CarriedRun } | ChildRun;

/**
 * Runs that reach a cancel with this marker cancel only jobs they created (unless the run opts in
 * with `cancelAdoptedJobs`) and read each job right before cancelling it. Histories recorded
 * before it replay the old way: every tracked job cancelled, without the read.
 */
const CANCEL_OWN_CONFIRMED = 'cancel-own-jobs-after-confirming-read';

const { prepareArazzoRun } = proxyLocalActivities<Pick<ArazzoActivities, 'prepareArazzoRun'>>({
  startToCloseTimeout: '30 seconds',
  retry: PREPARE_RETRY_POLICY,
});

/** Regular activities for calls that change something; heartbeats carry cancellation to them. */
function callActivities(plan: ExecutionPlan): OperationActivities {
  return proxyActivities<OperationActivities>({
    // The HTTP client's own timeout (150 s by default) fires first; this bounds a stuck worker.
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '60 seconds',
    scheduleToCloseTimeout: `${plan.options.callRetryWindowSeconds} seconds`,
    retry: CALL_RETRY_POLICY,
  });
}

/**
 * Local activities for safe reads (polls): the call is recorded as one marker in the workflow task
 * that also starts the next timer, so a poll iteration costs 6 history events instead of 11.
 */
function readActivities(plan: ExecutionPlan): OperationActivities {
  return proxyLocalActivities<OperationActivities>({
    startToCloseTimeout: '3 minutes',
    scheduleToCloseTimeout: `${plan.options.callRetryWindowSeconds} seconds`,
    // Longer backoffs become durable timers instead of in-memory waits.
    localRetryThreshold: '10 seconds',
    retry: CALL_RETRY_POLICY,
  });
}

/** The wait before the n-th check of a blocking resource: the run's poll interval and backoff. */
function blockingDelaySeconds(plan: ExecutionPlan, check: number): number {
  const { pollIntervalSeconds, pollBackoff, maxPollIntervalSeconds } = plan.options;
  const grown = pollIntervalSeconds * Math.pow(pollBackoff, Math.max(0, check - 1));
  return Math.min(Math.max(pollIntervalSeconds, maxPollIntervalSeconds), grown);
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Why the run ended early, as a failure the caller can match on. */
function failure(message: string, type: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type, ...(details === undefined ? [] : [details]));
}

/**
 * Runs the Arazzo workflow named by this Temporal workflow's type, with `inputs` as its inputs.
 * `extra` is only ever set by this code itself (continue-as-new, sub-workflows).
 */
export async function runArazzoWorkflow(inputs: unknown, extra?: WorkflowArgument): Promise<JsonObject> {
  const info = workflowInfo();
  let plan!: ExecutionPlan;
  let state!: RunState;
  let move!: Move;
  let startedAtMs = Date.now();
  let continuedAsNew = 0;
  let phase: RunStatus['phase'] = 'starting';
  let nextPollAtMs: number | undefined;
  let callsThisRun = 0;
  let cancelRequested: { reason: string } | undefined;
  let wake = false;
  let blocking: Blocking | undefined;

  // Messages are answered from the first moment, even before the plan is resolved.
  let prepared = false;
  setHandler(cancelSignal, (request) => {
    if (cancelRequested) return;
    cancelRequested = { reason: request?.reason ?? 'cancelled by signal' };
    wake = true;
    log.info('cancel requested', { reason: cancelRequested.reason });
  });
  const inbox = installMessageInbox();
  setHandler(statusQuery, (): RunStatus => {
    if (!prepared) {
      return {
        arazzoWorkflowId: info.workflowType,
        documentPath: '',
        documentHash: '',
        phase,
        iteration: 0,
        stepsExecuted: 0,
        resources: [],
        stepOutputs: {},
        startedAt: toIso(info.startTime.getTime()),
        ...(cancelRequested ? { cancelRequested: cancelRequested.reason } : {}),
        continuedAsNew,
      };
    }
    const current = move.type === 'call' || move.type === 'runWorkflow' ? move.stepId : undefined;
    return {
      arazzoWorkflowId: plan.workflowId,
      documentPath: plan.documentPath,
      documentHash: plan.documentHash,
      phase,
      ...(current ? { currentStep: current } : {}),
      iteration: current ? (state.visits[current] ?? 0) : 0,
      stepsExecuted: state.stepsExecuted,
      ...(state.lastStatusCode !== undefined ? { lastStatusCode: state.lastStatusCode } : {}),
      resources: state.resources.map((r) => ({
        kind: r.kind,
        id: r.id,
        stepId: r.stepId,
        cancelSent: r.cancelSent === true,
        ...(r.status ? { status: r.status } : {}),
      })),
      stepOutputs: Object.fromEntries(Object.entries(state.steps).map(([k, v]) => [k, v.outputs])),
      ...(nextPollAtMs !== undefined ? { nextPollAt: toIso(nextPollAtMs) } : {}),
      startedAt: toIso(startedAtMs),
      ...(plan.options.waitTimeoutSeconds > 0
        ? { waitDeadline: toIso(startedAtMs + plan.options.waitTimeoutSeconds * 1000) }
        : {}),
      ...(plan.options.executionTimeoutSeconds > 0
        ? { executionDeadline: toIso(startedAtMs + plan.options.executionTimeoutSeconds * 1000) }
        : {}),
      ...(cancelRequested ? { cancelRequested: cancelRequested.reason } : {}),
      ...(blocking
        ? {
            waitingFor: {
              kind: blocking.kind,
              id: blocking.resourceId,
              status: blocking.status,
              checks: blocking.checks,
            },
          }
        : {}),
      continuedAsNew,
    };
  });

  // The second argument is this code's own (continue-as-new, a parent's plan): a client that
  // passes one must not skip the catalog, so it is honoured only where Temporal vouches for it.
  if (extra && 'carried' in extra && !info.continuedFromExecutionRunId) {
    throw failure('the second workflow argument is reserved for continue-as-new', Failure.invalidInput);
  }
  if (extra && 'plan' in extra && !info.parent) {
    throw failure(
      'the second workflow argument is reserved for sub-workflows started by a parent run',
      Failure.invalidInput,
    );
  }
  if (extra && 'carried' in extra) {
    ({ plan, state, move, startedAtMs, blocking } = extra.carried);
    continuedAsNew = extra.carried.continuedAsNew + 1;
    cancelRequested = state.cancelRequested;
  } else {
    // Resolve the plan and check the inputs at the edge, in a local activity: its result is
    // recorded in history, so a later catalog edit never changes this run.
    const resolved = await prepareArazzoRun({
      workflowType: info.workflowType,
      inputs,
      ...(extra && 'plan' in extra ? { plan: extra.plan } : {}),
    });
    plan = resolved.plan;
    startedAtMs = Date.now();
    const started: Transition = startRun(plan, resolved.inputs);
    ({ state, move } = started);
    upsertMemo({
      arazzoWorkflowId: plan.workflowId,
      document: plan.documentPath,
      documentHash: plan.documentHash,
      inputs: resolved.memoInputs,
    });
    log.info('run started', {
      arazzoWorkflowId: plan.workflowId,
      document: plan.documentPath,
      documentHash: plan.documentHash,
    });
  }

  prepared = true;
  const { waitTimeoutSeconds, executionTimeoutSeconds } = plan.options;
  const waitDeadlineMs = waitTimeoutSeconds > 0 ? startedAtMs + waitTimeoutSeconds * 1000 : undefined;
  const executionDeadlineMs =
    executionTimeoutSeconds > 0 ? startedAtMs + executionTimeoutSeconds * 1000 : undefined;
  const activities = callActivities(plan);
  const reads = readActivities(plan);
  /** The activity that runs a request: a local one for safe reads when the run says so. */
  const activityFor = (request: HttpRequestSpec): CallOperation => {
    const safe = request.method === 'GET' || request.method === 'HEAD';
    const proxy = safe && plan.options.readActivity === 'local' ? reads : activities;
    return proxy[request.operation]!;
  };

  /**
   * Sends the cancel request of every resource still active; each at most once. Airbyte cancels
   * per connection (`DELETE /jobs/{id}` stops whatever job runs now), so a job this run only
   * attached to is left alone, and a read right before the cancel makes sure ours still runs: a
   * DELETE after our job ended would stop the next one (a scheduled sync).
   */
  const cancelActiveResources = async (why: string): Promise<void> => {
    const confirmed = patched(CANCEL_OWN_CONFIRMED);
    const policy = { ownOnly: confirmed, cancelAdopted: plan.options.cancelAdoptedJobs === true };
    for (const resource of cancellableResources(state, policy)) {
      if (!resource.cancel) continue;
      if (confirmed && resource.read) {
        try {
          const seen = await activities[resource.read.operation]!({ request: resource.read });
          const observed = observeBeforeCancel(plan, state, resource, seen);
          state = observed.state;
          if (!observed.stillActive) {
            log.info('not cancelling: the resource already ended', {
              kind: resource.kind,
              id: resource.id,
              why,
            });
            continue;
          }
        } catch (error) {
          // Unknown whether ours still runs: a cancel could reach a newer job, so none is sent
          // (and, like a failed cancel, it is not tried again).
          state = markCancelSent(state, resource);
          log.warn('not cancelling: the read before the cancel failed', {
            kind: resource.kind,
            id: resource.id,
            error: String(error),
          });
          continue;
        }
      }
      log.info('cancelling resource', { kind: resource.kind, id: resource.id, why });
      try {
        const response = await activities[resource.cancel.operation]!({ request: resource.cancel });
        state = markCancelSent(state, resource, response, plan);
      } catch (error) {
        // The job may have ended meanwhile; the next poll tells. Never send the cancel twice.
        state = markCancelSent(state, resource);
        log.warn('cancel request failed', { kind: resource.kind, id: resource.id, error: String(error) });
      }
    }
  };

  /**
   * One check of the resource that blocks a create (`onConflict: wait`): the adoption lookup, read
   * like a poll. Still active: the (possibly newer) blocking resource. None active: undefined, and
   * the create is sent again. The lookup failing fails the step like its own call would.
   */
  const checkBlocking = async (
    call: Extract<Move, { type: 'call' }>,
    current: Blocking,
    adopt: NonNullable<Extract<Move, { type: 'call' }>['adopt']>,
  ): Promise<
    { type: 'blocking'; blocking: Blocking | undefined } | { type: 'transition'; transition: Transition }
  > => {
    showDetails(
      `**${plan.workflowId}** step ${call.stepId} waits for ${current.kind} ${String(current.resourceId)} (${current.status}) to end: check ${current.checks + 1}. ${jobSummary()}`,
    );
    const what = `${adopt.lookup.operation} (waiting for ${current.kind} ${String(current.resourceId)} to end)`;
    let listed: StepResponse;
    try {
      listed = await activityFor(adopt.lookup)({ request: adopt.lookup });
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      return { type: 'transition', transition: afterCallError(plan, state, `${what} failed: ${cause}`) };
    }
    if (
      listed.statusCode < 200 ||
      listed.statusCode > 299 ||
      !lookupReadable(listed.body, adopt.itemsPointer)
    ) {
      return {
        type: 'transition',
        transition: afterCallError(
          plan,
          state,
          `${what} answered ${listed.statusCode} without a list at ${adopt.itemsPointer}`,
        ),
      };
    }
    const active = activeResourceIn(listed.body, adopt);
    if (active === undefined) {
      log.info(`${current.kind} ${String(current.resourceId)} ended; creating ours`, {
        stepId: call.stepId,
        checks: current.checks + 1,
      });
      return { type: 'blocking', blocking: undefined };
    }
    if (
      JSON.stringify(active.id) !== JSON.stringify(current.resourceId) ||
      active.status !== current.status
    ) {
      log.info(`${current.kind} ${String(active.id)}: ${active.status} (blocking ${call.stepId})`, {
        stepId: call.stepId,
        resourceId: active.id,
        status: active.status,
      });
    }
    return {
      type: 'blocking',
      blocking: { ...current, resourceId: active.id, status: active.status, checks: current.checks + 1 },
    };
  };

  const showDetails = (text: string) => setCurrentDetails(text);
  const jobSummary = () =>
    state.resources.map((r) => `${r.kind} ${String(r.id)}: ${r.status ?? 'unknown'}`).join(', ') ||
    'no job yet';

  try {
    for (;;) {
      if (move.type === 'end') {
        phase = 'completed';
        showDetails(`**${plan.workflowId}** completed. ${jobSummary()}`);
        log.info('run completed', { arazzoWorkflowId: plan.workflowId, outputs: move.outputs });
        return move.outputs;
      }
      if (move.type === 'fail') {
        phase = 'failed';
        log.warn('run failed', {
          arazzoWorkflowId: plan.workflowId,
          stepId: move.stepId,
          errorType: move.errorType,
          message: move.message,
        });
        throw failure(move.message, move.errorType, { stepId: move.stepId ?? null, ...(move.details ?? {}) });
      }

      // Signal-requested cancel: stop the job now, and poll at once so the document sees it end.
      if (cancelRequested) {
        phase = 'cancelling';
        state = { ...state, cancelRequested };
        const hadActive = state.resources.some((r) => !r.terminal);
        await cancelActiveResources(cancelRequested.reason);
        if (!hadActive && blocking) {
          // The resource waited for is not this run's: it keeps running.
          throw failure(
            `run cancelled while waiting for ${blocking.kind} ${String(blocking.resourceId)} to end (left running): ${cancelRequested.reason}`,
            Failure.runCancelled,
            { reason: cancelRequested.reason, waitedFor: blocking.resourceId },
          );
        }
        // Only jobs this run did not start are left (attached after a conflict, or waited on):
        // the run ends now and leaves them running, rather than waiting for them to end.
        const active = state.resources.filter((r) => !r.terminal);
        if (patched(CANCEL_OWN_CONFIRMED) && active.length > 0 && active.every((r) => !r.cancelSent)) {
          throw failure(
            `run cancelled: ${cancelRequested.reason}; left running (not started by this run): ${active
              .map((r) => `${r.kind} ${String(r.id)}`)
              .join(', ')}`,
            Failure.runCancelled,
            {
              reason: cancelRequested.reason,
              leftRunning: active.map((r) => ({ kind: r.kind, id: r.id, status: r.status ?? null })),
            },
          );
        }
        if (!hadActive) {
          throw failure(
            `run cancelled before any job was running: ${cancelRequested.reason}`,
            Failure.runCancelled,
            {
              reason: cancelRequested.reason,
            },
          );
        }
        move = { ...move, delaySeconds: 0 };
      }

      if (executionDeadlineMs !== undefined && Date.now() >= executionDeadlineMs) {
        await CancellationScope.nonCancellable(() => cancelActiveResources('execution timeout'));
        throw failure(
          `execution timeout of ${executionTimeoutSeconds} s reached; the job was cancelled`,
          Failure.executionTimeout,
          {
            resources: state.resources.map((r) => ({ id: r.id, status: r.status ?? null })),
          },
        );
      }
      if (waitDeadlineMs !== undefined && Date.now() >= waitDeadlineMs) {
        throw failure(
          `wait timeout of ${waitTimeoutSeconds} s reached; the job was left running`,
          Failure.waitTimeout,
          {
            resources: state.resources.map((r) => ({ id: r.id, status: r.status ?? null })),
          },
        );
      }

      // A long poll starts a fresh history before it grows too large; the pending move goes along.
      // historyLength only moves at workflow-task boundaries, and back-to-back local activities
      // (poll interval 0) share one task, so the calls made in this run bound it too (an iteration
      // costs at most 6 events when it has its own task).
      const historyEstimate = Math.max(workflowInfo().historyLength, callsThisRun * 6);
      if (workflowInfo().continueAsNewSuggested || historyEstimate >= plan.options.historyEventLimit) {
        await continueAsNew<typeof runArazzoWorkflow>(inputs, {
          carried: { plan, state, move, startedAtMs, continuedAsNew, ...(blocking ? { blocking } : {}) },
        });
      }

      if (move.delaySeconds > 0) {
        phase = 'waiting';
        const deadlines = [waitDeadlineMs, executionDeadlineMs].filter((d): d is number => d !== undefined);
        const untilDeadline =
          deadlines.length > 0 ? Math.max(0, Math.min(...deadlines) - Date.now()) : Infinity;
        const delayMs = Math.min(move.delaySeconds * 1000, untilDeadline);
        nextPollAtMs = Date.now() + delayMs;
        const why = blocking
          ? `${blocking.kind} ${String(blocking.resourceId)} (${blocking.status}) must end before ${blocking.stepId}`
          : `${move.type === 'call' ? move.reason : 'wait'} ${move.stepId ?? ''}`.trim();
        showDetails(`**${plan.workflowId}** waiting ${move.delaySeconds} s (${why}). ${jobSummary()}`);
        wake = false;
        const woken = await condition(() => wake, delayMs, { summary: why });
        nextPollAtMs = undefined;
        if (woken || delayMs < move.delaySeconds * 1000) continue; // re-check cancel and deadlines first
        move = { ...move, delaySeconds: 0 };
      }

      if (move.type === 'receive') {
        phase = 'waiting';
        const untilDeadlineMs = Math.min(
          ...[waitDeadlineMs, executionDeadlineMs].map((d) => (d === undefined ? Infinity : d - Date.now())),
        );
        showDetails(
          `**${plan.workflowId}** step ${move.stepId} waits for message ${move.correlationId}. ${jobSummary()}`,
        );
        const received = await receiveMessage(inbox, move, info.workflowId, {
          stop: () => cancelRequested !== undefined,
          untilDeadlineMs: Math.max(0, untilDeadlineMs),
        });
        if (received.type === 'interrupted') continue;
        const message = received.type === 'message' ? received.message : undefined;
        ({ state, move } = afterReceive(plan, state, message, move.timeoutMs));
        continue;
      }

      phase = 'running';
      callsThisRun++;
      if (move.type === 'call') {
        const call = move;
        if (blocking !== undefined && call.adopt !== undefined && blocking.stepId === call.stepId) {
          const waited = await checkBlocking(call, blocking, call.adopt);
          if (waited.type === 'transition') {
            blocking = undefined;
            ({ state, move } = waited.transition);
          } else {
            blocking = waited.blocking;
            move = waited.blocking
              ? { ...call, delaySeconds: blockingDelaySeconds(plan, waited.blocking.checks) }
              : { ...call, delaySeconds: 0 };
          }
          continue;
        }
        showDetails(
          `**${plan.workflowId}** step ${call.stepId} (visit ${call.visit}): ${describeRequest(call.request)}. ${jobSummary()}`,
        );
        let transition: Transition | undefined;
        try {
          const response = await activityFor(call.request)({
            request: call.request,
            ...(call.adopt ? { adopt: call.adopt } : {}),
          });
          if (response.blockedBy !== undefined && call.adopt !== undefined && patched(CONFLICT_WAIT_PATCH)) {
            blocking = {
              stepId: call.stepId,
              kind: plan.operations[call.request.operation]?.resource?.kind ?? 'resource',
              resourceId: response.blockedBy.resourceId,
              status: response.blockedBy.status,
              checks: 0,
            };
            log.info(
              `waiting for ${blocking.kind} ${String(blocking.resourceId)} to end before creating ours`,
              {
                stepId: call.stepId,
                resourceId: blocking.resourceId,
                status: blocking.status,
              },
            );
          } else {
            transition = afterCall(plan, state, response, Date.now());
          }
        } catch (error) {
          if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
          const cause = error.cause instanceof Error ? error.cause.message : error.message;
          transition = afterCallError(plan, state, `${call.request.operation} failed: ${cause}`);
        }
        if (transition === undefined) {
          move = { ...call, delaySeconds: blockingDelaySeconds(plan, 1) };
          continue;
        }
        for (const note of transition.notes) log.warn(note, { stepId: call.stepId });
        // One line when a job appears or changes status: enough to follow a run without a line per poll.
        for (const resource of transition.state.resources) {
          const before = state.resources.find(
            (r) => r.operation === resource.operation && r.id === resource.id,
          );
          if (before?.status !== resource.status) {
            log.info(`${resource.kind} ${String(resource.id)}: ${resource.status ?? 'unknown'}`, {
              stepId: call.stepId,
              kind: resource.kind,
              resourceId: resource.id,
              status: resource.status,
            });
          }
        }
        log.debug('step call', {
          stepId: call.stepId,
          operation: call.request.operation,
          visit: call.visit,
          statusCode: transition.state.lastStatusCode,
        });
        ({ state, move } = transition);
        continue;
      }

      // A sub-workflow, a dependency, or a goto to another workflow: a child run with the same plan.
      const child = move;
      let transition: Transition;
      try {
        const outputs = await executeChild<typeof runArazzoWorkflow>(child.workflowId, {
          args: [child.inputs, { plan: { ...plan, workflowId: child.workflowId } }],
          workflowId: `${info.workflowId}/${child.workflowId}/${state.stepsExecuted}`,
        });
        transition = afterWorkflow(plan, state, { ok: true, outputs });
      } catch (error) {
        if (isCancellation(error)) throw error;
        transition = afterWorkflow(plan, state, {
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      ({ state, move } = transition);
    }
  } catch (error) {
    if (isCancellation(error)) {
      // Temporal cancellation: stop the job in a scope that cannot itself be cancelled, then end Canceled.
      phase = 'cancelling';
      await CancellationScope.nonCancellable(() => cancelActiveResources('workflow cancelled'));
      throw error;
    }
    if (error instanceof TemporalFailure || error instanceof ContinueAsNew) throw error;
    // A bug here must fail the run with a clear cause, not retry its workflow task forever.
    const where = move.type === 'call' || move.type === 'runWorkflow' ? ` at step ${move.stepId ?? '?'}` : '';
    throw failure(
      `internal error${where}: ${error instanceof Error ? error.message : String(error)}`,
      Failure.internalError,
    );
  }
}
