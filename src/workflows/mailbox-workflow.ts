/**
 * The mailbox of one correlation id (an Airbyte connection and job): a small workflow that the
 * notification receiver and the waiting run both reach by signal-with-start on the same id, so
 * whichever comes first starts it. It holds the first notification, drops duplicates, and signals
 * the notification to every registered run. A notification that arrives before the run waits is
 * kept (durably, in this workflow's history) until the run registers or the TTL passes.
 */
import { condition, getExternalWorkflowHandle, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  correlationOfMailbox,
  messageSignal,
  notificationSignal,
  waiterSignal,
  type MailboxArgs,
  type MailboxNotification,
  type MailboxOutcome,
} from '../contract/index.js';

/** Holds one notification until a run asks for it; ends after delivering it, or after the TTL. */
export async function arazzoMessageMailbox(args: MailboxArgs): Promise<MailboxOutcome> {
  const correlationId = correlationOfMailbox(workflowInfo().workflowId);
  let notification: MailboxNotification | undefined;
  let duplicates = 0;
  const waiters: string[] = [];
  const delivered: string[] = [];
  setHandler(notificationSignal, (received) => {
    if (notification !== undefined) {
      duplicates++;
      return;
    }
    notification = received;
  });
  setHandler(waiterSignal, ({ workflowId }) => {
    if (!waiters.includes(workflowId)) waiters.push(workflowId);
  });

  const pending = () => waiters.filter((w) => !delivered.includes(w));
  const ready = await condition(
    () => notification !== undefined && pending().length > 0,
    Math.max(1, args.ttlSeconds) * 1000,
  );
  if (!ready || notification === undefined) {
    log.info('mailbox expired', {
      correlationId,
      waiters: waiters.length,
      notified: notification !== undefined,
    });
    return { delivered, duplicates, expired: true };
  }
  const message = { correlationId, headers: notification.headers, payload: notification.payload };
  for (const waiter of pending()) {
    try {
      await getExternalWorkflowHandle(waiter).signal(messageSignal, message);
    } catch (error) {
      // The run ended meanwhile (it polled, or was cancelled): nothing is waiting any more.
      log.info('waiting run is gone', { correlationId, waiter, error: String(error) });
    }
    delivered.push(waiter);
  }
  return { delivered, duplicates, expired: false };
}
