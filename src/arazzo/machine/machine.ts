/**
 * The Arazzo control flow as a pure state machine. Given the run state and the outcome of the last
 * move, it returns the next state and the next move. It does no I/O and reads no clock (the caller
 * passes `nowMs`), so the Temporal workflow can drive it deterministically and tests can drive it
 * with canned responses.
 */
import { extensionValue, RUN_OPTIONS_EXTENSION } from '../extensions.js';
import type { ExpressionContext } from '../context.js';
import { evaluateCriteria } from '../criteria/index.js';
import { Failure } from '../failures.js';
import { retryAfterDelaySeconds } from '../http-text.js';
import type { FailureAction, JsonObject, Step, SuccessAction, Workflow } from '../model.js';
import type { ExecutionPlan, OperationPlan } from '../plan.js';
import { buildAdoptRequest, buildStepRequest, requestView, resolveStepParameters } from '../request/index.js';
import { firstMatchingAction, mergeActions } from './actions.js';
import { trackResources } from './resources.js';
import { contextFor, evaluateOutputs } from './run-context.js';
import type { Move, RunState, StepResponse, WorkflowOutcome, WorkflowPurpose } from './state.js';
import { isReceiveStep, messageView, receiveMove, type ReceivedMessage } from './receive-step.js';

export interface Transition {
  state: RunState;
  move: Move;
  /** Things worth a warning in the log (unknown statuses, adopted resources). */
  notes: string[];
}

function findWorkflow(plan: ExecutionPlan, workflowId: string): Workflow | undefined {
  return plan.document.workflows.find((w) => w.workflowId === workflowId);
}

function currentWorkflow(plan: ExecutionPlan, state: RunState): Workflow {
  const workflow = findWorkflow(plan, state.workflowId);
  // The loader validated the plan; reaching this means the plan was tampered with.
  if (!workflow) throw new Error(`workflow ${state.workflowId} is not in the plan`);
  return workflow;
}

function operationFor(plan: ExecutionPlan, workflowId: string, stepId: string): OperationPlan | undefined {
  const key = plan.stepOperations[`${workflowId}/${stepId}`];
  return key === undefined ? undefined : plan.operations[key];
}

function fail(
  state: RunState,
  errorType: string,
  message: string,
  stepId?: string,
  details?: JsonObject,
): Transition {
  return {
    state: { ...state, current: undefined },
    move: {
      type: 'fail',
      errorType,
      message,
      ...(stepId ? { stepId } : {}),
      ...(details ? { details } : {}),
    },
    notes: [],
  };
}

/** Starts a run: dependencies first (`dependsOn`), then the first step. */
export function startRun(plan: ExecutionPlan, inputs: JsonObject, workflowId = plan.workflowId): Transition {
  const workflow = findWorkflow(plan, workflowId);
  const state: RunState = {
    workflowId,
    inputs,
    steps: {},
    workflows: {},
    pendingDependencies: [...(workflow?.dependsOn ?? [])],
    visits: {},
    retries: {},
    stepsExecuted: 0,
    resources: [],
  };
  if (!workflow) return fail(state, Failure.stepError, `workflow ${workflowId} is not in the document`);
  return continueAfterDependencies(plan, state);
}

function continueAfterDependencies(plan: ExecutionPlan, state: RunState): Transition {
  const [next, ...rest] = state.pendingDependencies;
  if (next !== undefined) {
    return runWorkflow(
      { ...state, pendingDependencies: rest },
      next,
      state.inputs,
      'dependsOn',
      undefined,
      0,
    );
  }
  const first = currentWorkflow(plan, state).steps[0];
  if (!first) return finish(plan, state);
  return enterStep(plan, state, first.stepId, 'step', 0);
}

function runWorkflow(
  state: RunState,
  workflowId: string,
  inputs: JsonObject,
  purpose: WorkflowPurpose,
  stepId: string | undefined,
  delaySeconds: number,
): Transition {
  return {
    state: {
      ...state,
      current: { ...(stepId ? { stepId } : {}), workflow: { workflowId, purpose, inputs } },
    },
    move: { type: 'runWorkflow', workflowId, inputs, purpose, delaySeconds, ...(stepId ? { stepId } : {}) },
    notes: [],
  };
}

