/**
 * Workflow entry points. Every Arazzo workflow in the catalog is a Temporal workflow type of the
 * same name, served by the default (dynamic) workflow below.
 */
import type { JsonObject } from '../arazzo/model.js';
import type { WorkflowArgument } from '../contract/index.js';
import { runArazzoWorkflow } from './run-arazzo.js';

export { arazzoMessageMailbox } from './mailbox-workflow.js';

/** Any workflow type not registered otherwise runs the catalog workflow of that name. */
export default async function arazzoWorkflow(inputs: unknown, extra?: WorkflowArgument): Promise<JsonObject> {
  return runArazzoWorkflow(inputs, extra);
}

// The SDK looks a workflow type up on the bundle's exports object, which inherits Object.prototype:
// a type named `toString` or `constructor` would find that built-in function instead of falling
// through to the default. Exporting the dynamic workflow under those names sends them to the
// catalog, which answers ArazzoUnknownWorkflow like for any other unknown type.
export {
  arazzoWorkflow as constructor,
  arazzoWorkflow as toString,
  arazzoWorkflow as toLocaleString,
  arazzoWorkflow as valueOf,
  arazzoWorkflow as hasOwnProperty,
  arazzoWorkflow as isPrototypeOf,
  arazzoWorkflow as propertyIsEnumerable,
  arazzoWorkflow as __defineGetter__,
  arazzoWorkflow as __defineSetter__,
  arazzoWorkflow as __lookupGetter__,
  arazzoWorkflow as __lookupSetter__,
};
