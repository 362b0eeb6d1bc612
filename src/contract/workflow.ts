/**
 * Messages every Arazzo workflow answers. Exported as constants so clients use the same names:
 * `temporal workflow signal --name cancel`, `temporal workflow query --type status`.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JsonObject, JsonValue } from '../arazzo/model.js';

export interface CancelRequest {
  /** Why the run is cancelled; recorded in history and in the run's details. */
  reason?: string;
}

/** Cancels the run's in-flight server job (an Airbyte job) at once; the run then ends through the document's own terminal path. */
export const cancelSignal = defineSignal<[CancelRequest?]>('cancel');

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

export const statusQuery = defineQuery<RunStatus>('status');
