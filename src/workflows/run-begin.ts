/**
 * The start of a fresh run: the plan resolved and the inputs checked at the edge, in a local
 * activity whose result is recorded in history (a later catalog edit never changes this run),
 * then the machine's first move and the run's memo.
 */
import { log, upsertMemo, type WorkflowInfo } from '@temporalio/workflow';
import { startRun } from '../arazzo/machine/index.js';
import type { RunStart } from '../arazzo/run/index.js';
import type { ChildRun } from '../contract/index.js';
import { prepareArazzoRun } from './activity-proxies.js';

/** Prepares the run (local activity), starts the machine and records the memo the UI shows. */
export async function beginRun(
  info: WorkflowInfo,
  inputs: unknown,
  child: ChildRun | undefined,
): Promise<RunStart> {
  const resolved = await prepareArazzoRun({
    workflowType: info.workflowType,
    inputs,
    ...(child ? { plan: child.plan } : {}),
  });
  const plan = resolved.plan;
  const startedAtMs = Date.now();
  const { state, move } = startRun(plan, resolved.inputs);
  upsertMemo({
    arazzoWorkflowId: plan.workflowId,
    document: plan.documentPath,
    documentHash: plan.documentHash,
    inputs: resolved.memoInputs,
  });
  log.info('run started', {
    arazzoWorkflowId: plan.workflowId,
    document: plan.documentPath,
    documentHash: plan.documentHash,
  });
  return { plan, state, move, startedAtMs, continuedAsNew: 0 };
}
