/**
 * Activities of the bench-only workflows (retry-poll, and bench/floor's floorPoll): plain got calls to the Airbyte API (no auth, as
 * the benchmark's simulator runs), with the same client settings as the project's HTTP activity.
 */
import { ApplicationFailure } from '@temporalio/common';
import got from 'got';

export interface RetryPollActivities {
  createJob(connectionId: string): Promise<number>;
  pollJobUntilTerminal(jobId: number): Promise<string>;
  /** One read of the job's status (bench/floor's local activity). */
  getJob(jobId: number): Promise<string>;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const options = {
  throwHttpErrors: false,
  retry: { limit: 0 },
  followRedirect: false,
  timeout: { request: 60_000 },
} as const;

export function createRetryPollActivities(baseUrl: string): RetryPollActivities {
  return {
    async createJob(connectionId) {
      const response = await got.post(`${baseUrl}/jobs`, {
        ...options,
        json: { connectionId, jobType: 'sync' },
        responseType: 'json',
      });
      const body = response.body as { jobId?: number };
      if (response.statusCode !== 200 || typeof body.jobId !== 'number') {
        throw ApplicationFailure.retryable(`createJob answered ${response.statusCode}`, 'CreateJobFailed');
      }
      return body.jobId;
    },
    async pollJobUntilTerminal(jobId) {
      const response = await got(`${baseUrl}/jobs/${jobId}`, { ...options, responseType: 'json' });
      const body = response.body as { status?: string };
      if (response.statusCode !== 200) {
        throw ApplicationFailure.nonRetryable(`getJob answered ${response.statusCode}`, 'JobLookupFailed');
      }
      if (!body.status || !TERMINAL.has(body.status)) {
        // The retry policy is the poll loop: one attempt per interval until the job ends.
        throw ApplicationFailure.retryable(`job ${jobId} is ${body.status ?? 'unknown'}`, 'JobNotTerminal');
      }
      return body.status;
    },
    async getJob(jobId) {
      const response = await got(`${baseUrl}/jobs/${jobId}`, { ...options, responseType: 'json' });
      const body = response.body as { status?: string };
      if (response.statusCode !== 200 || typeof body.status !== 'string')
        throw ApplicationFailure.retryable(`getJob answered ${response.statusCode}`, 'GetJobFailed');
      return body.status;
    },
  };
}
