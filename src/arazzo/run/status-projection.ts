/**
 * The answer of the `status` query: what a client sees of a run while it runs.
 */
import type { Move, RunState } from '../machine/index.js';
import type { JsonObject, JsonValue } from '../model.js';
import type { ExecutionPlan } from '../plan.js';
import type { Blocking } from './conflict-wait.js';

export interface RunStatus {
  /** The Arazzo workflow being run. */
  arazzoWorkflowId: string;
  documentPath: string;
  documentHash: string;
  /** `running`, `waiting` (between polls), `cancelling`, `completed` or `failed`. */
  phase: 'starting' | 'running' | 'waiting' | 'cancelling' | 'completed' | 'failed';
  currentStep?: string;
  /** The current step's call number: the one in flight, or the next one while waiting (poll N). */
  iteration: number;
  stepsExecuted: number;
  lastStatusCode?: number;
  /** Resources (Airbyte jobs) this run created or adopted, with their last status. */
  resources: Array<{ kind: string; id: JsonValue; status?: string; stepId: string; cancelSent: boolean }>;
  /** Outputs of the steps that have run so far. */
  stepOutputs: Record<string, JsonObject>;
  /** When the next poll is due, if waiting (ISO time). */
  nextPollAt?: string;
  startedAt: string;
  waitDeadline?: string;
  executionDeadline?: string;
  cancelRequested?: string;
  /** `onConflict: wait`: the resource (not this run's) whose end the run waits for before creating its own. */
  waitingFor?: { kind: string; id: JsonValue; status: string; checks: number };
  /**
   * A receive step (Arazzo 1.1) in progress: the correlation id of the message it waits for, and
   * when its `timeout` ends the wait (ISO time, once the wait has begun).
   */
  waitingForMessage?: { correlationId: string; timeoutAt?: string };
  /** Runs completed before this one through continue-as-new. */
  continuedAsNew: number;
}

/** What the driver knows of a run at the moment of a query. */
export interface RunView {
  /** The Temporal workflow type (the Arazzo workflowId asked for), shown before the plan is known. */
  workflowType: string;
  /** When Temporal started this execution (the start time shown before the plan is known). */
  startTimeMs: number;
  phase: RunStatus['phase'];
  continuedAsNew: number;
  cancelRequested?: { reason: string };
  nextPollAtMs?: number;
  /** When the receive wait in progress times out. */
  messageTimeoutAtMs?: number;
  blocking?: Blocking;
  /** Absent until the plan is resolved (or carried). */
  run?: { plan: ExecutionPlan; state: RunState; move: Move; startedAtMs: number };
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The `status` query's answer: before the plan is known, only what Temporal says of the run. */
export function projectStatus(view: RunView): RunStatus {
  const { phase, continuedAsNew, cancelRequested, nextPollAtMs, messageTimeoutAtMs, blocking } = view;
  if (view.run === undefined) {
    return {
      arazzoWorkflowId: view.workflowType,
      documentPath: '',
      documentHash: '',
      phase,
      iteration: 0,
      stepsExecuted: 0,
      resources: [],
      stepOutputs: {},
      startedAt: toIso(view.startTimeMs),
      ...(cancelRequested ? { cancelRequested: cancelRequested.reason } : {}),
      continuedAsNew,
    };
  }
  const { plan, state, move, startedAtMs } = view.run;
  const current =
    move.type === 'call' || move.type === 'runWorkflow' || move.type === 'receive' ? move.stepId : undefined;
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
    ...(move.type === 'receive'
      ? {
          waitingForMessage: {
            correlationId: move.correlationId,
            ...(messageTimeoutAtMs !== undefined ? { timeoutAt: toIso(messageTimeoutAtMs) } : {}),
          },
        }
      : {}),
    continuedAsNew,
  };
}
