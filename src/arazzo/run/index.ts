export {
  childWorkflowId,
  reservedArgumentProblem,
  resumeRun,
  type CarriedRunData,
  type RunStart,
} from './arguments.js';
export { cancelVerdict, pollNow, recordCancelRequest } from './signal-cancel.js';
export {
  afterBlockingCheck,
  blockingCheckLabel,
  blockingDelaySeconds,
  type Blocking,
  type BlockingCheck,
} from './conflict-wait.js';
export {
  deadlineFailure,
  expiredDeadline,
  msUntilDeadline,
  planWait,
  runDeadlines,
  type RunDeadlines,
  type WaitPlan,
} from './deadlines.js';
export {
  blockingCheckDetails,
  callDetails,
  changedResources,
  completedDetails,
  receiveDetails,
  waitingDetails,
  waitReason,
} from './details.js';
export { runsAsLocalActivity } from './dispatch.js';
export { nextPoll, type PollLoopInput, type PollLoopResult } from './poll-loop.js';
export { scheduledMove, scheduledPollSeconds, type PollSchedule } from './poll-schedule.js';
export { endingOf, internalFailure, type RunFailure } from './ending.js';
export { EVENTS_PER_LOCAL_CALL, shouldContinueAsNew } from './history-budget.js';
export { projectStatus, type RunStatus, type RunView } from './status-projection.js';
