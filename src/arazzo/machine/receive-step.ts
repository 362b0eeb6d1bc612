/**
 * Arazzo 1.1.0 receive steps, the pure part: a step with `action: receive` becomes a `receive`
 * move that names its correlation and timeout; the driver waits for the message durably and feeds
 * it back (or its absence, after the timeout) through `afterReceive`.
 *
 * 1.1.0 Step Object: `correlationId` "A correlation identifier for the message … Only applicable to
 * asyncapi steps with action receive"; `timeout` "the duration in milliseconds to wait before
 * timing out". A timeout is a step failure, so the step's `onFailure` actions decide what follows
 * (the catalog's event-driven workflows go to a poll).
 */
import type { ExpressionContext, MessageView } from '../context.js';
import { resolveValue } from '../expressions/index.js';
import type { JsonValue, Step } from '../model.js';

/** A message delivered to a waiting run: the correlation it was sent for, its headers and payload. */
export interface ReceivedMessage {
  correlationId: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  payload: JsonValue;
}

/** The receive move: wait up to `timeoutMs` for the message correlated by `correlationId`. */
export interface ReceiveMove {
  type: 'receive';
  stepId: string;
  correlationId: string;
  timeoutMs: number;
  /** How many times this step has started (1 for the first run). */
  visit: number;
  /** Always 0: the wait itself is the delay, so a goto back to a receive step waits no poll interval. */
  delaySeconds: 0;
}

/** True for an Arazzo 1.1.0 step that waits for a message. */
export function isReceiveStep(step: Step): boolean {
  return step.action === 'receive';
}

/**
 * The move of a receive step. The correlation is resolved against the run (it usually names an
 * input and an earlier step's output), so the driver waits for exactly this job's message.
 */
export function receiveMove(
  step: Step,
  visit: number,
  context: ExpressionContext,
): { ok: true; move: ReceiveMove } | { ok: false; field: string; message: string } {
  const correlation =
    step.correlationId === undefined ? undefined : resolveValue(step.correlationId, context);
  if (correlation === undefined) return { ok: false, field: 'correlationId', message: 'is missing' };
  if (!correlation.ok) return { ok: false, field: 'correlationId', message: correlation.reason };
  const value = correlation.value;
  if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '') {
    return {
      ok: false,
      field: 'correlationId',
      message: `resolved to ${JSON.stringify(value)}, not a string or number`,
    };
  }
  const timeout = step.timeout;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0) {
    return { ok: false, field: 'timeout', message: 'must be a positive number of milliseconds' };
  }
  return {
    ok: true,
    move: {
      type: 'receive',
      stepId: step.stepId,
      correlationId: String(value),
      timeoutMs: timeout,
      visit,
      delaySeconds: 0,
    },
  };
}

/** The message as `$message.header.*` and `$message.payload` see it. */
export function messageView(message: ReceivedMessage): MessageView {
  return { headers: message.headers, payload: message.payload };
}
