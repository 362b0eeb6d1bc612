/**
 * The run's two deadlines (`waitTimeoutSeconds`, `executionTimeoutSeconds`) and the durable wait of
 * a delayed move, cut short at the nearer one. No clock here: the driver passes `nowMs`.
 */
import { Failure } from '../failures.js';
import type { DelayedMove, TrackedResource } from '../machine/index.js';
import type { RunOptions } from '../plan.js';
import type { RunFailure } from './ending.js';

/** Epoch milliseconds of each deadline the run has (0 in the options: none). */
export interface RunDeadlines {
  waitAtMs?: number;
  executionAtMs?: number;
}

/** The deadlines of a run started at `startedAtMs`. */
export function runDeadlines(
  options: Pick<RunOptions, 'waitTimeoutSeconds' | 'executionTimeoutSeconds'>,
  startedAtMs: number,
): RunDeadlines {
  const { waitTimeoutSeconds, executionTimeoutSeconds } = options;
  return {
    ...(waitTimeoutSeconds > 0 ? { waitAtMs: startedAtMs + waitTimeoutSeconds * 1000 } : {}),
    ...(executionTimeoutSeconds > 0 ? { executionAtMs: startedAtMs + executionTimeoutSeconds * 1000 } : {}),
  };
}

/** The deadline reached at `nowMs`; the execution deadline wins when both are (it cancels the job). */
export function expiredDeadline(deadlines: RunDeadlines, nowMs: number): 'execution' | 'wait' | undefined {
  if (deadlines.executionAtMs !== undefined && nowMs >= deadlines.executionAtMs) return 'execution';
  if (deadlines.waitAtMs !== undefined && nowMs >= deadlines.waitAtMs) return 'wait';
  return undefined;
}

/** The failure of a reached deadline, with every tracked resource's last status. */
export function deadlineFailure(
  kind: 'execution' | 'wait',
  options: Pick<RunOptions, 'waitTimeoutSeconds' | 'executionTimeoutSeconds'>,
  resources: TrackedResource[],
): RunFailure {
  const details = { resources: resources.map((r) => ({ id: r.id, status: r.status ?? null })) };
  return kind === 'execution'
    ? {
        message: `execution timeout of ${options.executionTimeoutSeconds} s reached; the job was cancelled`,
        type: Failure.executionTimeout,
        details,
      }
    : {
        message: `wait timeout of ${options.waitTimeoutSeconds} s reached; the job was left running`,
        type: Failure.waitTimeout,
        details,
      };
}

/** A durable wait: how long, whether a deadline cut it short, and when the next poll is due. */
export interface WaitPlan {
  delayMs: number;
  /** The nearer deadline ends the wait before the move's delay: re-check deadlines, do not call. */
  cutShort: boolean;
  nextPollAtMs: number;
}

/** Milliseconds until the nearer deadline (0 when passed), Infinity without one. */
export function msUntilDeadline(deadlines: RunDeadlines, nowMs: number): number {
  const ends = [deadlines.waitAtMs, deadlines.executionAtMs].filter((d): d is number => d !== undefined);
  return ends.length > 0 ? Math.max(0, Math.min(...ends) - nowMs) : Infinity;
}

/** The wait before a delayed move, ended early at the nearest deadline. */
export function planWait(move: DelayedMove, deadlines: RunDeadlines, nowMs: number): WaitPlan {
  const untilDeadline = msUntilDeadline(deadlines, nowMs);
  const delayMs = Math.min(move.delaySeconds * 1000, untilDeadline);
  return { delayMs, cutShort: delayMs < move.delaySeconds * 1000, nextPollAtMs: nowMs + delayMs };
}
