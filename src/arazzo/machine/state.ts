/**
 * The interpreter's state and its moves. Both are plain JSON: the Temporal workflow carries the
 * state across continue-as-new and records every move's outcome in history.
 */
import type { JsonObject, JsonValue } from '../model.js';
import type { UnorderedFallback } from '../plan.js';
import type { HttpRequestSpec } from '../request/index.js';
import type { ReceiveMove } from './receive-step.js';

/** A response as the machine judges it (what the HTTP activity returns; plain JSON, recorded in history). */
export interface StepResponse {
  statusCode: number;
  /** Lower-case names, repeated headers joined with ", "; `set-cookie` and auth headers dropped. */
  headers: Record<string, string>;
  body?: JsonValue;
  /** The body exceeded the size cap: `body` is a marker plus the start of the text. */
  bodyTruncated?: boolean;
  /** The URL called, without credentials or secret query values. */
  url: string;
  method: string;
  /** Set when the activity adopted an existing resource instead of creating one; `body` is that resource. */
  adopted?: { reason: 'conflict' | 'unknown-outcome'; resourceId: JsonValue };
  /**
   * Set with `onConflict: wait` when the create was refused because this resource is running: the
   * run waits for it to end (polling the adoption lookup on timers), then creates its own.
   */
  blockedBy?: { resourceId: JsonValue; status: string };
}

/**
 * How to find an existing resource instead of creating a duplicate, built by the workflow from
 * `ResourceSpec.adopt` and the run options (see plan.ts for the fields' sources).
 */
export interface AdoptRequest {
  /** The list request (Airbyte `listJobs` for the connection, newest first), already built. */
  lookup: HttpRequestSpec;
  /** JSON Pointer to the candidate array in the lookup response (`/data`). */
  itemsPointer: string;
  /** JSON Pointer to a candidate's id (`/jobId`). */
  idPointer: string;
  /** JSON Pointer to a candidate's status (`/status`). */
  statusPointer: string;
  /** Statuses of a resource still in progress. */
  activeStatuses: string[];
  /**
   * A candidate is active unless its status is one of these, so statuses the server added later
   * (Airbyte's `queued`) still count as active. Without it, only `activeStatuses` are active.
   */
  terminalStatuses?: string[];
  /** JSON Pointer to a candidate's creation time (ISO string or epoch seconds/milliseconds). */
  createdAtPointer?: string;
  /**
   * Candidate fields (JSON Pointer → value) that must equal the create request's, already resolved
   * from the extension's runtime expressions: `{ "/jobType": "sync" }`, so a reset is never
   * adopted as our sync.
   */
  match?: Record<string, JsonValue>;
  /** Response statuses that may mean "another resource is in the way" (Airbyte: 409). */
  conflictStatuses: number[];
  /**
   * Body fields (JSON Pointer → regular expression) that must all match for a conflict answer to
   * mean "one is already running"; any other conflict answer fails the call at once.
   */
  conflictMatch?: Record<string, string>;
  onConflict: 'attach' | 'wait' | 'fail';
  /** Repeat the lookup unordered when the server refuses its ordering (Airbyte before 0.53.1). */
  unorderedFallback?: UnorderedFallback;
  /**
   * After a create whose outcome is unknown, retries only look (never create) until this many
   * seconds after that create was sent; 0 or absent: 5 × the source's HTTP timeout.
   */
  settleSeconds?: number;
}

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

/** A step's call. */
export type CallMove = Extract<Move, { type: 'call' }>;

/** A move still to carry out (after its `delaySeconds`): a call, a workflow run, or a receive wait. */
export type DelayedMove = Extract<Move, { type: 'call' | 'runWorkflow' | 'receive' }>;

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
