export {
  afterCall,
  afterCallError,
  afterReceive,
  afterWorkflow,
  cancellableResources,
  describeRequest,
  markCancelSent,
  observeBeforeCancel,
  retryAfterSeconds,
  startRun,
} from './machine.js';
export type { Transition } from './machine.js';
export { isReceiveStep, messageView, receiveMove } from './receive.js';
export type { ReceivedMessage, ReceiveMove } from './receive.js';
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
