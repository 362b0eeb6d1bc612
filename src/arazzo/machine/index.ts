export {
  afterCall,
  afterCallError,
  afterReceive,
  afterWorkflow,
  retryAfterSeconds,
  startRun,
} from './machine.js';
export { cancellableResources, isActiveStatus, markCancelSent, observeBeforeCancel } from './resources.js';
export type { Transition } from './machine.js';
export { isReceiveStep, messageView, receiveMove } from './receive-step.js';
export type { ReceivedMessage, ReceiveMove } from './receive-step.js';
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
