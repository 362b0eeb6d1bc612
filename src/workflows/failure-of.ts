/**
 * A run's failure as Temporal sees it.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { RunFailure } from '../arazzo/run/index.js';

/** Why the run ended early, as a non-retryable failure the caller can match on by type. */
export function failureOf(failure: RunFailure): ApplicationFailure {
  const { message, type, details } = failure;
  return ApplicationFailure.nonRetryable(message, type, ...(details === undefined ? [] : [details]));
}
