/**
 * The contract of the workflow with its clients and with itself: the messages every Arazzo
 * workflow answers, exported as constants so clients use the same names (`temporal workflow signal
 * --name cancel`, `temporal workflow query --type status`), and the workflow's own second argument
 * (continue-as-new, a parent's plan).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JsonObject } from '../arazzo/model.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import type { CarriedRunData, RunStatus } from '../arazzo/run/index.js';

export type { RunStatus };

export interface CancelRequest {
  /** Why the run is cancelled; recorded in history and in the run's details. */
  reason?: string;
}

/** The `cancel` signal: cancels the run's in-flight server job (an Airbyte job) at once; the run then ends through the document's own terminal path. */
export const cancelSignal = defineSignal<[CancelRequest?]>('cancel');

/** The `status` query: the run as a client sees it (phase, step, jobs, deadlines). */
export const statusQuery = defineQuery<RunStatus>('status');

/** What continue-as-new carries into the next run: `{ plan, state, move, startedAtMs, continuedAsNew, blocking? }`. */
export type CarriedRun = CarriedRunData;

/** Passed by a parent run to a sub-workflow: the plan is already resolved, so the child uses it as is. */
export interface ChildRun {
  plan: ExecutionPlan;
}

/** The workflow's second argument: only ever set by this code itself (continue-as-new, sub-workflows). */
export type WorkflowArgument = { carried: CarriedRun } | ChildRun;

/** The signature of every Arazzo workflow type (the dynamic default workflow), for child runs and continue-as-new. */
export type ArazzoWorkflow = (inputs: unknown, extra?: WorkflowArgument) => Promise<JsonObject>;
