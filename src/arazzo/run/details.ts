/**
 * The texts a run shows: the Web UI's current details (Markdown) and the lines worth a log entry.
 */
import type { CallMove, DelayedMove, ReceiveMove, TrackedResource } from '../machine/index.js';
import { describeRequest } from '../request/index.js';
import type { Blocking } from './conflict-wait.js';

/** Every tracked job and its last status, or `no job yet`. */
function jobSummary(resources: TrackedResource[]): string {
  return (
    resources.map((r) => `${r.kind} ${String(r.id)}: ${r.status ?? 'unknown'}`).join(', ') || 'no job yet'
  );
}

/** The details of a completed run. */
export function completedDetails(workflowId: string, resources: TrackedResource[]): string {
  return `**${workflowId}** completed. ${jobSummary(resources)}`;
}

/** Why the run waits: a poll, a retry, a sub-workflow, or another resource that must end first (also the timer's summary). */
export function waitReason(move: DelayedMove, blocking: Blocking | undefined): string {
  return blocking
    ? `${blocking.kind} ${String(blocking.resourceId)} (${blocking.status}) must end before ${blocking.stepId}`
    : `${move.type === 'call' ? move.reason : 'wait'} ${move.stepId ?? ''}`.trim();
}

/** The details while a delayed move waits. */
export function waitingDetails(
  workflowId: string,
  move: DelayedMove,
  blocking: Blocking | undefined,
  resources: TrackedResource[],
): string {
  return `**${workflowId}** waiting ${move.delaySeconds} s (${waitReason(move, blocking)}). ${jobSummary(resources)}`;
}

/** The details while a receive step waits for its message. */
export function receiveDetails(workflowId: string, move: ReceiveMove, resources: TrackedResource[]): string {
  return `**${workflowId}** step ${move.stepId} waits for message ${move.correlationId}. ${jobSummary(resources)}`;
}

/** The details while a step's call runs. */
export function callDetails(workflowId: string, call: CallMove, resources: TrackedResource[]): string {
  return `**${workflowId}** step ${call.stepId} (visit ${call.visit}): ${describeRequest(call.request)}. ${jobSummary(resources)}`;
}

/** The details while the run checks whether the resource that blocks its create still runs. */
export function blockingCheckDetails(
  workflowId: string,
  call: CallMove,
  blocking: Blocking,
  resources: TrackedResource[],
): string {
  return `**${workflowId}** step ${call.stepId} waits for ${blocking.kind} ${String(blocking.resourceId)} (${blocking.status}) to end: check ${blocking.checks + 1}. ${jobSummary(resources)}`;
}

/** Resources that appeared or changed status between two states (one log line each). */
export function changedResources(before: TrackedResource[], after: TrackedResource[]): TrackedResource[] {
  return after.filter((resource) => {
    const was = before.find((r) => r.operation === resource.operation && r.id === resource.id);
    return was?.status !== resource.status;
  });
}
