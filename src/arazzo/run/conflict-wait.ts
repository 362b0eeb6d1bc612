/**
 * `onConflict: wait`: the run's bookkeeping while another resource blocks its create, and the
 * pace of its checks. Pure: the driver holds the record and sleeps on durable timers.
 */
import { activeResourceIn, lookupReadable, type AdoptRequest, type StepResponse } from '../machine/index.js';
import type { JsonValue } from '../model.js';
import type { RunOptions } from '../plan.js';

/**
 * `onConflict: wait`: the create of `stepId` was refused because this resource runs. The run polls
 * the adoption lookup on durable timers until no resource of the connection is active, then sends
 * the create once more. It never cancels that resource: it is not the run's own.
 */
export interface Blocking {
  stepId: string;
  kind: string;
  resourceId: JsonValue;
  status: string;
  /** Lookups made so far while waiting. */
  checks: number;
}

/** The wait before the n-th check of a blocking resource: the run's poll interval and backoff. */
export function blockingDelaySeconds(
  options: Pick<RunOptions, 'pollIntervalSeconds' | 'pollBackoff' | 'maxPollIntervalSeconds'>,
  check: number,
): number {
  const { pollIntervalSeconds, pollBackoff, maxPollIntervalSeconds } = options;
  const grown = pollIntervalSeconds * Math.pow(pollBackoff, Math.max(0, check - 1));
  return Math.min(Math.max(pollIntervalSeconds, maxPollIntervalSeconds), grown);
}

/** What one check of the blocking resource found (the adoption lookup, read like a poll). */
export type BlockingCheck =
  /** The lookup failed or cannot be read: the step fails like its own call would. */
  | { type: 'failed'; message: string }
  /** No resource of the connection is active any more: the create is sent again. */
  | { type: 'ended' }
  /** Still active: the (possibly newer) blocking resource; `changed` when its id or status moved. */
  | { type: 'blocked'; blocking: Blocking; changed: boolean };

/** The lookup operation's name in messages about a check of `current`. */
export function blockingCheckLabel(adopt: Pick<AdoptRequest, 'lookup'>, current: Blocking): string {
  return `${adopt.lookup.operation} (waiting for ${current.kind} ${String(current.resourceId)} to end)`;
}

/** Judges the lookup answer of one check of `current`. */
export function afterBlockingCheck(
  current: Blocking,
  adopt: AdoptRequest,
  listed: StepResponse,
): BlockingCheck {
  if (
    listed.statusCode < 200 ||
    listed.statusCode > 299 ||
    !lookupReadable(listed.body, adopt.itemsPointer)
  ) {
    return {
      type: 'failed',
      message: `${blockingCheckLabel(adopt, current)} answered ${listed.statusCode} without a list at ${adopt.itemsPointer}`,
    };
  }
  const active = activeResourceIn(listed.body, adopt);
  if (active === undefined) return { type: 'ended' };
  return {
    type: 'blocked',
    blocking: { ...current, resourceId: active.id, status: active.status, checks: current.checks + 1 },
    changed:
      JSON.stringify(active.id) !== JSON.stringify(current.resourceId) || active.status !== current.status,
  };
}
