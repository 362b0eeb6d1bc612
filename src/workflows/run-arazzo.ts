/**
 * The Temporal driver of the Arazzo state machine. Each step's HTTP call is an activity whose type
 * names the operation; polls sleep on durable timers; a `cancel` signal or a Temporal cancellation
 * stops the server-side job; continue-as-new carries the state so a poll can run for days. Every
 * decision is pure code in src/arazzo/run/; this loop only carries them out, in a fixed order:
 * end → pending cancel → deadlines → continue-as-new → wait → the move.
 */
import { CancellationScope, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { JsonObject } from '../arazzo/model.js';
import {
  deadlineFailure,
  endingOf,
  expiredDeadline,
  planWait,
  pollNow,
  projectStatus,
  reservedArgumentProblem,
  scheduledMove,
  shouldContinueAsNew,
} from '../arazzo/run/index.js';
import { cancelSignal, statusQuery, type ArazzoWorkflow, type WorkflowArgument } from '../contract/index.js';
import { operationProxies } from './activity-proxies.js';
import { failureOf } from './failure-of.js';
import { pollsInActivity } from './poll-in-activity.js';
import { installMessageInbox } from './receive-wait.js';
import { beginRun } from './run-begin.js';
import { RunRecord } from './run-record.js';
import { cancelOnSignal, cancelResources, endRun, onRunError, runMove, waitFor } from './run-steps.js';

/**
 * Runs the Arazzo workflow named by this Temporal workflow's type, with `inputs` as its inputs.
 * `extra` is only ever set by this code itself (continue-as-new, sub-workflows).
 */
export async function runArazzoWorkflow(inputs: unknown, extra?: WorkflowArgument): Promise<JsonObject> {
  const info = workflowInfo();
  const run = new RunRecord(info);
  // Messages are answered from the first moment, even before the plan is resolved.
  setHandler(cancelSignal, (request) => run.requestCancel(request));
  setHandler(statusQuery, () => projectStatus(run.view()));
  const inbox = installMessageInbox(); // receive steps: messages are kept from the start of the run

  const kind = extra === undefined ? undefined : 'carried' in extra ? 'carried' : 'plan';
  const refused = reservedArgumentProblem(kind, {
    continuedAsNew: !!info.continuedFromExecutionRunId,
    startedByParent: !!info.parent,
  });
  if (refused) throw failureOf(refused);
  if (extra && 'carried' in extra) run.resume(extra.carried);
  else run.begin(await beginRun(info, inputs, extra)); // local activity, then the memo
  const calls = operationProxies(run.plan);

  try {
    for (;;) {
      const ending = endingOf(run.move);
      if (ending) return endRun(run, ending);
      // Every iteration while a cancel is pending: it sends nothing twice, but ends the run once
      // no job of its own runs (even if the document would poll again).
      if (run.cancelRequested) await cancelOnSignal(run, calls, run.cancelRequested);

      const expired = expiredDeadline(run.deadlines, Date.now());
      if (expired === 'execution') {
        await CancellationScope.nonCancellable(() => cancelResources(run, calls, 'execution timeout'));
      }
      if (expired) throw failureOf(deadlineFailure(expired, run.plan.options, run.state.resources));

      // A long poll starts a fresh history before it grows too large; the pending move goes along.
      const { historyLength, continueAsNewSuggested } = workflowInfo();
      const history = { historyLength, continueAsNewSuggested, callsThisRun: run.calls };
      if (shouldContinueAsNew(history, run.plan.options.historyEventLimit)) {
        await continueAsNew<ArazzoWorkflow>(inputs, { carried: run.carried() });
      }

      const move = run.pendingMove();
      // pollIn 'activity': the polling activity waits between polls, not a timer here.
      if (move.delaySeconds > 0 && !pollsInActivity(run.plan, move)) {
        // The poll schedule may stretch a poll's wait with the run's age (replay compares timers,
        // not their durations, so no recorded history changes).
        const scheduled = scheduledMove(move, run.plan.options, (Date.now() - run.startedAtMs) / 1000);
        const wait = planWait(scheduled, run.deadlines, Date.now());
        const woken = await waitFor(run, scheduled, wait);
        if (woken || wait.cutShort) continue; // re-check cancel and deadlines first
        run.move = pollNow(move);
      }
      await runMove(run, calls, info, inbox);
    }
  } catch (error) {
    throw await onRunError(error, run, calls);
  }
}
