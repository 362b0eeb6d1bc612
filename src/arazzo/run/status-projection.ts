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
  blocking?: Blocking;
  /** Absent until the plan is resolved (or carried). */
  run?: { plan: ExecutionPlan; state: RunState; move: Move; startedAtMs: number };
}
