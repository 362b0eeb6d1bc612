/**
 * The contract between the workflow and its activities, in one place: the messages that cross the
 * line (the workflow builds them from the plan and the state machine, the activities read them;
 * plain JSON, recorded in history), the activities' signatures that the workflow's proxies and the
 * worker's registration are both typed from, and the one retry policy of each. Importable from
 * workflow code (no I/O here; inside the ESLint determinism wall). The messages the pure core
 * itself builds or reads keep their one definition there and are re-exported by name.
 */
import type { RetryPolicy } from '@temporalio/common';
import { NEVER_RETRIED_CALL_FAILURES } from '../arazzo/failures.js';
import type { AdoptRequest, StepResponse } from '../arazzo/machine/index.js';
import type { JsonObject } from '../arazzo/model.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import type { HttpRequestSpec } from '../arazzo/request/index.js';
import type { PollLoopInput, PollLoopResult } from '../arazzo/run/poll-loop.js';
import type { SubscribeInput } from './mailbox.js';

export type { AdoptRequest, HttpRequestSpec, PollLoopInput, PollLoopResult, StepResponse };

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
  /** `pollIn: 'activity'`: a poll loop inside one heartbeating activity. */
  pollOperation: PollOperation;
  /** A receive step registers with the mailbox of its correlation (signal-with-start, so it works first or second). */
  subscribeMessage(input: SubscribeInput): Promise<void>;
}

/** The polling activity (`pollIn: 'activity'`): polls until the loop would end or its window elapses. */
export type PollOperation = (input: PollLoopInput) => Promise<PollLoopResult>;

/** The polling activity's name: registered under it, called by it, found in history by it. */
export const POLL_ACTIVITY = 'pollOperation' satisfies keyof ArazzoActivities;

/** The one retry policy of operation calls, regular and local activities alike. */
export const CALL_RETRY_POLICY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '60 seconds',
  nonRetryableErrorTypes: NEVER_RETRIED_CALL_FAILURES,
};

/** The retry policy of `prepareArazzoRun` (a refused run is non-retryable anyway). */
export const PREPARE_RETRY_POLICY: RetryPolicy = { maximumAttempts: 3 };
