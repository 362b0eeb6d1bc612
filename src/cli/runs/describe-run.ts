/**
 * Describing a run by workflow id, with the one "not found" message every command gives.
 */
import {
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { CliError } from '../errors.js';

/** The run's handle and description; a CliError (exit 1) naming the id when there is no such run. */
export async function describeRun(
  client: Client,
  workflowId: string,
): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new CliError(`no run with workflow id '${workflowId}' in namespace ${client.options.namespace}`);
    }
    throw error;
  }
}
