/**
 * The activity a receive step calls to register with the mailbox of its correlation id. It uses
 * signal-with-start, so it works whether the notification (and with it the mailbox) came first or
 * not; Temporal's answer makes the registration durable.
 */
import type { Client } from '@temporalio/client';
import {
  MAILBOX_WORKFLOW_TYPE,
  mailboxWorkflowId,
  waiterSignal,
  type ArazzoActivities,
  type MailboxArgs,
} from '../contract/index.js';

export interface MessageActivityDeps {
  client: Client;
  /** The task queue the mailboxes run on: the worker's own. */
  taskQueue: string;
  mailboxTtlSeconds: number;
}

/** Creates `subscribeMessage`. */
export function createMessageActivities(
  deps: MessageActivityDeps,
): Pick<ArazzoActivities, 'subscribeMessage'> {
  return {
    async subscribeMessage({ correlationId, workflowId }) {
      await deps.client.workflow.signalWithStart(MAILBOX_WORKFLOW_TYPE, {
        workflowId: mailboxWorkflowId(correlationId),
        taskQueue: deps.taskQueue,
        args: [{ ttlSeconds: deps.mailboxTtlSeconds } satisfies MailboxArgs],
        signal: waiterSignal,
        signalArgs: [{ workflowId }],
      });
    },
  };
}
