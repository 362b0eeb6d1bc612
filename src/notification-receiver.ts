/**
 * `npm run receiver`: the notification receiver as its own process. It holds a Temporal client
 * and nothing else (no Airbyte credentials, no catalog), so the one port Airbyte must reach is in
 * a process that cannot call Airbyte or anything a notification names.
 */
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { StructuredLogger } from './logging.js';
import { startReceiver, NOTIFICATION_PATH, type Receiver } from './receiver/receiver.js';
import { loadReceiverSettings } from './receiver/settings.js';
import { temporalDeliver } from './receiver/temporal-deliver.js';
import { resolveTemporalSettings } from './temporal-settings.js';

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

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  runReceiver().then(
    (receiver) => {
      const stop = () => void receiver.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
