/**
 * Connecting to Temporal the Temporal way: `@temporalio/envconfig` reads TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS files and temporal.toml profiles, and the
 * `--address`/`--namespace`/`--profile` flags override them. A bad setting is one message naming
 * its variable; an unreachable server is one message with the address and what to do.
 */
import { Client, Connection } from '@temporalio/client';
import type { ParsedArgs } from './args.js';
import { CliError, ExitCode } from './errors.js';
import {
  clientTaskQueue,
  resolveTemporalSettings,
  TemporalSettingError,
  type TemporalSettings,
} from '../config/index.js';

/** Everything needed to connect, with where the address came from (for messages). */
export type ConnectionSettings = TemporalSettings;

/** Reads the connection settings; throws a CliError (exit 2, nothing was tried yet) naming the variable at fault. */
export function resolveConnectionSettings(env: NodeJS.ProcessEnv, args: ParsedArgs): ConnectionSettings {
  try {
    const flags = {
      address: args.string('address'),
      namespace: args.string('namespace'),
      profile: args.string('profile'),
    };
    return resolveTemporalSettings(
      env,
      Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as Record<string, string>,
    );
  } catch (error) {
    if (error instanceof TemporalSettingError) throw new CliError(error.message, ExitCode.usage);
    throw error;
  }
}

/** The worker's task queue: `--task-queue`, else TEMPORAL_TASK_QUEUE, else the worker's default. */
export function resolveTaskQueue(env: NodeJS.ProcessEnv, args: ParsedArgs): string {
  return clientTaskQueue(env, args.string('task-queue'));
}

/** Connects, or throws a CliError with the address and a hint. The caller closes the connection. */
export async function connectClient(
  settings: ConnectionSettings,
): Promise<{ client: Client; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: settings.address,
      ...(settings.connect.tls !== undefined ? { tls: settings.connect.tls } : {}),
      ...(settings.connect.apiKey !== undefined ? { apiKey: settings.connect.apiKey } : {}),
      ...(settings.connect.metadata !== undefined ? { metadata: settings.connect.metadata } : {}),
      connectTimeout: '5 seconds',
    });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new CliError(
      `cannot connect to the Temporal server at ${settings.address} (${settings.addressFrom}): ${reason}\n` +
        `hint: start a local one with \`npm start\`, or set TEMPORAL_ADDRESS (or --address) to your server's host:port`,
    );
  }
  return {
    client: new Client({ connection, namespace: settings.namespace }),
    close: () => connection.close(),
  };
}