/** The delay before re-entering a step already run: the poll interval, with optional backoff. */
function pollDelaySeconds(plan: ExecutionPlan, step: Step, previousVisits: number): number {
  // Plans recorded before the rename carry the old name (x-arazzo-temporal); both are read.
  const own = extensionValue(step, RUN_OPTIONS_EXTENSION) as { pollIntervalSeconds?: number } | undefined;
  const { pollBackoff, maxPollIntervalSeconds } = plan.options;
  const interval = own?.pollIntervalSeconds ?? plan.options.pollIntervalSeconds;
  const grown = interval * Math.pow(pollBackoff, Math.max(0, previousVisits - 1));
  return Math.min(Math.max(interval, maxPollIntervalSeconds), grown);
}

function enterStep(
  plan: ExecutionPlan,
  state: RunState,
  stepId: string,
  reason: 'step' | 'poll' | 'retry',
  delaySeconds: number,
): Transition {
  const workflow = currentWorkflow(plan, state);
  const step = workflow.steps.find((s) => s.stepId === stepId);
  if (!step)
    return fail(
      state,
      Failure.stepError,
      `step ${stepId} does not exist in workflow ${workflow.workflowId}`,
      stepId,
    );
  if (state.stepsExecuted >= plan.options.maxSteps) {
    return fail(
      state,
      Failure.stepBudgetExhausted,
      `step budget of ${plan.options.maxSteps} exhausted at step ${stepId} (a runaway goto loop?)`,
      stepId,
    );
  }
  const visit = (state.visits[stepId] ?? 0) + 1;
  const next: RunState = {
    ...state,
    visits: { ...state.visits, [stepId]: visit },
    stepsExecuted: state.stepsExecuted + 1,
  };
  const context = contextFor(plan, next);

  if (isReceiveStep(step)) {
    const receive = receiveMove(step, visit, context);
    if (!receive.ok)
      return fail(next, Failure.stepError, `step ${stepId}: ${receive.field} ${receive.message}`, stepId);
    return { state: { ...next, current: { stepId } }, move: receive.move, notes: [] };
  }

  if (step.workflowId !== undefined) {
    const parameters = resolveStepParameters(plan.document, workflow, step, undefined, context);
    if (!parameters.ok)
      return fail(
        next,
        Failure.stepError,
        `step ${stepId}: ${parameters.field}: ${parameters.message}`,
        stepId,
      );
    const inputs: JsonObject = {};
    for (const p of parameters.value) inputs[p.name] = p.value;
    return runWorkflow(next, step.workflowId, inputs, 'step', stepId, delaySeconds);
  }

  const operation = operationFor(plan, workflow.workflowId, stepId);
  if (!operation)
    return fail(
      next,
      Failure.stepError,
      `step ${stepId}: its operation was not resolved in the plan`,
      stepId,
    );
  const request = buildStepRequest(plan, workflow, step, operation, context);
  if (!request.ok)
    return fail(next, Failure.stepError, `step ${stepId}: ${request.field}: ${request.message}`, stepId);
  const adopt = buildAdoptRequest(plan, operation, request.value, context);
  if (!adopt.ok)
    return fail(next, Failure.stepError, `step ${stepId}: ${adopt.field}: ${adopt.message}`, stepId);

  return {
    state: { ...next, current: { stepId, request: request.value } },
    move: {
      type: 'call',
      stepId,
      request: request.value,
      delaySeconds,
      reason,
      visit,
      ...(adopt.value ? { adopt: adopt.value } : {}),
    },
    notes: [],
  };
}

