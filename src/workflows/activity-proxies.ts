/**
 * The workflow's activity proxies, typed from the contract: the local activity that prepares a
 * run, and the operation calls (regular, and local for safe reads).
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ExecutionPlan } from '../arazzo/plan.js';
import type { HttpRequestSpec } from '../arazzo/request/index.js';
import { runsAsLocalActivity } from '../arazzo/run/index.js';
import {
  CALL_RETRY_POLICY,
  PREPARE_RETRY_POLICY,
  type ArazzoActivities,
  type CallOperation,
  type OperationActivities,
} from '../contract/index.js';

/** The first activity of every run: resolves the plan and checks the inputs at the edge. */
export const { prepareArazzoRun } = proxyLocalActivities<Pick<ArazzoActivities, 'prepareArazzoRun'>>({
  startToCloseTimeout: '30 seconds',
  retry: PREPARE_RETRY_POLICY,
});

/** A run's operation calls: `regular` for calls that change something, `local` for safe reads. */
export interface OperationCalls {
  regular: OperationActivities;
  local: OperationActivities;
  plan: ExecutionPlan;
}

/** The proxies of a run, bounded by its call retry window. */
export function operationProxies(plan: ExecutionPlan): OperationCalls {
  const scheduleToCloseTimeout = `${plan.options.callRetryWindowSeconds} seconds`;
  return {
    // Heartbeats carry cancellation to regular activities. The HTTP client's own timeout (150 s by
    // default) fires first; startToClose bounds a stuck worker.
    regular: proxyActivities<OperationActivities>({
      startToCloseTimeout: '10 minutes',
      heartbeatTimeout: '60 seconds',
      scheduleToCloseTimeout,
      retry: CALL_RETRY_POLICY,
    }),
    // A local activity is one marker in the workflow task that also starts the next timer, so a
    // poll iteration costs 6 history events instead of 11. Longer backoffs become durable timers.
    local: proxyLocalActivities<OperationActivities>({
      startToCloseTimeout: '3 minutes',
      scheduleToCloseTimeout,
      localRetryThreshold: '10 seconds',
      retry: CALL_RETRY_POLICY,
    }),
    plan,
  };
}

/** The activity that runs a request: a local one for safe reads when the run says so. */
export function activityFor(calls: OperationCalls, request: HttpRequestSpec): CallOperation {
  const proxy = runsAsLocalActivity(request, calls.plan.options) ? calls.local : calls.regular;
  return proxy[request.operation]!;
}
