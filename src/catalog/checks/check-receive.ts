/**
 * Arazzo 1.1.0 receive steps, as this runner runs them: a durable wait for a message delivered by
 * the notification receiver (src/receiver/), correlated by `correlationId`, bounded by `timeout`
 * (milliseconds; 1.1.0 Step Object). `send` steps are refused: nothing here publishes messages.
 */
import type { CheckContext } from './check-context.js';

const QUALIFIED = /^\$sourceDescriptions\.([^.]+)\./;

/**
 * Checks an AsyncAPI step. Returns true when the step is a receive step this runner runs (or one
 * it reported a located problem for), false when the caller's generic AsyncAPI refusal applies.
 */
export function checkReceiveStep(
  ctx: CheckContext,
  raw: Record<string, unknown>,
  stepSegments: Array<string | number>,
  ids: { workflowId: string; stepId: string },
  asyncSources: Set<string>,
): boolean {
  const at = (field: string) => ({ segments: [...stepSegments, field], preferKey: true, ...ids });
  if (raw.action === 'send') {
    ctx.reporter.error(
      'arazzo/asyncapi-unsupported',
      `step "${ids.stepId}" sends a message (Arazzo 1.1 action: send); this runner only receives (action: receive, with correlationId and timeout)`,
      at('action'),
    );
    return true;
  }
  if (raw.action !== 'receive') return false;
  const source =
    typeof raw.operationId === 'string'
      ? QUALIFIED.exec(raw.operationId)?.[1]
      : typeof raw.channelPath === 'string'
        ? /^\{?\$sourceDescriptions\.([^.}]+)\./.exec(raw.channelPath)?.[1]
        : undefined;
  if (source === undefined || !asyncSources.has(source)) {
    // An unqualified operationId (one AsyncAPI source) is left to the generic refusal.
    return false;
  }

  const missing = (['correlationId', 'timeout'] as const).filter((field) => raw[field] === undefined);
  if (missing.length > 0) {
    ctx.reporter.error(
      'arazzo/asyncapi-unsupported',
      `step "${ids.stepId}" receives a message without ${missing.map((f) => `"${f}"`).join(' and ')}; this runner needs a correlationId to tell this run's message from others, and a timeout (milliseconds) so a lost message leads to the step's onFailure rather than a wait without end`,
      at('action'),
    );
  }
  if (
    raw.correlationId !== undefined &&
    typeof raw.correlationId !== 'string' &&
    typeof raw.correlationId !== 'number'
  ) {
    ctx.reporter.error(
      'arazzo/receive-invalid',
      `step "${ids.stepId}": correlationId must be a string (a runtime expression or template) or a number`,
      at('correlationId'),
    );
  }
  if (
    raw.timeout !== undefined &&
    (typeof raw.timeout !== 'number' || !Number.isInteger(raw.timeout) || raw.timeout < 1000)
  ) {
    ctx.reporter.error(
      'arazzo/receive-invalid',
      `step "${ids.stepId}": timeout must be a whole number of milliseconds, at least 1000`,
      at('timeout'),
    );
  }
  for (const field of ['parameters', 'requestBody'] as const) {
    if (raw[field] === undefined) continue;
    ctx.reporter.error(
      'arazzo/receive-invalid',
      `step "${ids.stepId}": a receive step takes no "${field}" (the message comes from the notification receiver)`,
      at(field),
    );
  }

  return true;
}
