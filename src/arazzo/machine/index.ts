export { afterCall, afterCallError, afterWorkflow, retryAfterSeconds, startRun } from './machine.js';
export { cancellableResources, isActiveStatus, markCancelSent, observeBeforeCancel } from './resources.js';
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
