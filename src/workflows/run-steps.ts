/**
 * What the driver does for each kind of move: a step's call, a check of a resource that blocks a
 * create, a child run; and the cancels of the run's jobs. Each awaits Temporal and feeds the
 * outcome back to the pure machine.
 */
import {
  ActivityFailure,
  CancellationScope,
  ContinueAsNew,
  TemporalFailure,
  condition,
  executeChild,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  type WorkflowInfo,
} from '@temporalio/workflow';
import {
  afterCall,
  afterCallError,
  afterReceive,
  afterWorkflow,
  cancellableResources,
  markCancelSent,
  observeBeforeCancel,
  type AdoptRequest,
  type CallMove,
  type DelayedMove,
  type Move,
  type ReceiveMove,
  type Transition,
} from '../arazzo/machine/index.js';
import type { JsonObject } from '../arazzo/model.js';
import {
  afterBlockingCheck,
  blockingCheckDetails,
  blockingCheckLabel,
  blockingDelaySeconds,
  callDetails,
  cancelVerdict,
  changedResources,
  childWorkflowId,
  completedDetails,
  internalFailure,
  msUntilDeadline,
  pollNow,
  receiveDetails,
  recordCancelRequest,
  waitingDetails,
  waitReason,
  type Blocking,
  type RunFailure,
  type WaitPlan,
} from '../arazzo/run/index.js';
import type { ArazzoWorkflow } from '../contract/index.js';
import { activityFor, type OperationCalls } from './activity-proxies.js';
import { failureOf } from './failure-of.js';
import { POLL_WINDOW_SECONDS, pollInActivity, pollsInActivity } from './poll-in-activity.js';
import { receiveMessage, type Inbox, type ReceiveOutcome } from './receive-wait.js';
import type { RunRecord } from './run-record.js';

/** Marks histories whose runs wait for a blocking resource on timers (before: the create was retried). */
const CONFLICT_WAIT_PATCH = 'conflict-wait-polls-blocking-resource';

/**
 * Runs that reach a cancel with this marker cancel only jobs they created (unless the run opts in
 * with `cancelAdoptedJobs`) and read each job right before cancelling it. Histories recorded
 * before it replay the old way: every tracked job cancelled, without the read.
 */
const CANCEL_OWN_CONFIRMED = 'cancel-own-jobs-after-confirming-read';

/**
 * The one dispatch point: carries out the pending move (a receive wait, a call, a poll loop inside
 * an activity, a blocking check or a child run).
 */
export async function runMove(
  run: RunRecord,
  calls: OperationCalls,
  info: WorkflowInfo,
  inbox: Inbox,
): Promise<void> {
  const move = run.pendingMove();
  // A wait, not a call: it does not count towards the history budget's calls.
  if (move.type === 'receive') return receiveStep(run, inbox, move, info);
  // The count goes up before the await: only the next iteration's history budget reads it.
  run.phase = 'running';
  run.calls++;
  switch (move.type) {
    case 'call':
      if (run.blocking !== undefined && move.adopt !== undefined && run.blocking.stepId === move.stepId) {
        return checkBlocking(run, calls, move, run.blocking, move.adopt);
      }
      if (pollsInActivity(run.plan, move)) return pollStep(run, move);
      return callStep(run, calls, move);
    case 'runWorkflow':
      return runChild(run, info, move);
  }
}

/**
 * A receive step (Arazzo 1.1): registers with the mailbox of its correlation and waits durably for
 * the message, up to the step's timeout; the message, or its absence, goes to the machine. A cancel
 * signal ends the wait as a timeout (the step's failure path reads the job); a deadline leaves the
 * move pending for the loop's top.
 */
