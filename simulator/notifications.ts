/**
 * Airbyte's job notifications, sent like Airbyte's server sends them when a job ends: a `POST` of
 * a Slack-style JSON body with the `SyncSummary` as `data`, `Content-Type: application/json`, no
 * signature (airbytehq/airbyte-platform, airbyte-notification/src/main/kotlin/io/airbyte/
 * notification/SlackNotificationClient.kt: notifyJobSuccess / notifyJobFailure → notifyJson;
 * messages/SyncSummary.kt for the fields; slack/NotificationTest.kt for their JSON names).
 * Airbyte notifies on success and on failure (the workspace's sendOnSuccess / sendOnFailure), not
 * on a cancel, and sends each notification once: a failed POST is logged, not retried.
 *
 * Knobs for tests: drop the next N notifications, send the next N twice, delay every one.
 */
import type { SimJob } from './types.js';

export interface NotificationSettings {
  /** Webhook URLs of the workspace (every job's notification goes to each). */
  webhooks: string[];
  /** Drop (never send) the next this many notifications. */
  drop: number;
  /** Send the next this many notifications twice. */
  duplicate: number;
  /** Wait this long after a job ends before sending. */
  delayMs: number;
}

export interface SentNotification {
  jobId: number;
  connectionId: string;
  success: boolean;
  /** `sent`, `dropped` (by the knob), or `failed` (the webhook did not answer 2xx). */
  outcome: 'sent' | 'dropped' | 'failed';
  /** Times it was posted (2 when duplicated). */
  posts: number;
  statuses: number[];
}

/** The `SyncSummary` body of a job notification, as Airbyte serializes it. */
export function notificationBody(job: SimJob, workspaceId: string): Record<string, unknown> {
  const success = job.status === 'succeeded';
  const startedAt = job.createdAt;
  const finishedAt = job.endedAt ?? null;
  const seconds =
    finishedAt === null ? null : Math.round((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000);
  const bytes = job.response.bytesSynced ?? 0;
  const records = job.response.rowsSynced ?? 0;
  const link = (kind: string, id: string) => ({
    id,
    name: `${kind} ${id.slice(0, 8)}`,
    url: `http://airbyte.invalid/workspaces/${workspaceId}/${kind}s/${id}`,
  });
  return {
    text: `${success ? 'Sync completed' : 'Sync failure occurred'}: connection ${job.connectionId}, job ${job.jobId}`,
    data: {
      workspace: link('workspace', workspaceId),
      connection: link('connection', job.connectionId),
      source: link('source', '00000000-0000-4000-8000-000000000001'),
      destination: link('destination', '00000000-0000-4000-8000-000000000002'),
      jobId: job.jobId,
      startedAt,
      finishedAt,
      bytesEmitted: bytes,
      bytesCommitted: bytes,
      recordsEmitted: records,
      recordsCommitted: records,
      recordsFilteredOut: 0,
      bytesFilteredOut: 0,
      errorMessage: success ? null : 'Something went wrong in the simulated sync',
      errorType: success ? null : 'system_error',
      errorOrigin: success ? null : 'source',
      bytesEmittedFormatted: `${bytes} B`,
      bytesCommittedFormatted: `${bytes} B`,
      success,
      durationInSeconds: seconds,
      durationFormatted: seconds === null ? null : `${seconds} sec`,
    },
  };
}

/** Watches jobs and notifies their end; `tick` is called on a timer by the server. */
export class Notifier {
  private settings: NotificationSettings = { webhooks: [], drop: 0, duplicate: 0, delayMs: 0 };
  private readonly notified = new Set<number>();
  private readonly sent: SentNotification[] = [];
  private readonly pending = new Set<Promise<void>>();

  configure(input: Partial<NotificationSettings>): NotificationSettings {
    this.settings = { ...this.settings, ...input };
    return this.settings;
  }

  /** Settings and notifications sent; webhook URLs without their last path segment (the receiver's secret). */
  snapshot(): { settings: NotificationSettings; sent: SentNotification[] } {
    const webhooks = this.settings.webhooks.map((url) => url.replace(/\/[^/]*$/, '/…'));
    return { settings: { ...this.settings, webhooks }, sent: [...this.sent] };
  }

  clear(): void {
    this.settings = { webhooks: [], drop: 0, duplicate: 0, delayMs: 0 };
    this.notified.clear();
    this.sent.length = 0;
  }

  /** Sends the notification of every job that ended since the last tick. */
  tick(jobs: () => SimJob[], workspaceOf: (connectionId: string) => string): void {
    if (this.settings.webhooks.length === 0) return;
    for (const job of jobs()) {
      if (this.notified.has(job.jobId)) continue;
      if (job.status !== 'succeeded' && job.status !== 'failed') {
        if (job.status === 'cancelled') this.notified.add(job.jobId);
        continue;
      }
      this.notified.add(job.jobId);
      const record: SentNotification = {
        jobId: job.jobId,
        connectionId: job.connectionId,
        success: job.status === 'succeeded',
        outcome: 'sent',
        posts: 0,
        statuses: [],
      };
      this.sent.push(record);
      if (this.settings.drop > 0) {
        this.settings.drop--;
        record.outcome = 'dropped';
        continue;
      }
      const times = this.settings.duplicate > 0 ? 2 : 1;
      if (times === 2) this.settings.duplicate--;
      const body = JSON.stringify(notificationBody(job, workspaceOf(job.connectionId)));
      const webhooks = [...this.settings.webhooks];
      const delivery = this.post(record, webhooks, body, times, this.settings.delayMs);
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
    }
  }

  private async post(
    record: SentNotification,
    webhooks: string[],
    body: string,
    times: number,
    delayMs: number,
  ): Promise<void> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    for (let i = 0; i < times; i++) {
      for (const url of webhooks) {
        record.posts++;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          record.statuses.push(response.status);
          await response.arrayBuffer();
          if (!response.ok) record.outcome = 'failed';
        } catch {
          // Like Airbyte: logged and not retried.
          record.statuses.push(0);
          record.outcome = 'failed';
        }
      }
    }
  }

  /** Waits for notifications in flight (on close). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
