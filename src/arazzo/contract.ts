/**
 * The contract between the workflow and its activities, in one place: the messages that cross the
 * line (the workflow builds them from the plan and the state machine, the activities read them;
 * plain JSON, recorded in history), the activities' signatures that the workflow's proxies and the
 * worker's registration are both typed from, and the one retry policy of each. Importable from
 * workflow code (no I/O here; inside the ESLint determinism wall with the rest of src/arazzo).
 */
import type { RetryPolicy } from '@temporalio/common';
import { NEVER_RETRIED_CALL_FAILURES } from './failures.js';
import type { JsonObject, JsonValue } from './model.js';
import type { HttpRequestSpec } from './request.js';
import type { ExecutionPlan, UnorderedFallback } from './plan.js';

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

/** Input of one operation call (the activity whose type is the operation key). */
export interface CallInput {
  request: HttpRequestSpec;
  /** Present for calls that create a long-lived resource (an Airbyte job): how to adopt instead of duplicating. */
  adopt?: AdoptRequest;
}

/** The operation-call activity: registered as the worker's default activity, its type is `request.operation`. */
export type CallOperation = (input: CallInput) => Promise<StepResponse>;

/** The dynamic proxy the workflow calls: any operation key names the same activity. */
export type OperationActivities = Record<string, CallOperation>;

/** Input of the first activity of every run (a local activity). */
export interface PrepareRunInput {
  /** The Temporal workflow type: the Arazzo workflowId to run. */
  workflowType: string;
  inputs: unknown;
  /** A parent run's plan, for sub-workflows and dependencies (no catalog look-up then). */
  plan?: ExecutionPlan;
}

export interface PrepareRunResult {
  plan: ExecutionPlan;
  inputs: JsonObject;
  /** Short scalar inputs, for the run's memo (what the UI shows): the connection id, the job type. */
  memoInputs: JsonObject;
}

/**
 * What the worker registers (`satisfies ArazzoActivities` in worker/setup.ts) and what the
 * workflow's proxies are typed from, so a change of either side fails `tsc`.
 */
export interface ArazzoActivities {
  prepareArazzoRun(input: PrepareRunInput): Promise<PrepareRunResult>;
  /** The default activity: one per operation key (`activityInfo().activityType`). */
  default: CallOperation;
}

/** The one retry policy of operation calls, regular and local activities alike. */
export const CALL_RETRY_POLICY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '60 seconds',
  nonRetryableErrorTypes: NEVER_RETRIED_CALL_FAILURES,
};

/** The retry policy of `prepareArazzoRun` (a refused run is non-retryable anyway). */
export const PREPARE_RETRY_POLICY: RetryPolicy = { maximumAttempts: 3 };