async function receiveStep(
  run: RunRecord,
  inbox: Inbox,
  move: ReceiveMove,
  info: WorkflowInfo,
): Promise<void> {
  run.phase = 'waiting';
  const untilDeadlineMs = msUntilDeadline(run.deadlines, Date.now());
  setCurrentDetails(receiveDetails(run.plan.workflowId, move, run.state.resources));
  run.messageTimeoutAtMs = Date.now() + move.timeoutMs;
  let received: ReceiveOutcome;
  try {
    received = await receiveMessage(inbox, move, info.workflowId, {
      stop: () => run.cancelRequested !== undefined,
      untilDeadlineMs,
    });
  } finally {
    run.messageTimeoutAtMs = undefined;
  }
  if (received.type === 'interrupted') return;
  const message = received.type === 'message' ? received.message : undefined;
  ({ state: run.state, move: run.move } = afterReceive(run.plan, run.state, message, move.timeoutMs));
}

/** The end of the run: its outputs, or the failure thrown. */
export function endRun(
  run: RunRecord,
  ending: { outputs: JsonObject } | { failure: RunFailure },
): JsonObject {
  if ('outputs' in ending) {
    run.phase = 'completed';
    setCurrentDetails(completedDetails(run.plan.workflowId, run.state.resources));
    log.info('run completed', { arazzoWorkflowId: run.plan.workflowId, outputs: ending.outputs });
    return ending.outputs;
  }
  run.phase = 'failed';
  const { failure } = ending;
  log.warn('run failed', {
    arazzoWorkflowId: run.plan.workflowId,
    stepId: failure.details?.stepId,
    errorType: failure.type,
    message: failure.message,
  });
  throw failureOf(ending.failure);
}

/** The durable wait of a delayed move; true when a cancel signal ended it early. */
export async function waitFor(run: RunRecord, move: DelayedMove, wait: WaitPlan): Promise<boolean> {
  run.phase = 'waiting';
  run.nextPollAtMs = wait.nextPollAtMs;
  setCurrentDetails(waitingDetails(run.plan.workflowId, move, run.blocking, run.state.resources));
  run.wake = false;
  const woken = await condition(() => run.wake, wait.delayMs, { summary: waitReason(move, run.blocking) });
  run.nextPollAtMs = undefined;
  return woken;
}

/** Stores a transition after a call: logs its notes and each job that appeared or changed status. */
function applyCall(run: RunRecord, call: CallMove, transition: Transition): void {
  for (const note of transition.notes) log.warn(note, { stepId: call.stepId });
  // One line when a job appears or changes status: enough to follow a run without a line per poll.
  for (const resource of changedResources(run.state.resources, transition.state.resources)) {
    log.info(`${resource.kind} ${String(resource.id)}: ${resource.status ?? 'unknown'}`, {
      stepId: call.stepId,
      kind: resource.kind,
      resourceId: resource.id,
      status: resource.status,
    });
  }
  // No line per call here: a workflow log call crosses to the worker's thread as a sink call even
  // when its level is filtered out (issue 14's per-iteration count); the activity's DEBUG line
  // already logs each request.
  ({ state: run.state, move: run.move } = transition);
}

function causeOf(error: ActivityFailure): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/** A step's call; an answer that says another resource blocks the create starts a conflict wait. */
async function callStep(run: RunRecord, calls: OperationCalls, call: CallMove): Promise<void> {
  const { plan } = run;
  setCurrentDetails(callDetails(plan.workflowId, call, run.state.resources));
  let transition: Transition;
  try {
    const response = await activityFor(
      calls,
      call.request,
    )({
      request: call.request,
      ...(call.adopt ? { adopt: call.adopt } : {}),
    });
    // patched() only when blocked: its marker is recorded where it first decides something.
    if (response.blockedBy !== undefined && call.adopt !== undefined && patched(CONFLICT_WAIT_PATCH)) {
      const blocking: Blocking = {
        stepId: call.stepId,
        kind: plan.operations[call.request.operation]?.resource?.kind ?? 'resource',
        resourceId: response.blockedBy.resourceId,
        status: response.blockedBy.status,
        checks: 0,
      };
      run.blocking = blocking;
      log.info(`waiting for ${blocking.kind} ${String(blocking.resourceId)} to end before creating ours`, {
        stepId: call.stepId,
        resourceId: blocking.resourceId,
        status: blocking.status,
      });
      run.move = { ...call, delaySeconds: blockingDelaySeconds(plan.options, 1) };
      return;
    }
    transition = afterCall(plan, run.state, response, Date.now());
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    transition = afterCallError(plan, run.state, `${call.request.operation} failed: ${causeOf(error)}`);
  }
  applyCall(run, call, transition);
}

