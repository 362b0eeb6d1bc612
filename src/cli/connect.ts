/**
 * Connecting to Temporal the Temporal way: `@temporalio/envconfig` reads TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS files and temporal.toml profiles, and the
 * `--address`/`--namespace`/`--profile` flags override them. A bad setting is one message naming
 * its variable; an unreachable server is one message with the address and what to do.
 */
import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import type { ParsedArgs } from './args.js';
import { CliError, ExitCode } from './errors.js';

export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TASK_QUEUE = 'arazzo';

/** Everything needed to connect, with where the address came from (for messages). */
export interface ConnectionSettings {
  address: string;
  /** `--address`, `TEMPORAL_ADDRESS`, `temporal.toml` or `default`. */
  addressFrom: string;
  namespace: string;
  connect: ClientConnectConfig['connectionOptions'];
}

/** A bad setting: exit 2, like a usage error, since nothing was tried yet. */
function settingError(message: string): CliError {
  return new CliError(message, ExitCode.usage);
}

/** Names the TEMPORAL_* variable an envconfig message is about, when one can tell. */
function blameVariable(env: NodeJS.ProcessEnv, message: string, profile: string | undefined): string {
  if (/profile/i.test(message)) return profile !== undefined ? '--profile' : 'TEMPORAL_PROFILE';
  const culprit = Object.entries(env).find(([k, v]) => k.startsWith('TEMPORAL_') && v && message.includes(v));
  return culprit?.[0] ?? 'TEMPORAL_* / temporal.toml';
}

/** Reads the connection settings; throws a CliError (exit 2) naming the variable at fault. */
export function resolveConnectionSettings(env: NodeJS.ProcessEnv, args: ParsedArgs): ConnectionSettings {
  const profile = args.string('profile');
  const configFile = env.TEMPORAL_CONFIG_FILE;
  // envconfig quietly skips a missing file; a named file that is absent is a mistake worth saying.
  if (configFile && !existsSync(configFile)) {
    throw settingError(`TEMPORAL_CONFIG_FILE: no file at '${configFile}'`);
  }
  const tls = env.TEMPORAL_TLS?.trim().toLowerCase();
  if (tls && !['true', 'false', '1', '0'].includes(tls)) {
    throw settingError(`TEMPORAL_TLS: expected true or false, got '${env.TEMPORAL_TLS}'`);
  }
  let loaded: ClientConnectConfig;
  try {
    const overrideEnvVars = Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    loaded = loadClientConnectConfig({ overrideEnvVars, ...(profile !== undefined ? { profile } : {}) });
  } catch (error) {
    const message = (error as Error).message;
    throw settingError(`${blameVariable(env, message, profile)}: ${message}`);
  }

  const flagAddress = args.string('address');
  const address = flagAddress ?? loaded.connectionOptions.address ?? DEFAULT_ADDRESS;
  const addressFrom =
    flagAddress !== undefined
      ? '--address'
      : env.TEMPORAL_ADDRESS
        ? 'TEMPORAL_ADDRESS'
        : loaded.connectionOptions.address
          ? 'temporal.toml'
          : 'default';
  const port = /^[^\s/]+:(\d{1,5})$/.exec(address)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
    throw settingError(
      `${addressFrom === 'default' ? 'TEMPORAL_ADDRESS' : addressFrom}: expected host:port (e.g. ${DEFAULT_ADDRESS}), got '${address}'`,
    );
  }
  const namespace = (args.string('namespace') ?? loaded.namespace ?? 'default').trim();
  if (!namespace)
    throw settingError(
      `${args.string('namespace') !== undefined ? '--namespace' : 'TEMPORAL_NAMESPACE'}: must not be empty`,
    );
  return { address, addressFrom, namespace, connect: { ...loaded.connectionOptions, address } };
}

/** The worker's task queue: `--task-queue`, else TEMPORAL_TASK_QUEUE, else `arazzo` (as the worker). */
export function resolveTaskQueue(env: NodeJS.ProcessEnv, args: ParsedArgs): string {
  return args.string('task-queue')?.trim() || env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
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
