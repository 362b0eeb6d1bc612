/**
 * Bench-only: the least a run can be. One activity, then done: no Arazzo plan, no document, no
 * local activity. The burst scenario starts N of these at once to measure how fast this machine's
 * dev server and an SDK worker take a burst of starts, whatever the workflow does.
 */
import { proxyActivities } from '@temporalio/workflow';

export interface BurstActivities {
  touch(): Promise<number>;
}

const { touch } = proxyActivities<BurstActivities>({ startToCloseTimeout: '1 minute' });

export async function burstNoop(): Promise<number> {
  return touch();
}
