/**
 * Heartbeat details of the running activity attempt. Temporal hands an attempt the details of the
 * last heartbeat recorded before it (`activityInfo().heartbeatDetails`), so they are the one place
 * an attempt can leave a note for the next: a create call records when it sent its request, and a
 * retry knows how long ago the request whose answer was lost went out. Every heartbeat of the
 * attempt (the exchange beats while waiting) carries the current details, so none erases them.
 */
import { Context } from '@temporalio/activity';

const details = new WeakMap<Context, unknown>();

/** Sets the details every later heartbeat of this attempt carries. */
export function setHeartbeatDetails(value: unknown): void {
  details.set(Context.current(), value);
}

/** The details this attempt's heartbeats carry: set by it, else those it was handed. */
export function currentHeartbeatDetails(): unknown {
  const context = Context.current();
  return details.has(context) ? details.get(context) : context.info.heartbeatDetails;
}
