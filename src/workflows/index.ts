/**
 * Workflow entry points. Every Arazzo workflow in the catalog is a Temporal workflow type of the
 * same name, served by the default (dynamic) workflow below.
 */
import type { JsonObject } from '../arazzo/model.js';
import { runArazzoWorkflow, type WorkflowArgument } from './run-arazzo.js';

export { cancelSignal, statusQuery } from './messages.js';
export type { CancelRequest, RunStatus } from './messages.js';

/** Any workflow type not registered otherwise runs the catalog workflow of that name. */
export default async function arazzoWorkflow(inputs: unknown, extra?: WorkflowArgument): Promise<JsonObject> {
  return runArazzoWorkflow(inputs, extra);
}
