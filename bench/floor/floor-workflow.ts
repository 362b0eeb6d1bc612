/**
 * Bench-only: the Temporal TypeScript SDK's floor for the default design. The same history shape
 * as the engine's timer design (a regular activity creates the job; then, per iteration, one local
 * activity reads it and one durable timer waits), written by hand with nothing else: no Arazzo
 * plan, no criteria, no status, no cancel signal, no deadlines. What the engine costs per poll
 * above this is the engine's; what this costs is the SDK's and the server's.
 */
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { RetryPollActivities as FloorActivities } from '../workflows/retry-poll-activities.js';

export interface FloorPollInput {
  connectionId: string;
  'x-temporal'?: { pollIntervalSeconds?: number };
}

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

const { createJob } = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });
const { getJob } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export async function floorPoll(input: FloorPollInput): Promise<{ jobId: number; status: string }> {
  const intervalMs = (input['x-temporal']?.pollIntervalSeconds ?? 5) * 1000;
  const jobId = await createJob(input.connectionId);
  for (;;) {
    const status = await getJob(jobId);
    if (TERMINAL.includes(status)) return { jobId, status };
    await sleep(intervalMs);
  }
}
