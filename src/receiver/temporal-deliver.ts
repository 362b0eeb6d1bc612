/**
 * Delivery of a notification to its mailbox through Temporal: signal-with-start on the mailbox's
 * deterministic id, so a notification that comes before the run waits starts the mailbox and is
 * kept there, and one that comes after finds the run registered.
 */
import type { Client } from '@temporalio/client';
import {
  MAILBOX_WORKFLOW_TYPE,
  mailboxWorkflowId,
  notificationSignal,
  type MailboxArgs,
} from '../contract/index.js';
import type { Deliver } from './receiver.js';

/** A `Deliver` that signal-with-starts the mailbox on `taskQueue`. */
export function temporalDeliver(client: Client, taskQueue: string, mailboxTtlSeconds: number): Deliver {
  return async (correlationId, notification) => {
    await client.workflow.signalWithStart(MAILBOX_WORKFLOW_TYPE, {
      workflowId: mailboxWorkflowId(correlationId),
      taskQueue,
      args: [{ ttlSeconds: mailboxTtlSeconds } satisfies MailboxArgs],
      signal: notificationSignal,
      signalArgs: [notification],
    });
  };
}
