/**
 * The notification receiver as a process's work: a Temporal client and the HTTP endpoint Airbyte
 * calls (src/receiver/receiver.ts), delivering through signal-with-start on the job's mailbox.
 */
import { Client, Connection } from '@temporalio/client';
import { loadReceiverSettings, resolveTemporalSettings } from '../config/index.js';
import { StructuredLogger } from '../worker/logging.js';
import { NOTIFICATION_PATH, startReceiver, type Receiver } from './receiver.js';
import { temporalDeliver } from './temporal-deliver.js';

/** Starts the receiver against the configured Temporal server; `close` stops it and its connection. */
export async function runReceiver(env: NodeJS.ProcessEnv = process.env): Promise<Receiver> {
  const settings = loadReceiverSettings(env);
  const temporal = resolveTemporalSettings(env);
  const connection = await Connection.connect(temporal.connect);
  const client = new Client({ connection, namespace: temporal.namespace });
  const secret = settings.secret;
  const logger = new StructuredLogger({
    level: env.ARAZZO_LOG_LEVEL === 'WARN' ? 'WARN' : 'INFO',
    format: env.ARAZZO_LOG_FORMAT === 'text' ? 'text' : 'json',
    redact: (line) => line.split(secret).join('[redacted]'),
  });
  const receiver = await startReceiver({
    settings,
    deliver: temporalDeliver(client, settings.taskQueue, settings.mailboxTtlSeconds),
    log: {
      info: (message, fields) => logger.info(message, fields),
      warn: (message, fields) => logger.warn(message, fields),
    },
  });
  logger.info('notification receiver listening', {
    url: `${receiver.origin}${NOTIFICATION_PATH}<ARAZZO_RECEIVER_SECRET>`,
    temporal: temporal.address,
    taskQueue: settings.taskQueue,
    allow: settings.allowText ?? 'any address',
  });
  return {
    ...receiver,
    close: async () => {
      await receiver.close();
      await connection.close();
    },
  };
}