/** Ends the workflow: outputs computed, then the failure policy applied to the resources it tracked. */
function finish(plan: ExecutionPlan, state: RunState): Transition {
  const workflow = currentWorkflow(plan, state);
  const outputs = evaluateOutputs(workflow.outputs, contextFor(plan, state));
  const ended: RunState = { ...state, current: undefined };
  const failing = state.resources.find(
    (r) =>
      r.status !== undefined &&
      plan.options.failOnStatuses.includes(r.status) &&
      // A cancellation the caller asked for is the outcome they wanted, not a failure.
      !(state.cancelRequested && r.cancelSent),
  );
  if (failing) {
    return {
      state: ended,
      move: {
        type: 'fail',
        errorType: plan.options.failErrorType,
        message: `${failing.kind} ${String(failing.id)} ended ${failing.status} (step ${failing.seenBy ?? failing.stepId})`,
        stepId: failing.stepId,
        details: {
          outputs,
          resource: { kind: failing.kind, id: failing.id, status: failing.status ?? null },
        },
      },
      notes: [],
    };
  }
  return { state: ended, move: { type: 'end', outputs }, notes: [] };
}

/** Goes to the step after `stepId`, or ends after the last step. */
function continueAfter(plan: ExecutionPlan, state: RunState, stepId: string): Transition {
  const steps = currentWorkflow(plan, state).steps;
  const index = steps.findIndex((s) => s.stepId === stepId);
  const following = steps[index + 1];
  return following ? enterStep(plan, state, following.stepId, 'step', 0) : finish(plan, state);
}

function gotoStep(plan: ExecutionPlan, state: RunState, targetStepId: string): Transition {
  const step = currentWorkflow(plan, state).steps.find((s) => s.stepId === targetStepId);
  const previousVisits = state.visits[targetStepId] ?? 0;
  if (!step || previousVisits === 0) return enterStep(plan, state, targetStepId, 'step', 0);
  // Going back to a step that already ran is a poll: wait before asking again.
  return enterStep(plan, state, targetStepId, 'poll', pollDelaySeconds(plan, step, previousVisits));
}

/** Seconds from a `Retry-After` header (delay-seconds or HTTP-date), if any. */
export function retryAfterSeconds(headers: Record<string, string>, nowMs: number): number | undefined {
  return retryAfterDelaySeconds(headers['retry-after'], nowMs);
}

function retryKey(stepId: string, action: FailureAction): string {
  return `${stepId}/${action.name}`;
}

function onStepSuccess(
  plan: ExecutionPlan,
  state: RunState,
  step: Step,
  context: ExpressionContext,
  notes: string[],
): Transition {
  const workflow = currentWorkflow(plan, state);
  // A successful step starts its retry budgets afresh (a poll that recovers may fail again later).
  const retries = Object.fromEntries(
    Object.entries(state.retries).filter(([k]) => !k.startsWith(`${step.stepId}/`)),
  );
  let next: RunState = { ...state, retries };
  if (next.returnTo !== undefined) {
    // This step was the detour of a retry action: go back and retry the step that failed.
    const target = next.returnTo;
    next = { ...next, returnTo: undefined };
    return withNotes(enterStep(plan, next, target, 'retry', 0), notes);
  }
  const actions = mergeActions<SuccessAction>(plan.document, workflow, step.onSuccess, 'successActions');
  const action = firstMatchingAction(actions, context);
  if (!action) return withNotes(continueAfter(plan, next, step.stepId), notes);
  return withNotes(takeAction(plan, next, step, action, undefined), notes);
}

function withNotes(transition: Transition, notes: string[]): Transition {
  return notes.length === 0 ? transition : { ...transition, notes: [...notes, ...transition.notes] };
}

function takeAction(
  plan: ExecutionPlan,
  state: RunState,
  step: Step,
  action: SuccessAction | FailureAction,
  delaySeconds: number | undefined,
): Transition {
  switch (action.type) {
    case 'end':
      return finish(plan, state);
    case 'goto':
      if (action.workflowId !== undefined) {
        return runWorkflow(state, action.workflowId, state.inputs, 'goto', undefined, 0);
      }
      return gotoStep(plan, state, action.stepId ?? '');
    case 'retry': {
      const delay = delaySeconds ?? 0;
      if (action.workflowId !== undefined) {
        return runWorkflow(
          { ...state, returnTo: step.stepId },
          action.workflowId,
          state.inputs,
          'retry',
          step.stepId,
          delay,
        );
      }
      if (action.stepId !== undefined && action.stepId !== step.stepId) {
        return enterStep(plan, { ...state, returnTo: step.stepId }, action.stepId, 'retry', delay);
      }
      return enterStep(plan, state, step.stepId, 'retry', delay);
    }
  }
}

