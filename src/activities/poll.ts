/**
 * The polling activity of `pollIn: 'activity'`: sends the poll step's request again and again
 * through the operation-call path, judges each response with the pure state machine
 * (src/arazzo/run/poll-loop.ts), and returns when the loop would end or its window elapses. It
 * heartbeats between polls, so a crashed worker is noticed within the heartbeat timeout and a
 * cancellation reaches it; the heartbeat details carry the poll count, and a retry polls at once
 * (the job may have ended while no worker was looking).
 */
import { Context, heartbeat } from '@temporalio/activity';
import { nextPoll } from '../arazzo/run/poll-loop.js';
import type { CallOperation, PollLoopInput, PollLoopResult, PollOperation } from '../contract/index.js';
import { scheduledPollSeconds } from '../arazzo/run/poll-schedule.js';
import { currentHeartbeatDetails, setHeartbeatDetails } from './heartbeat-details.js';

export interface PollActivityDeps {
  /** The operation-call activity (createHttpActivities): every poll goes through it. */
  callOperation: CallOperation;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** Longest sleep between two heartbeats (the SDK throttles what reaches the server). Default 10 s. */
  heartbeatEveryMs?: number;
}

/** What a polling attempt leaves for the next one. */
interface PollNote {
  polls: number;
}

/** Creates the polling activity around the operation-call activity. */
export function createPollActivity(deps: PollActivityDeps): { pollOperation: PollOperation } {
  const now = deps.now ?? Date.now;
  const beatEveryMs = deps.heartbeatEveryMs ?? 10_000;

  /** Sleeps `ms`, heartbeating; a cancellation ends the sleep with the SDK's CancelledFailure. */
  const sleepBeating = async (ms: number): Promise<void> => {
    const { cancellationSignal } = Context.current();
    for (let left = ms; left > 0; left -= beatEveryMs) {
      await sleepUnlessCancelled(Math.min(left, beatEveryMs), cancellationSignal);
      heartbeat(currentHeartbeatDetails());
    }
  };

  return {
    async pollOperation(input: PollLoopInput): Promise<PollLoopResult> {
      const { plan } = input;
      const began = now();
      const windowEndMs = began + input.windowSeconds * 1000;
      const earlier = readPollNote(currentHeartbeatDetails());
      let polls = earlier.polls;
      let state = input.state;
      let call = input.call;
      // A retry (the worker that ran the attempt before died) reads at once.
      let delaySeconds = Context.current().info.attempt > 1 ? 0 : call.delaySeconds;
      let last: PollLoopResult['response'];
      for (;;) {
        const ageSeconds = (now() - input.startedAtMs) / 1000;
        const waitMs =
          scheduledPollSeconds(
            plan.options.pollSchedule,
            delaySeconds,
            ageSeconds,
            plan.options.maxPollIntervalSeconds,
          ) * 1000;
        if (now() + waitMs > windowEndMs) {
          // The window ends before the next poll: the workflow takes it from here (and checks its
          // deadlines when the window was cut short by one).
          if (last) return { response: last, polls, ended: 'window' };
          await sleepBeating(Math.max(0, windowEndMs - now()));
          return { polls, ended: 'window' };
        }
        await sleepBeating(waitMs);
        const response = await deps.callOperation({ request: call.request });
        polls++;
        setHeartbeatDetails({ polls } satisfies PollNote);
        heartbeat(currentHeartbeatDetails());
        const next = nextPoll(plan, state, response, now());
        if (next === undefined) return { response, polls, ended: 'loop-ends' };
        ({ state } = next);
        call = next.move;
        delaySeconds = call.delaySeconds;
        last = response;
      }
    },
  };
}

/**
 * `Context.sleep` without its leak. The SDK's sleep (@temporalio/activity 1.24.0, lib/index.js
 * `Context.sleep`) chains `cancelled.finally(() => clearTimeout(handle))` on the activity's
 * cancellation promise, which settles only if the activity is cancelled. Every sleep so leaves a
 * reaction holding its timer and promise for the rest of the attempt: a polling activity sleeps
 * before every poll and between heartbeats, for up to its 10-minute window. Here the abort listener
 * goes when the timer fires. The signal is aborted with the same CancelledFailure that rejects
 * `cancelled` (@temporalio/worker lib/activity.js, `Activity.cancel`), so callers see no difference.
 */
export function sleepUnlessCancelled(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function readPollNote(details: unknown): PollNote {
  if (typeof details !== 'object' || details === null) return { polls: 0 };
  const polls = (details as Record<string, unknown>)['polls'];
  return { polls: typeof polls === 'number' && Number.isInteger(polls) && polls >= 0 ? polls : 0 };
}
