/**
 * The execution plan: everything a run needs, resolved at the edge (worker start) and handed to
 * workflow code as plain JSON. It is recorded in workflow history at the start of a run, so an
 * edited catalog never changes what a running workflow does.
 */
import type { ArazzoDocument, JsonValue, ParameterLocation } from './model.js';
import type { PollSchedule } from './run/poll-schedule.js';

/** An OpenAPI parameter as the request builder needs it. */
export interface OperationParameter {
  name: string;
  /** `querystring` (OpenAPI 3.2): the parameter's value is the whole query string. */
  in: ParameterLocation | 'querystring';
  required: boolean;
  /** OpenAPI `style`; defaults per location are applied by the loader (path/header: simple, query/cookie: form). */
  style: 'simple' | 'form' | 'label' | 'matrix' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  explode: boolean;
  /** `allowReserved` for query parameters. */
  allowReserved?: boolean;
  /** For `in: querystring`: the media type of its `content` (form, JSON, or another text type). */
  contentType?: string;
}

/**
 * What a step that creates a long-lived server resource (an Airbyte job) needs to know about it.
 * Declared in the OpenAPI description as the `x-temporal-resource` extension on the creating
 * operation, never in TypeScript branches.
 */
export interface ResourceSpec {
  /** Human name ("job") for messages. */
  kind: string;
  /** JSON Pointer to the resource id in a response body (`/jobId`). */
  idPointer: string;
  /** JSON Pointer to the status in a response body (`/status`). */
  statusPointer: string;
  /** Statuses after which the resource can no longer be cancelled. */
  terminalStatuses: string[];
  /** Statuses known to be non-terminal; anything else is unknown (treated as non-terminal, with a warning). */
  activeStatuses: string[];
  /** How to cancel it: an operation (by key in `ExecutionPlan.operations`) and its parameter values. */
  cancel?: {
    operation: string;
    /** Runtime-expression values; `$response.body#/…` refers to the creating response. */
    parameters: Array<{ name: string; in: ParameterLocation; value: JsonValue }>;
  };
  /**
   * How to read it again (Airbyte `getJob`): sent right before a cancel, so a cancel that acts on
   * whatever runs now (Airbyte cancels per connection) is only sent while ours still runs.
   */
  read?: {
    operation: string;
    /** Runtime-expression values; `$response.body#/…` refers to the creating response. */
    parameters: Array<{ name: string; in: ParameterLocation; value: JsonValue }>;
  };
  /**
   * How to find the resource when the create call's outcome is unknown (timeout, 5xx, reset) or
   * the server answered a conflict (Airbyte: 409 while a sync runs): list candidates and adopt the
   * newest active one instead of creating a duplicate.
   */
  adopt?: {
    conflictStatuses: number[];
    operation: string;
    /** Runtime-expression values; `$request.body#/…` refers to the create request. */
    parameters: Array<{ name: string; in: ParameterLocation; value: JsonValue }>;
    /** JSON Pointer to the array of candidates in the list response (`/data`). */
    itemsPointer: string;
    /** Candidate fields that must equal the create request's (e.g. `{ "/jobType": "$request.body#/jobType" }`). */
    match?: Record<string, string>;
    /** JSON Pointer to the candidate's creation time (ISO string), to tell "ours" after an unknown outcome. */
    createdAtPointer?: string;
    /**
     * Which conflict answers mean "one is already running" (adopt or wait): body fields (JSON
     * Pointer → regular expression) that must all match. Any other conflict answer fails the step
     * at once. Without it, every conflict status means "running".
     */
    conflictMatch?: Record<string, string>;
    /** When the server refuses the lookup's ordering (older Airbyte): look again unordered, page by page. */
    unorderedFallback?: UnorderedFallback;
  };
}

/** How to repeat a lookup without its ordering parameters: every page, with limit/offset. */
export interface UnorderedFallback {
  /** Query parameters dropped (`orderBy`). */
  dropParameters: string[];
  limitParameter: string;
  offsetParameter: string;
  pageSize: number;
  /** Pages read at most (the newest jobs come last when unordered). */
  maxPages: number;
}