function onStepFailure(
  plan: ExecutionPlan,
  state: RunState,
  step: Step,
  context: ExpressionContext,
  reason: string,
  retryAfter: number | undefined,
  notes: string[],
): Transition {
  const workflow = currentWorkflow(plan, state);
  const actions = mergeActions<FailureAction>(plan.document, workflow, step.onFailure, 'failureActions');
  // A retry action whose budget is spent no longer matches: the next matching action applies.
  const action = firstMatchingAction(
    actions,
    context,
    (a) => a.type === 'retry' && (state.retries[retryKey(step.stepId, a)] ?? 0) >= (a.retryLimit ?? 1),
  );
  if (!action) {
    return withNotes(
      fail(state, Failure.stepFailed, `step ${step.stepId} failed: ${reason}`, step.stepId),
      notes,
    );
  }
  if (action.type !== 'retry') return withNotes(takeAction(plan, state, step, action, undefined), notes);
  const key = retryKey(step.stepId, action);
  const next: RunState = { ...state, retries: { ...state.retries, [key]: (state.retries[key] ?? 0) + 1 } };
  // Spec: the server's Retry-After header takes precedence over the action's retryAfter.
  return withNotes(takeAction(plan, next, step, action, retryAfter ?? action.retryAfter ?? 0), notes);
}

function describeFailure(
  response: StepResponse | undefined,
  failures: Array<{ condition: string; error?: string }>,
): string {
  const parts: string[] = [];
  if (response) parts.push(`HTTP ${response.statusCode} from ${response.method} ${response.url}`);
  for (const f of failures) parts.push(`criterion not met: ${f.condition}${f.error ? ` (${f.error})` : ''}`);
  return parts.join('; ');
}

/** Feeds the response of the step in flight and returns the next move. */
export function afterCall(
  plan: ExecutionPlan,
  state: RunState,
  response: StepResponse,
  nowMs: number,
): Transition {
  const stepId = state.current?.stepId;
  const request = state.current?.request;
  const workflow = currentWorkflow(plan, state);
  const step = workflow.steps.find((s) => s.stepId === stepId);
  if (!step || !request || stepId === undefined) {
    return fail(state, Failure.stepError, 'a response arrived but no step was in flight');
  }
  const responseView = {
    statusCode: response.statusCode,
    headers: response.headers,
    ...(response.body === undefined ? {} : { body: response.body }),
  };
  const exchange = { request: requestView(request, response.url), response: responseView };
  const operation = operationFor(plan, workflow.workflowId, stepId);
  const tracked = trackResources(plan, state, stepId, operation, response, contextFor(plan, state, exchange));
  let next: RunState = {
    ...state,
    resources: tracked.resources,
    lastStatusCode: response.statusCode,
    current: undefined,
  };
  const context = contextFor(plan, next, exchange);

  // Spec: without successCriteria, any 2xx response is a success.
  const criteria = step.successCriteria;
  const verdict =
    criteria && criteria.length > 0
      ? evaluateCriteria(criteria, context)
      : {
          passed: response.statusCode >= 200 && response.statusCode < 300,
          failures: [{ index: 0, condition: '2xx status' }],
        };
  if (verdict.passed) {
    const outputs = evaluateOutputs(step.outputs, context);
    next = { ...next, steps: { ...next.steps, [stepId]: { outputs } } };
    return onStepSuccess(plan, next, step, contextFor(plan, next, exchange), tracked.notes);
  }
  const retryAfter = retryAfterSeconds(response.headers, nowMs);
  return onStepFailure(
    plan,
    next,
    step,
    context,
    describeFailure(response, verdict.failures),
    retryAfter,
    tracked.notes,
  );
}

/**
 * Feeds the message a receive step waited for, or undefined when its timeout passed first (a step
 * failure: the step's `onFailure` actions decide, typically a goto to a poll).
 */
