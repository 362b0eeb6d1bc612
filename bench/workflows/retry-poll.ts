/**
 * Bench-only alternative design: activity-retry polling (samples-typescript `polling/infrequent`).
 * The job is created by one activity; a second activity reads it and throws a retryable error
 * until the job is terminal, and Temporal retries it every `intervalSeconds` (backoff 1). History
 * stays tiny whatever the number of polls, but the loop is invisible: no per-poll events, no
 * status between attempts beyond the pending activity's last failure.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RetryPollActivities } from './retry-poll-activities.js';

export interface RetryPollInput {
  connectionId: string;
  intervalSeconds: number;
}

export async function retryPollSync(input: RetryPollInput): Promise<{ jobId: number; finalStatus: string }> {
  const { createJob } = proxyActivities<RetryPollActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2 },
  });
  const { pollJobUntilTerminal } = proxyActivities<RetryPollActivities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: `${Math.max(input.intervalSeconds, 0.001)} seconds`,
      backoffCoefficient: 1,
      maximumInterval: `${Math.max(input.intervalSeconds, 0.001)} seconds`,
      // no maximumAttempts: unlimited, the job decides when the loop ends
      nonRetryableErrorTypes: ['JobLookupFailed'],
    },
  });
  const jobId = await createJob(input.connectionId);
  const finalStatus = await pollJobUntilTerminal(jobId);
  return { jobId, finalStatus };
}