/**
 * `pollIn: 'activity'`: the poll loop runs inside one heartbeating activity, which returns the
 * response that ends it (or the last one when its window elapses); that response is fed to the
 * machine here, as any call's. A cancel signal, or a window that ended before the first poll,
 * leaves the move pending for the loop's top.
 */
async function pollStep(run: RunRecord, call: CallMove): Promise<void> {
  const { plan } = run;
  setCurrentDetails(callDetails(plan.workflowId, call, run.state.resources));
  const untilDeadlineMs = msUntilDeadline(run.deadlines, Date.now());
  let transition: Transition;
  try {
    run.wake = false;
    const polled = await pollInActivity(
      {
        plan,
        state: run.state,
        call,
        startedAtMs: run.startedAtMs,
        windowSeconds: Math.max(1, Math.min(POLL_WINDOW_SECONDS, Math.floor(untilDeadlineMs / 1000))),
      },
      () => run.wake,
    );
    if (polled?.response === undefined) return;
    transition = afterCall(plan, run.state, polled.response, Date.now());
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    transition = afterCallError(plan, run.state, `${call.request.operation} failed: ${causeOf(error)}`);
  }
  applyCall(run, call, transition);
}

/**
 * One check of the resource that blocks a create (`onConflict: wait`): the adoption lookup, read
 * like a poll. Still active: wait again. None active: the create is sent again. The lookup failing
 * fails the step like its own call would.
 */
async function checkBlocking(
  run: RunRecord,
  calls: OperationCalls,
  call: CallMove,
  current: Blocking,
  adopt: AdoptRequest,
): Promise<void> {
  const { plan } = run;
  setCurrentDetails(blockingCheckDetails(plan.workflowId, call, current, run.state.resources));
  let failed: string;
  try {
    const listed = await activityFor(calls, adopt.lookup)({ request: adopt.lookup });
    const check = afterBlockingCheck(current, adopt, listed);
    if (check.type === 'ended') {
      log.info(`${current.kind} ${String(current.resourceId)} ended; creating ours`, {
        stepId: call.stepId,
        checks: current.checks + 1,
      });
      run.blocking = undefined;
      run.move = pollNow(call);
      return;
    }
    if (check.type === 'blocked') {
      const { blocking } = check;
      if (check.changed) {
        log.info(
          `${current.kind} ${String(blocking.resourceId)}: ${blocking.status} (blocking ${call.stepId})`,
          {
            stepId: call.stepId,
            resourceId: blocking.resourceId,
            status: blocking.status,
          },
        );
      }
      run.blocking = blocking;
      run.move = { ...call, delaySeconds: blockingDelaySeconds(plan.options, blocking.checks) };
      return;
    }
    failed = check.message;
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    failed = `${blockingCheckLabel(adopt, current)} failed: ${causeOf(error)}`;
  }
  run.blocking = undefined;
  ({ state: run.state, move: run.move } = afterCallError(plan, run.state, failed));
}

