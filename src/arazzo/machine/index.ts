export { afterCall, afterCallError, afterWorkflow, retryAfterSeconds, startRun } from './machine.js';
export {
  cancellableResources,
  isActiveStatus,
  markCancelSent,
  observeBeforeCancel,
  sameResource,
  trackResources,
} from './resources.js';
export { contextFor, evaluateOutputs } from './run-context.js';
export type { Transition } from './machine.js';
export { activeResourceIn, lookupReadable } from './blocking.js';
export type {
  AdoptRequest,
  CallMove,
  DelayedMove,
  Move,
  RunState,
  StepResponse,
  TrackedResource,
  WorkflowOutcome,
  WorkflowPurpose,
} from './state.js';
