/**
 * Configuration: every setting and default, read from the environment (and the CLI's flags) in one
 * place; each reader collects every problem, naming its variable.
 */
export { clientTaskQueue, webUiBase } from './client-settings.js';
export {
  AIRBYTE_DEFAULT_TIMEOUT_SECONDS,
  BUNDLED_SOURCE_NAME,
  bundledAirbyteDescription,
  DEFAULT_ADDRESS,
  DEFAULT_LOG_FORMAT,
  DEFAULT_LOG_LEVEL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_NAMESPACE,
  DEFAULT_TASK_QUEUE,
  defaultCatalogFolder,
  defaultWorkflowBundle,
  DEV_SERVER_UI,
  GENERIC_DEFAULT_TIMEOUT_SECONDS,
  LOG_LEVELS,
} from './defaults.js';
export type { LogLevel } from './defaults.js';
export { projectRoot } from './project-root.js';
export {
  RECEIVER_DEFAULTS,
  loadReceiverSettings,
  mailboxTtlSeconds,
  type ReceiverSettings,
} from './receiver-settings.js';
export { secretValues } from './secrets.js';
export { parseSourceOverrides, sourceLocation } from './source-overrides.js';
export { checkBaseUrl, resolveSourceConnections, sourceEnvName } from './sources.js';
export type { ConnectionsResult, SourceAuth, SourceConnection, SourceToConnect } from './sources.js';
export { resolveTemporalSettings, TemporalSettingError } from './temporal.js';
export type { TemporalFlags, TemporalSettings } from './temporal.js';
export {
  catalogOptions,
  DEFAULT_HEAP_GROWING_PERCENT,
  loadWorkerConfig,
  parseHeapGrowingPercent,
  parseRemoteSources,
  readWorkerSettings,
} from './worker-settings.js';
export type { WorkerConfig } from './worker-settings.js';
export { parseWorkerTuning } from './worker-tuning.js';
export type { WorkerTuning } from './worker-tuning.js';