/** A sub-workflow, a dependency, or a goto to another workflow: a child run with the same plan. */
async function runChild(
  run: RunRecord,
  info: WorkflowInfo,
  child: Extract<Move, { type: 'runWorkflow' }>,
): Promise<void> {
  const { plan, state } = run;
  let transition: Transition;
  try {
    const outputs = await executeChild<ArazzoWorkflow>(child.workflowId, {
      args: [child.inputs, { plan: { ...plan, workflowId: child.workflowId } }],
      workflowId: childWorkflowId(info.workflowId, child.workflowId, state.stepsExecuted),
    });
    transition = afterWorkflow(plan, state, { ok: true, outputs });
  } catch (error) {
    if (isCancellation(error)) throw error;
    transition = afterWorkflow(plan, state, {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  ({ state: run.state, move: run.move } = transition);
}

/**
 * Sends the cancel request of every resource still active; each at most once. Airbyte cancels per
 * connection (`DELETE /jobs/{id}` stops whatever job runs now), so a job this run only attached to
 * is left alone, and a read right before the cancel makes sure ours still runs: a DELETE after our
 * job ended would stop the next one (a scheduled sync).
 */
export async function cancelResources(run: RunRecord, calls: OperationCalls, why: string): Promise<void> {
  const confirmed = patched(CANCEL_OWN_CONFIRMED);
  const policy = { ownOnly: confirmed, cancelAdopted: run.plan.options.cancelAdoptedJobs === true };
  for (const resource of cancellableResources(run.state, policy)) {
    if (!resource.cancel) continue;
    if (confirmed && resource.read) {
      try {
        const seen = await calls.regular[resource.read.operation]!({ request: resource.read });
        const observed = observeBeforeCancel(run.plan, run.state, resource, seen);
        run.state = observed.state;
        if (!observed.stillActive) {
          log.info('not cancelling: the resource already ended', {
            kind: resource.kind,
            id: resource.id,
            why,
          });
          continue;
        }
      } catch (error) {
        // Unknown whether ours still runs: a cancel could reach a newer job, so none is sent (and,
        // like a failed cancel, it is not tried again).
        run.state = markCancelSent(run.state, resource);
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
      const response = await calls.regular[resource.cancel.operation]!({ request: resource.cancel });
      run.state = markCancelSent(run.state, resource, response, run.plan);
    } catch (error) {
      // The job may have ended meanwhile; the next poll tells. Never send the cancel twice.
      run.state = markCancelSent(run.state, resource);
      log.warn('cancel request failed', { kind: resource.kind, id: resource.id, error: String(error) });
    }
  }
}

/**
 * A pending `cancel` signal: stop the job now, then end the run or poll at once so the document
 * sees its job end. Runs on every iteration while the cancel is pending (it sends nothing twice).
 */
export async function cancelOnSignal(
  run: RunRecord,
  calls: OperationCalls,
  request: { reason: string },
): Promise<void> {
  run.phase = 'cancelling';
  const recorded = recordCancelRequest(run.state, request);
  run.state = recorded.state;
  await cancelResources(run, calls, request.reason);
  const verdict = cancelVerdict({
    state: run.state,
    request,
    hadActive: recorded.hadActive,
    ...(run.blocking ? { blocking: run.blocking } : {}),
    // Already decided by cancelResources above (a patch is recorded once): no new command here.
    ownOnly: patched(CANCEL_OWN_CONFIRMED),
  });
  if (verdict) throw failureOf(verdict);
  run.move = pollNow(run.pendingMove());
}

/**
 * What the run ends with after an error in its loop: a Temporal cancellation first cancels the
 * jobs (in a scope that cannot itself be cancelled) and ends Canceled; a failure or a
 * continue-as-new passes through; anything else is a bug, `ArazzoInternalError`.
 */
export async function onRunError(error: unknown, run: RunRecord, calls: OperationCalls): Promise<unknown> {
  if (isCancellation(error)) {
    run.phase = 'cancelling';
    await CancellationScope.nonCancellable(() => cancelResources(run, calls, 'workflow cancelled'));
    return error;
  }
  if (error instanceof TemporalFailure || error instanceof ContinueAsNew) return error;
  return failureOf(internalFailure(run.move, error));
}
