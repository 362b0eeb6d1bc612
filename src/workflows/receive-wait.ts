/**
 * The wait of a receive step (Arazzo 1.1.0): the run registers with the mailbox of its correlation
 * id (an activity that signal-with-starts it), then waits on a durable condition for the mailbox's
 * signal, up to the step's timeout. Messages are buffered from the start of the run, so one that
 * arrives during the registration, or between two visits of the step, is not lost.
 */
import {
  ActivityFailure,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ReceivedMessage, ReceiveMove } from '../arazzo/machine/index.js';
import { messageSignal, type ArazzoActivities } from '../contract/index.js';

const { subscribeMessage } = proxyActivities<Pick<ArazzoActivities, 'subscribeMessage'>>({
  startToCloseTimeout: '30 seconds',
  // A Temporal frontend that stays unreachable: the run stops trying and falls back to its timeout path.
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Messages delivered to this run and not consumed yet, by correlation id. */
export type Inbox = Map<string, ReceivedMessage>;

/** Registers the message signal's handler; call once, at the start of the run. */
export function installMessageInbox(): Inbox {
  const inbox: Inbox = new Map();
  setHandler(messageSignal, (message) => {
    if (!inbox.has(message.correlationId)) inbox.set(message.correlationId, message);
  });
  return inbox;
}

/** How a receive wait ended: the message, the step's timeout, or an interruption (cancel, deadline). */
export type ReceiveOutcome =
  { type: 'message'; message: ReceivedMessage } | { type: 'timeout' } | { type: 'interrupted' };

/**
 * Waits for the message of `move`. `stop` ends the wait early (a cancel request: the step then
 * counts as timed out, so its failure path reads the job's state); `deadlineMs` (the run's
 * deadlines) ends it as `interrupted`, so the driver applies the deadline.
 */
export async function receiveMessage(
  inbox: Inbox,
  move: ReceiveMove,
  workflowId: string,
  options: { stop: () => boolean; untilDeadlineMs: number },
): Promise<ReceiveOutcome> {
  const take = (): ReceiveOutcome | undefined => {
    const message = inbox.get(move.correlationId);
    if (message === undefined) return undefined;
    inbox.delete(move.correlationId);
    return { type: 'message', message };
  };
  const early = take();
  if (early) return early;
  if (options.stop()) return { type: 'timeout' };
  try {
    await subscribeMessage({ correlationId: move.correlationId, workflowId });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    // No mailbox to wait on: the step fails at once, and its failure path (a poll) takes over.
    log.warn('cannot register for the message; taking the timeout path', {
      stepId: move.stepId,
      error: error.cause instanceof Error ? error.cause.message : error.message,
    });
    return take() ?? { type: 'timeout' };
  }
  const waitMs = Math.min(move.timeoutMs, options.untilDeadlineMs);
  const arrived = await condition(() => inbox.has(move.correlationId) || options.stop(), waitMs);
  const message = take();
  if (message) return message;
  if (arrived || waitMs >= move.timeoutMs) return { type: 'timeout' };
  return { type: 'interrupted' };
}
