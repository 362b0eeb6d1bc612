/**
 * `pollIn: 'activity'` on the workflow side: a poll move runs as one heartbeating activity that
 * polls until the loop would end or its window elapses (src/activities/poll.ts), instead of a
 * durable timer and a read per poll. A `cancel` signal cancels the activity at once; a Temporal
 * cancellation reaches it through the scope as usual.
 */
import { CancellationScope, condition, proxyActivities } from '@temporalio/workflow';
import type { Move } from '../arazzo/machine/index.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import {
  CALL_RETRY_POLICY,
  type ArazzoActivities,
  type PollLoopInput,
  type PollLoopResult,
} from '../contract/index.js';

/** One activity polls at most this long; then the workflow records the last response and starts the next. */
export const POLL_WINDOW_SECONDS = 600;

/**
 * A worker that died is noticed after this long (then a retry polls at once on another worker).
 * Heartbeats that reach the server are Temporal Cloud actions; the SDK sends at most one per
 * 80 % of this timeout.
 */
export const POLL_HEARTBEAT_TIMEOUT_SECONDS = 60;

/** Whether this move is a poll that the run carries out inside the polling activity. */
export function pollsInActivity(plan: ExecutionPlan, move: Move): boolean {
  return plan.options.pollIn === 'activity' && move.type === 'call' && move.reason === 'poll';
}

/**
 * Runs the polling activity. Resolves with its result, or with undefined when `woken` became true
 * first (a `cancel` signal): the activity is then cancelled and the caller handles the signal.
 */
export async function pollInActivity(
  input: PollLoopInput,
  woken: () => boolean,
): Promise<PollLoopResult | undefined> {
  const { pollOperation } = proxyActivities<Pick<ArazzoActivities, 'pollOperation'>>({
    startToCloseTimeout: `${input.windowSeconds + 2 * POLL_HEARTBEAT_TIMEOUT_SECONDS} seconds`,
    heartbeatTimeout: `${POLL_HEARTBEAT_TIMEOUT_SECONDS} seconds`,
    scheduleToCloseTimeout: `${input.windowSeconds + input.plan.options.callRetryWindowSeconds} seconds`,
    retry: CALL_RETRY_POLICY,
  });
  const scope = new CancellationScope();
  const polled = scope.run(() => pollOperation(input));
  const signalled = scope
    .run(() => condition(woken))
    .then(
      () => undefined,
      () => undefined,
    );
  let first: { result: PollLoopResult } | undefined;
  try {
    first = await Promise.race([polled.then((result) => ({ result })), signalled]);
  } finally {
    // Whichever came first, the other is done with: the activity, or a condition nobody waits for.
    scope.cancel();
  }
  if (first !== undefined) return first.result;
  await polled.catch(() => undefined);
  return undefined;
}
