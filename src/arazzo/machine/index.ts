export {
  afterCall,
  afterCallError,
  afterWorkflow,
  cancellableResources,
  describeRequest,
  markCancelSent,
  observeBeforeCancel,
  retryAfterSeconds,
  startRun,
} from './machine.js';
export type { Transition } from './machine.js';
export { activeResourceIn, lookupReadable } from './blocking.js';
export type {
  AdoptRequest,
  Move,
  RunState,
  StepResponse,
  TrackedResource,
  WorkflowOutcome,
  WorkflowPurpose,
} from './state.js';
