/**
 * Arazzo 1.1.0 receive steps, as this runner runs them: a durable wait for a message delivered by
 * the notification receiver (src/receiver/), correlated by `correlationId`, bounded by `timeout`
 * (milliseconds; 1.1.0 Step Object). `send` steps are refused: nothing here publishes messages.
 */
import { findAsyncOperation, hasChannel } from '../asyncapi/asyncapi-source.js';
import type { ReportAt } from '../reporter.js';
import type { CheckContext } from './check-context.js';

const QUALIFIED = /^\$sourceDescriptions\.([^.]+)\./;
const CHANNEL_PATH = /^\{\$sourceDescriptions\.[^.}]+\.url\}#(.*)$/;

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
  checkAsyncTarget(ctx, raw, source, at, ids.stepId);
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

/**
 * The step's `operationId` (or `channelPath`) against the AsyncAPI description of its source,
 * when that description was read (a source that was not is reported at its `url`): the operation
 * must exist and receive (AsyncAPI 3.0 Operation Object, `action`: "Use `send` when it's expected
 * that the application will send a message to the given channel, and `receive` when the
 * application should expect receiving messages from the given channel"); the channel must exist.
 */
function checkAsyncTarget(
  ctx: CheckContext,
  raw: Record<string, unknown>,
  sourceName: string,
  at: (field: string) => ReportAt,
  stepId: string,
): void {
  const source = ctx.loaded.sources.get(sourceName);
  if (source?.kind !== 'asyncapi') return;
  // Named as the document writes it (`url`), which the reader can follow from the document.
  const { api, url } = source;
  if (typeof raw.operationId === 'string') {
    const id = raw.operationId.slice(`$sourceDescriptions.${sourceName}.`.length);
    const operation = findAsyncOperation(api, id);
    if (operation === undefined) {
      const known = Object.keys(api.operations);
      ctx.reporter.error(
        'arazzo/operation-not-found',
        `step "${stepId}": operation "${id}" not found in AsyncAPI source "${sourceName}" (${url}; its operations: ${known.map((k) => `"${k}"`).join(', ') || 'none'})`,
        { ...at('operationId'), preferKey: false },
      );
    } else if (operation.action !== 'receive') {
      ctx.reporter.error(
        'arazzo/asyncapi-action-mismatch',
        `step "${stepId}" receives, but operation "${id}" of AsyncAPI source "${sourceName}" has action: ${JSON.stringify(operation.action ?? null)} (${url}:${operation.line}); a receive step needs an operation with action: receive`,
        { ...at('operationId'), preferKey: false },
      );
    }
    return;
  }
  if (typeof raw.channelPath !== 'string') return;
  const pointer = CHANNEL_PATH.exec(raw.channelPath)?.[1];
  if (pointer === undefined || !hasChannel(api, pointer))
    ctx.reporter.error(
      'arazzo/channel-not-found',
      `step "${stepId}": channelPath "${raw.channelPath}" does not point at a channel (#/channels/<name>) of AsyncAPI source "${sourceName}" (${url})`,
      { ...at('channelPath'), preferKey: false },
    );
}
