/**
 * Temporal connection settings the Temporal way: `@temporalio/envconfig` reads TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS files and temporal.toml profiles; flags (the CLI's
 * `--address`/`--namespace`/`--profile`) override them. Shared by the worker and the CLI, so both
 * read and reject the same settings with the same messages.
 */
import { existsSync } from 'node:fs';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { DEFAULT_ADDRESS, DEFAULT_NAMESPACE } from './defaults.js';

/** Everything needed to connect, with where the address came from (for messages). */
export interface TemporalSettings {
  address: string;
  /** `--address`, `TEMPORAL_ADDRESS`, `temporal.toml` or `default`. */
  addressFrom: string;
  namespace: string;
  connect: ClientConnectConfig['connectionOptions'];
}

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  profile?: string;
}

/** A bad Temporal setting; the message names the variable or flag. */
export class TemporalSettingError extends Error {
  override name = 'TemporalSettingError';
}

function settingError(message: string): TemporalSettingError {
  return new TemporalSettingError(message);
}

/** Names the TEMPORAL_* variable an envconfig message is about, when one can tell. */
function blameVariable(env: NodeJS.ProcessEnv, message: string, profile: string | undefined): string {
  if (/profile/i.test(message)) return profile !== undefined ? '--profile' : 'TEMPORAL_PROFILE';
  const culprit = Object.entries(env).find(([k, v]) => k.startsWith('TEMPORAL_') && v && message.includes(v));
  return culprit?.[0] ?? 'TEMPORAL_* / temporal.toml';
}

/** Reads the connection settings; throws a TemporalSettingError naming the variable at fault. */
export function resolveTemporalSettings(env: NodeJS.ProcessEnv, flags: TemporalFlags = {}): TemporalSettings {
  const profile = flags.profile;
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

  const flagAddress = flags.address;
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
  const namespace = (flags.namespace ?? loaded.namespace ?? DEFAULT_NAMESPACE).trim();
  if (!namespace)
    throw settingError(
      `${flags.namespace !== undefined ? '--namespace' : 'TEMPORAL_NAMESPACE'}: must not be empty`,
    );
  return { address, addressFrom, namespace, connect: { ...loaded.connectionOptions, address } };
}
