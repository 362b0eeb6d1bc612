/**
 * `onConflict: wait`: the run's bookkeeping while another resource blocks its create, and the
 * pace of its checks. Pure: the driver holds the record and sleeps on durable timers.
 */
import type { JsonValue } from '../model.js';

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
