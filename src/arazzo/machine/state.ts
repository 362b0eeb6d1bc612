/**
 * The interpreter's state and its moves. Both are plain JSON: the Temporal workflow carries the
 * state across continue-as-new and records every move's outcome in history.
 */
import type { JsonObject, JsonValue } from '../model.js';
import type { AdoptRequest } from '../contract.js';
import type { HttpRequestSpec } from '../request.js';
import type { ReceiveMove } from './receive.js';

export type { AdoptRequest, StepResponse } from '../contract.js';

/** A server-side resource a step created (an Airbyte job), tracked so a cancel can stop it. */
export interface TrackedResource {
  kind: string;
  stepId: string;
  operation: string;
  id: JsonValue;
  /** Last status seen in any response that carried this resource's id. */
  status?: string;
  /** The step whose response last reported the status (the poll, usually). */
  seenBy?: string;
  terminal: boolean;
  /** The request that cancels it, built from the creating response. */
  cancel?: HttpRequestSpec;
  /** The request that reads it again, sent right before a cancel to confirm it still runs. */
  read?: HttpRequestSpec;
  /** True once a cancel request was sent: it is never sent twice. */
  cancelSent?: boolean;
  adopted?: 'conflict' | 'unknown-outcome';
}

/** Moves the driver carries out. */
export type Move =
  | {
      type: 'call';
      stepId: string;
      request: HttpRequestSpec;
      adopt?: AdoptRequest;
      /** Sleep this long (durably) before calling: a poll interval or a retry delay. */
      delaySeconds: number;
      /** Why there is a delay, for the UI and logs. */
      reason: 'step' | 'poll' | 'retry';
      /** How many times this step has started (1 for the first run). */
      visit: number;
    }
  | {
      type: 'runWorkflow';
      /** The step that runs it, or undefined for `dependsOn` and `goto` a workflow. */
      stepId?: string;
      workflowId: string;
      inputs: JsonObject;
      purpose: WorkflowPurpose;
      delaySeconds: number;
    }
  | ReceiveMove
  | { type: 'end'; outputs: JsonObject }
  | { type: 'fail'; errorType: string; message: string; stepId?: string; details?: JsonObject };

/** Why a workflow runs inside another: a workflow step, a `goto` to a workflow, a dependency, or a retry's detour. */
export type WorkflowPurpose = 'step' | 'goto' | 'dependsOn' | 'retry';

/** Outcome of a sub-workflow, fed back with `afterWorkflow`. */
export type WorkflowOutcome = { ok: true; outputs: JsonObject } | { ok: false; message: string };

export interface RunState {
  workflowId: string;
  inputs: JsonObject;
  /** Outputs of steps that have run, by stepId. */
  steps: Record<string, { outputs: JsonObject }>;
  /** Inputs and outputs of workflows that ran (dependencies, sub-workflows). */
  workflows: Record<string, { inputs?: JsonObject; outputs?: JsonObject }>;
  /** Workflows of `dependsOn` still to run. */
  pendingDependencies: string[];
  /** Times each step has started. */
  visits: Record<string, number>;
  /** Retries used, by `<stepId>/<actionName>`. */
  retries: Record<string, number>;
  /** After a retry action with a `stepId`, the step to return to once that target has run. */
  returnTo?: string;
  /** Steps started in this run, across continue-as-new. */
  stepsExecuted: number;
  resources: TrackedResource[];
  /** Last response status code seen, for status queries. */
  lastStatusCode?: number;
  /** What is in flight: the step and its request, or the workflow being run. */
  current?: {
    stepId?: string;
    request?: HttpRequestSpec;
    workflow?: { workflowId: string; purpose: WorkflowPurpose; inputs: JsonObject };
  };
  /** Set once a cancel was requested by signal: a `cancelled` outcome is then the caller's wish, not a failure. */
  cancelRequested?: { reason: string };
}
