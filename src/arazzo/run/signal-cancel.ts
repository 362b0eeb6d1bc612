/**
 * A cancel asked for by the `cancel` signal: what is recorded before any cancel request is sent,
 * and how the run ends once they were sent. (A Temporal cancellation needs no verdict: the run
 * ends Canceled after its jobs' cancels.)
 */
import { Failure } from '../failures.js';
import type { DelayedMove, RunState } from '../machine/index.js';
import type { Blocking } from './conflict-wait.js';
import type { RunFailure } from './ending.js';

/**
 * Records the request in the state (a `cancelled` outcome is then the caller's wish, not a failure)
 * and notes whether any job still ran, decided before any cancel is sent.
 */
export function recordCancelRequest(
  state: RunState,
  request: { reason: string },
): { state: RunState; hadActive: boolean } {
  return {
    state: { ...state, cancelRequested: request },
    hadActive: state.resources.some((r) => !r.terminal),
  };
}

/**
 * How the run ends after the cancels were sent, or undefined when it polls at once so the document
 * sees its job end. Runs on every iteration while a cancel is pending: if every job turned terminal
 * and the document polls again instead of ending, the run fails here (today's behaviour, kept).
 */
export function cancelVerdict(after: {
  state: RunState;
  request: { reason: string };
  hadActive: boolean;
  blocking?: Blocking;
  /** Runs that cancel only their own jobs (the cancel-own patch) end when only others' are left. */
  ownOnly: boolean;
}): RunFailure | undefined {
  const { state, request, hadActive, blocking, ownOnly } = after;
  if (!hadActive && blocking) {
    // The resource waited for is not this run's: it keeps running.
    return {
      message: `run cancelled while waiting for ${blocking.kind} ${String(blocking.resourceId)} to end (left running): ${request.reason}`,
      type: Failure.runCancelled,
      details: { reason: request.reason, waitedFor: blocking.resourceId },
    };
  }
  // Only jobs this run did not start are left (attached after a conflict, or waited on): the run
  // ends now and leaves them running, rather than waiting for them to end.
  const active = state.resources.filter((r) => !r.terminal);
  if (ownOnly && active.length > 0 && active.every((r) => !r.cancelSent)) {
    return {
      message: `run cancelled: ${request.reason}; left running (not started by this run): ${active
        .map((r) => `${r.kind} ${String(r.id)}`)
        .join(', ')}`,
      type: Failure.runCancelled,
      details: {
        reason: request.reason,
        leftRunning: active.map((r) => ({ kind: r.kind, id: r.id, status: r.status ?? null })),
      },
    };
  }
  if (!hadActive) {
    return {
      message: `run cancelled before any job was running: ${request.reason}`,
      type: Failure.runCancelled,
      details: { reason: request.reason },
    };
  }
  return undefined;
}

/** The move without its delay: poll now. */
export function pollNow<M extends DelayedMove>(move: M): M {
  return { ...move, delaySeconds: 0 };
}