/** A resolved OpenAPI operation. */
export interface OperationPlan {
  /** Stable key, also the Temporal activity type: `<sourceName>.<operationId>` (or `<sourceName>.<METHOD> <path>`). */
  key: string;
  sourceName: string;
  operationId?: string;
  method: string;
  /** Path template relative to the server URL, e.g. `/jobs/{jobId}`. */
  path: string;
  /** Server URL from the OpenAPI description; configuration may override it in the activity. */
  serverUrl?: string;
  parameters: OperationParameter[];
  requestBody?: { required: boolean; contentTypes: string[] };
  resource?: ResourceSpec;
  /**
   * Set on operations that read a resource another operation creates (Airbyte `getJob` reads what
   * `createJob` creates): the key of the creating operation, whose ResourceSpec applies. Declared with
   * `x-temporal-observes: <operationId>`. A run tracks such a resource's status (for the
   * failure policy) but never cancels a resource it did not create.
   */
  observes?: string;
}

/** Run options; from the document's `x-temporal` extension, worker configuration and the reserved input field. */
export interface RunOptions {
  /** Delay before a goto back to a step already run (a poll), in seconds. */
  pollIntervalSeconds: number;
  /** Multiply the poll delay by this after each poll (1 = fixed interval). */
  pollBackoff: number;
  /** Upper bound of the poll delay, in seconds. */
  maxPollIntervalSeconds: number;
  /** Stop waiting and fail (leaving the job running) after this many seconds; 0 = never. */
  waitTimeoutSeconds: number;
  /** Cancel the job and fail after this many seconds; 0 = never. */
  executionTimeoutSeconds: number;
  /** What to do when a job is already running for the connection: attach to it, wait for it, or fail. */
  onConflict: 'attach' | 'wait' | 'fail';
  /** Fail the Temporal run when the workflow ends with a resource in one of these statuses. */
  failOnStatuses: string[];
  /** The failure type used then (e.g. `AirbyteJobFailed`). */
  failErrorType: string;
  /** Safety bound on steps executed in one run (across continue-as-new). */
  maxSteps: number;
  /** Continue-as-new once a run's history has this many events (or when the server suggests it). */
  historyEventLimit: number;
  /** How long Temporal keeps retrying one HTTP call that fails transiently (5xx, 429, timeouts), in seconds. */
  callRetryWindowSeconds: number;
  /**
   * How safe reads (GET/HEAD: every poll) run: as local activities (6 history events per poll
   * iteration, see docs/benchmarks.md) or regular ones (11 events, visible as activity tasks).
   * Calls that change something (createJob, cancelJob) always run as regular activities.
   */
  readActivity: 'local' | 'regular';
  /**
   * Whether a cancel (signal, Temporal cancellation, execution timeout) may stop a job this run did
   * not create but attached to after a conflict (a scheduled sync already running). Default false:
   * such a job is left running. Jobs this run created, or found again after an unknown outcome,
   * are always cancelled. Missing in plans recorded before the option existed: false.
   */
  cancelAdoptedJobs: boolean;
  /**
   * After a create whose answer was lost, retries only look for the resource (never create again)
   * until this many seconds after the lost request was sent; 0 = 5 × the source's HTTP timeout.
   */
  createSettleSeconds: number;
  /**
   * How the wait between polls grows (src/arazzo/run/poll-schedule.ts): `constant`, or with the
   * run's age. Missing in plans recorded before the option existed: constant.
   */
  pollSchedule?: PollSchedule;
  /**
   * Where a poll loop runs: `workflow` (a durable timer and a read per poll) or `activity` (one
   * heartbeating activity polls until the loop would end or a window elapses). Missing: workflow.
   */
  pollIn?: 'workflow' | 'activity';
}

export interface ExecutionPlan {
  planVersion: 1;
  /** Where the document came from (for messages only). */
  documentPath: string;
  /** sha256 of the document bytes. */
  documentHash: string;
  /** The root document. */
  document: ArazzoDocument;
  /** The workflow this plan runs. */
  workflowId: string;
  /** Operations keyed by `OperationPlan.key`. */
  operations: Record<string, OperationPlan>;
  /** For each `<workflowId>/<stepId>` that calls an operation, the operation key. */
  stepOperations: Record<string, string>;
  /** Source description urls, by name (for `$sourceDescriptions.<name>.url`). */
  sourceUrls: Record<string, string>;
  options: RunOptions;
}
