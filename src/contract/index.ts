export {
  CALL_RETRY_POLICY,
  PREPARE_RETRY_POLICY,
  type AdoptRequest,
  type ArazzoActivities,
  type CallInput,
  type CallOperation,
  type HttpRequestSpec,
  type OperationActivities,
  type PrepareRunInput,
  type PrepareRunResult,
  type StepResponse,
} from './activities.js';
export {
  cancelSignal,
  statusQuery,
  type ArazzoWorkflow,
  type CancelRequest,
  type CarriedRun,
  type ChildRun,
  type RunStatus,
  type WorkflowArgument,
} from './workflow.js';
