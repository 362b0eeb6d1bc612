/**
 * Every failure type a run ends with or an activity throws (`ApplicationFailure.type`): the one
 * list, with what each means. Clients, scripts and tests match on these strings, so they never
 * change once released. A leaf module (no imports): the pure core, the workflow, the activities
 * and the client all read it.
 *
 * Not listed: a document's own `failErrorType` values (e.g. `AirbyteJobFailed` in the catalog's
 * Airbyte documents: data, not code), and the client's labels for Temporal's own endings
 * (`Cancelled`, `Terminated`, `TimedOut(...)`, in `src/cli/runs/failure.ts`).
 */
export const Failure = {
  // A run refused before any request (the prepare activity, or the workflow's own argument check)
  /** The workflow type is not in this worker's catalog. */
  unknownWorkflow: 'ArazzoUnknownWorkflow',
  /** Inputs fail the schema or are too large, or a reserved workflow argument was passed. */
  invalidInput: 'ArazzoInvalidInput',

  // The document's own control flow (the pure core's `fail` moves)
  /** A step failed and no failure action handled it. */
  stepFailed: 'ArazzoStepFailed',
  /** A step could not be run: no operation, an unbuildable request, a bad goto target, ... */
  stepError: 'ArazzoStepError',
  /** More than `maxSteps` steps were executed (a runaway goto loop). */
  stepBudgetExhausted: 'ArazzoStepBudgetExhausted',
  /** A workflow step, `dependsOn` workflow or goto-workflow detour failed. */
  workflowFailed: 'ArazzoWorkflowFailed',
  /** Default `failErrorType`: a tracked job ended in one of the `failOnStatuses`. */
  resourceFailed: 'ArazzoResourceFailed',

  // The workflow driver
  /** A cancel signal ended the run (its own jobs cancelled; jobs it did not start left running). */
  runCancelled: 'ArazzoRunCancelled',
  /** `executionTimeoutSeconds` reached; the job was cancelled. */
  executionTimeout: 'ArazzoExecutionTimeout',
  /** `waitTimeoutSeconds` reached; the job was left running. */
  waitTimeout: 'ArazzoWaitTimeout',
  /** A bug in workflow code: fails the run instead of retrying its workflow task for ever. */
  internalError: 'ArazzoInternalError',

  // The operation-call activity
  /** No connection is configured for the request's source description. */
  unknownSource: 'UnknownSource',
  /** The request would leave the configured base URL. */
  unsafeRequestUrl: 'UnsafeRequestUrl',
  /** The request cannot be sent (control characters, a value the HTTP client refuses). */
  httpRequestInvalid: 'HttpRequestInvalid',
  /** No answer: timeout, reset, DNS (retried). */
  httpTransportError: 'HttpTransportError',
  /** A status worth retrying (429, 5xx as configured), after the server's `Retry-After`. */
  httpRetryableStatus: 'HttpRetryableStatus',
  /** The token request got no answer; no API request was sent (retried at once). */
  tokenRequestFailed: 'TokenRequestFailed',
  /** The token endpoint refused the credentials or answered without a token. */
  authenticationFailed: 'AuthenticationFailed',
  /** `onConflict: fail`, and the server answered a conflict. */
  resourceConflict: 'ResourceConflict',
  /** A conflict, but no active resource was found to attach to (retried: it may have ended). */
  resourceConflictUnresolved: 'ResourceConflictUnresolved',
  /** `onConflict: wait`, and the resource in the way ended between two calls (retried). */
  resourceBusy: 'ResourceBusy',
  /** A lost create's outcome is still unknown inside its settle window: look again before creating. */
  createOutcomeUnknown: 'CreateOutcomeUnknown',
  /** The adoption lookup before a create failed (retried on a retryable status). */
  adoptLookupFailed: 'AdoptLookupFailed',
} as const;

export type FailureType = (typeof Failure)[keyof typeof Failure];

/** Every failure type, for checks that a string is one of them. */
export const FAILURE_TYPES: readonly FailureType[] = Object.values(Failure);

/**
 * Operation-call failures the retry policy never retries, whatever the attempt. Types thrown both
 * retryable and non-retryable (`AdoptLookupFailed`) must never be listed here.
 */
export const NEVER_RETRIED_CALL_FAILURES: FailureType[] = [Failure.resourceConflict];
