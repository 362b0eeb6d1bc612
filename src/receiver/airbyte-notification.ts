/**
 * Airbyte's webhook notification, as the receiver reads it. Airbyte's server posts a Slack-style
 * JSON body (airbytehq/airbyte-platform, airbyte-notification/src/main/kotlin/io/airbyte/
 * notification/SlackNotificationClient.kt, `notifyJobSuccess`/`notifyJobFailure` → `notifyJson`:
 * `POST` with `Content-Type: application/json`, no signature) whose `data` field is the
 * `SyncSummary` (messages/SyncSummary.kt; serialized as in slack/NotificationTest.kt: `isSuccess`
 * becomes `success`, times are ISO strings). The correlation id is `<connection.id>/<jobId>`.
 */
import type { JsonValue } from '../arazzo/model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The correlation id Airbyte's job notifications are delivered by: `<connectionId>/<jobId>`. */
export function airbyteCorrelationId(connectionId: string, jobId: number | string): string {
  return `${connectionId.toLowerCase()}/${String(jobId)}`;
}

export type NotificationReading =
  | { kind: 'job'; correlationId: string; success: boolean | undefined }
  /** A body without a job (Airbyte's "test" button sends `{"text": …}`, other events): acknowledged, dropped. */
  | { kind: 'other' }
  | { kind: 'invalid'; reason: string };

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a notification body. Only the connection id (a UUID) and the job id (a whole number) are
 * taken from it, and only to name a mailbox: nothing in a body is ever used as an address.
 */
export function readAirbyteNotification(body: JsonValue): NotificationReading {
  if (!isObject(body)) return { kind: 'invalid', reason: 'the body is not a JSON object' };
  const data = body.data;
  if (!isObject(data) || data.jobId === undefined) return { kind: 'other' };
  const connection = data.connection;
  const connectionId = isObject(connection) ? connection.id : undefined;
  if (typeof connectionId !== 'string' || !UUID.test(connectionId))
    return { kind: 'invalid', reason: 'data.connection.id is not a UUID' };
  const jobId = data.jobId;
  if (!(typeof jobId === 'number' && Number.isSafeInteger(jobId) && jobId >= 0))
    return { kind: 'invalid', reason: 'data.jobId is not a whole number' };
  return {
    kind: 'job',
    correlationId: airbyteCorrelationId(connectionId, jobId),
    success: typeof data.success === 'boolean' ? data.success : undefined,
  };
}
