/**
 * The names the notification receiver, the subscribe activity and workflow code share for
 * event-driven waits (Arazzo 1.1 receive steps): the per-correlation mailbox workflow, its id, and
 * its three signals. Exported as constants so every side spells them the same.
 */
import { defineSignal } from '@temporalio/workflow';
import type { JsonValue } from '../arazzo/model.js';
import type { ReceivedMessage } from '../arazzo/machine/index.js';

/** The workflow type of a mailbox: one per correlation id (an Airbyte connection and job). */
export const MAILBOX_WORKFLOW_TYPE = 'arazzoMessageMailbox';

const MAILBOX_PREFIX = 'arazzo-mailbox/';

/** The mailbox's workflow id: derived from the correlation alone, so the receiver needs no lookup. */
export function mailboxWorkflowId(correlationId: string): string {
  return `${MAILBOX_PREFIX}${correlationId}`;
}

/** The correlation id back from a mailbox's workflow id. */
export function correlationOfMailbox(workflowId: string): string {
  return workflowId.startsWith(MAILBOX_PREFIX) ? workflowId.slice(MAILBOX_PREFIX.length) : workflowId;
}

/** What the receiver posts to a mailbox: one notification, as received (headers lower-cased). */
export interface MailboxNotification {
  headers: Record<string, string>;
  payload: JsonValue;
}

/** A run waiting in a receive step, registered by its workflow id. */
export interface MailboxWaiter {
  workflowId: string;
}

/** The mailbox's argument, used when the first signal starts it. */
export interface MailboxArgs {
  /** How long a mailbox keeps a notification no run asked for, or a waiter no notification came for. */
  ttlSeconds: number;
}

/** What a mailbox did, as its result. */
export interface MailboxOutcome {
  delivered: string[];
  /** Notifications dropped because one had already arrived. */
  duplicates: number;
  /** True when the TTL passed before a notification met a waiter. */
  expired: boolean;
}

/** Receiver → mailbox: a notification arrived. */
export const notificationSignal = defineSignal<[MailboxNotification]>('arazzo.notification');

/** Run (through the subscribe activity) → mailbox: deliver the notification to me. */
export const waiterSignal = defineSignal<[MailboxWaiter]>('arazzo.waiter');

/** Mailbox → run: the message its receive step waits for. */
export const messageSignal = defineSignal<[ReceivedMessage]>('arazzo.message');

/** Input of `subscribeMessage`: register `workflowId` with the mailbox of `correlationId`. */
export interface SubscribeInput {
  correlationId: string;
  workflowId: string;
}
