/**
 * How a run ends: the outputs of an `end` move, or the failure a caller can match on.
 */
import { Failure } from '../failures.js';
import type { Move } from '../machine/index.js';
import type { JsonObject } from '../model.js';

/** A run's failure before it becomes a non-retryable `ApplicationFailure` (message, type, details). */
export interface RunFailure {
  message: string;
  type: string;
  details?: JsonObject;
}

/** The end of the run `move` asks for, or undefined when the run goes on. */
export function endingOf(move: Move): { outputs: JsonObject } | { failure: RunFailure } | undefined {
  if (move.type === 'end') return { outputs: move.outputs };
  if (move.type === 'fail') {
    return {
      failure: {
        message: move.message,
        type: move.errorType,
        details: { stepId: move.stepId ?? null, ...(move.details ?? {}) },
      },
    };
  }
  return undefined;
}

/** A bug in workflow code: the run fails with a clear cause instead of retrying its task forever. */
export function internalFailure(move: Move, error: unknown): RunFailure {
  const where = move.type === 'call' || move.type === 'runWorkflow' ? ` at step ${move.stepId ?? '?'}` : '';
  return {
    message: `internal error${where}: ${error instanceof Error ? error.message : String(error)}`,
    type: Failure.internalError,
  };
}