export function afterReceive(
  plan: ExecutionPlan,
  state: RunState,
  message: ReceivedMessage | undefined,
  timeoutMs: number,
): Transition {
  const stepId = state.current?.stepId;
  const step = currentWorkflow(plan, state).steps.find((s) => s.stepId === stepId);
  if (!step) return fail(state, Failure.stepError, 'a message arrived but no receive step was waiting');
  const next: RunState = { ...state, current: undefined };
  if (!message) {
    const context = contextFor(plan, next);
    return onStepFailure(plan, next, step, context, `no message within ${timeoutMs} ms`, undefined, []);
  }
  return judgeStep(plan, next, step, { message: messageView(message) });
}

/**
 * A step whose result is in `exchange` (a sub-workflow's outputs, a received message), judged by its
 * `successCriteria`: on success its outputs are recorded and `onSuccess` decides, else `onFailure`.
 */
function judgeStep(
  plan: ExecutionPlan,
  state: RunState,
  step: Step,
  exchange: Pick<ExpressionContext, 'outputs' | 'message'>,
): Transition {
  const context = contextFor(plan, state, exchange);
  const verdict = evaluateCriteria(step.successCriteria, context);
  if (!verdict.passed) {
    return onStepFailure(
      plan,
      state,
      step,
      context,
      describeFailure(undefined, verdict.failures),
      undefined,
      [],
    );
  }
  const outputs = evaluateOutputs(step.outputs, context);
  const done: RunState = { ...state, steps: { ...state.steps, [step.stepId]: { outputs } } };
  return onStepSuccess(plan, done, step, contextFor(plan, done, exchange), []);
}

/** Feeds the outcome of a sub-workflow (a workflow step, a goto to a workflow, a dependency, a retry detour). */
export function afterWorkflow(plan: ExecutionPlan, state: RunState, outcome: WorkflowOutcome): Transition {
  const pending = state.current?.workflow;
  if (!pending) return fail(state, Failure.stepError, 'a workflow outcome arrived but none was in flight');
  const workflows = {
    ...state.workflows,
    [pending.workflowId]: { inputs: pending.inputs, ...(outcome.ok ? { outputs: outcome.outputs } : {}) },
  };
  let next: RunState = { ...state, workflows, current: undefined };
  switch (pending.purpose) {
    case 'dependsOn':
      if (!outcome.ok) {
        return fail(
          next,
          Failure.workflowFailed,
          `dependency ${pending.workflowId} failed: ${outcome.message}`,
        );
      }
      return continueAfterDependencies(plan, next);
    case 'goto':
      if (!outcome.ok)
        return fail(
          next,
          Failure.workflowFailed,
          `workflow ${pending.workflowId} failed: ${outcome.message}`,
        );
      // Spec: after a goto to a workflow, its outputs are the run's outputs.
      return { state: next, move: { type: 'end', outputs: outcome.outputs }, notes: [] };
    case 'retry': {
      const target = next.returnTo ?? state.current?.stepId;
      next = { ...next, returnTo: undefined };
      if (!outcome.ok || target === undefined) {
        return fail(
          next,
          Failure.workflowFailed,
          `workflow ${pending.workflowId} failed: ${outcome.ok ? 'no step to retry' : outcome.message}`,
        );
      }
      return enterStep(plan, next, target, 'retry', 0);
    }
    case 'step': {
      const step = currentWorkflow(plan, state).steps.find((s) => s.stepId === state.current?.stepId);
      if (!step) return fail(next, Failure.stepError, 'workflow step vanished');
      if (!outcome.ok) {
        return onStepFailure(plan, next, step, contextFor(plan, next), outcome.message, undefined, []);
      }
      return judgeStep(plan, next, step, { outputs: outcome.outputs });
    }
  }
}

/**
 * Feeds a call that produced no response at all (the activity gave up: transport errors past the
 * retry window, a non-retryable activity failure). The step's failure actions decide what follows.
 */
export function afterCallError(plan: ExecutionPlan, state: RunState, message: string): Transition {
  const stepId = state.current?.stepId;
  const step = currentWorkflow(plan, state).steps.find((s) => s.stepId === stepId);
  if (!step || !state.current?.request)
    return fail(state, Failure.stepError, `no step in flight: ${message}`);
  const next: RunState = { ...state, current: undefined };
  const context = contextFor(plan, next, { request: requestView(state.current.request) });
  return onStepFailure(plan, next, step, context, message, undefined, []);
}
