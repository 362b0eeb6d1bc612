/**
 * Activities of the bench-only floor workflow: plain got calls to the simulator (no auth, as the
 * benchmark's simulator runs), with the same client settings as the project's HTTP activity.
 */
import { ApplicationFailure } from '@temporalio/common';
import got from 'got';

export interface FloorActivities {
  createJob(connectionId: string): Promise<number>;
  getJob(jobId: number): Promise<string>;
}

const options = {
  throwHttpErrors: false,
  retry: { limit: 0 },
  followRedirect: false,
  timeout: { request: 60_000 },
} as const;

export function createFloorActivities(baseUrl: string): FloorActivities {
  return {
    async createJob(connectionId) {
      const response = await got.post(`${baseUrl}/jobs`, {
        ...options,
        json: { connectionId, jobType: 'sync' },
        responseType: 'json',
      });
      const body = response.body as { jobId?: number };
      if (response.statusCode !== 200 || typeof body.jobId !== 'number')
        throw ApplicationFailure.retryable(`createJob answered ${response.statusCode}`, 'CreateJobFailed');
      return body.jobId;
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
