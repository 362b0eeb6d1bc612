/**
 * A run's failure as a person or a script wants it: the failure type (one of `Failure` in
 * src/arazzo/failures.ts, a document's own `failErrorType` such as `AirbyteJobFailed`, or one of
 * the labels below for Temporal's own endings), its message, its details, and the causes under it.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
} from '@temporalio/client';
import { formatValue } from '../output.js';

/** The client's labels for endings that carry no failure type of ours. */
export const ClientFailureLabel = {
  cancelled: 'Cancelled',
  terminated: 'Terminated',
  /** Followed by the timeout type in parentheses: `TimedOut(START_TO_CLOSE)`. */
  timedOut: 'TimedOut',
} as const;

export interface FailureSummary {
  /** A `Failure` type, a document's `failErrorType`, a `ClientFailureLabel`, or an error's name. */
  type: string;
  message: string;
  details?: unknown;
  /** Messages of the failures under this one, outermost first. */
  causes: string[];
}

function typeOf(failure: Error): string {
  if (failure instanceof ApplicationFailure) return failure.type ?? 'ApplicationFailure';
  if (failure instanceof CancelledFailure) return ClientFailureLabel.cancelled;
  if (failure instanceof TerminatedFailure) return ClientFailureLabel.terminated;
  if (failure instanceof TimeoutFailure) return `${ClientFailureLabel.timedOut}(${failure.timeoutType})`;
  return failure.name;
}

function detailsOf(failure: Error): unknown {
  const details =
    failure instanceof ApplicationFailure || failure instanceof CancelledFailure
      ? failure.details
      : undefined;
  if (!details || details.length === 0) return undefined;
  return details.length === 1 ? details[0] : details;
}

/** Summarises what `handle.result()` threw. */
export function summariseFailure(error: unknown): FailureSummary {
  const top = error instanceof WorkflowFailedError && error.cause ? error.cause : error;
  if (!(top instanceof Error)) return { type: 'Error', message: String(top), causes: [] };
  const causes: string[] = [];
  for (
    let c = (top as { cause?: unknown }).cause, depth = 0;
    c instanceof Error && depth < 10;
    c = (c as { cause?: unknown }).cause, depth++
  ) {
    causes.push(`${typeOf(c)}: ${c.message}`);
  }
  const details = detailsOf(top);
  return { type: typeOf(top), message: top.message, ...(details !== undefined ? { details } : {}), causes };
}

/** `Failed: Type: message`, then details and causes, indented. */
export function formatFailure(failure: FailureSummary): string {
  let text = `${failure.type}: ${failure.message}\n`;
  if (failure.details !== undefined) {
    const details = failure.details;
    if (typeof details === 'object' && details !== null && !Array.isArray(details)) {
      text += '  details:\n';
      for (const [k, v] of Object.entries(details)) text += `    ${k}: ${formatValue(v)}\n`;
    } else {
      text += `  details: ${formatValue(details)}\n`;
    }
  }
  for (const cause of failure.causes) text += `  caused by ${cause}\n`;
  return text;
}
