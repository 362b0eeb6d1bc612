/**
 * Builds a worker from configuration: loads and validates the catalog (refusing to start on
 * errors), resolves each source description's server and credentials, and registers the
 * activities: `prepareArazzoRun`, as the default activity the HTTP call of any operation, and
 * `pollOperation`, the poll loop of `pollIn: 'activity'` over that same call.
 */
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createHttpActivities } from '../activities/index.js';
import { resolveNetworkSettings, secretsOfNetwork, type NetworkSettings } from '../activities/network.js';
import { createNetworkGot } from '../activities/network-got.js';
import { createPollActivity } from '../activities/poll.js';
import { createPrepareActivity } from '../activities/prepare.js';
import { createMessageActivities } from '../activities/subscribe-message.js';
import type { ArazzoActivities } from '../contract/index.js';
import { loadRunnableCatalog, type Catalog, type Diagnostic } from '../catalog/index.js';
import {
  DEFAULT_NAMESPACE,
  RECEIVER_DEFAULTS,
  catalogOptions,
  mailboxTtlSeconds,
  readWorkerSettings,
  resolveSourceConnections,
  type SourceConnection,
  type SourceToConnect,
  type WorkerConfig,
} from '../config/index.js';
import { createTemporalWorker } from './create-worker.js';
import { WorkerSetupError } from './setup-error.js';

export { WorkerSetupError } from './setup-error.js';
export { workflowsPath } from './create-worker.js';

type CatalogSettings = Pick<WorkerConfig, 'catalogFolders' | 'sourceOverrides' | 'runOptionDefaults'> &
  Partial<Pick<WorkerConfig, 'remoteSources'>>;

/** Loads the catalog and lists every source it needs a connection for; throws WorkerSetupError on any problem. */
export async function loadWorkerCatalog(config: CatalogSettings): Promise<{
  catalog: Catalog;
  sources: SourceToConnect[];
  warnings: Diagnostic[];
}> {
  const { catalog, sources, warnings, problems, diagnostics } = await loadRunnableCatalog(
    catalogOptions(config),
  );
  if (problems.length > 0) throw new WorkerSetupError(problems, diagnostics);
  return { catalog, sources, warnings };
}

/** Everything a worker needs besides a connection, checked: made by {@link prepareWorker}. */
export interface PreparedWorker {
  config: WorkerConfig;
  catalog: Catalog;
  warnings: Diagnostic[];
  connections: Record<string, SourceConnection>;
  network: NetworkSettings;
  /** How long a receive step's mailbox waits (`ARAZZO_MAILBOX_TTL_SECONDS`). */
  mailboxTtlSeconds: number;
}

/**
 * Checks the catalog, the sources' connections and the network settings; throws one
 * WorkerSetupError listing `settingProblems` and every problem found here.
 */
export async function prepareWithConfig(
  config: WorkerConfig,
  env: NodeJS.ProcessEnv,
  settingProblems: string[],
): Promise<PreparedWorker> {
  const { catalog, sources, warnings, problems, diagnostics } = await loadRunnableCatalog(
    catalogOptions(config),
  );
  const connections = resolveSourceConnections(env, sources);
  const network = resolveNetworkSettings(env);
  const mailbox = readMailboxTtl(env);
  const all = [
    ...settingProblems,
    ...problems,
    ...(connections.ok ? [] : connections.errors),
    ...(network.ok ? [] : network.errors),
    ...(mailbox.problem ? [mailbox.problem] : []),
  ];
  if (all.length > 0 || !connections.ok || !network.ok) throw new WorkerSetupError(all, diagnostics);
  return {
    config,
    catalog,
    warnings,
    connections: connections.connections,
    network: network.settings,
    mailboxTtlSeconds: mailbox.seconds,
  };
}

function readMailboxTtl(env: NodeJS.ProcessEnv): { seconds: number; problem?: string } {
  try {
    return { seconds: mailboxTtlSeconds(env) };
  } catch (error) {
    return { seconds: RECEIVER_DEFAULTS.mailboxTtlSeconds, problem: (error as Error).message };
  }
}

/**
 * The one pass before a worker connects: settings, catalog documents (file:line diagnostics) and
 * every source's connection settings are all read, and every problem is reported in one
 * WorkerSetupError. Needs no Temporal server.
 */
export async function prepareWorker(env: NodeJS.ProcessEnv): Promise<PreparedWorker> {
  const { config, errors } = readWorkerSettings(env);
  return prepareWithConfig(config, env, errors);
}

export interface ArazzoWorkerOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  env?: NodeJS.ProcessEnv;
  /** Extra Worker options (tests shorten shutdown, benchmarks tune concurrency). */
  workerOptions?: Partial<WorkerOptions>;
  /** What {@link prepareWorker} checked already; prepared from `config` when absent. */
  prepared?: PreparedWorker;
}

/** The activities of a prepared worker. */
export function arazzoActivities(
  prepared: PreparedWorker,
  config: WorkerConfig,
  connection: NativeConnection,
): ArazzoActivities {
  const { catalog, connections, network, mailboxTtlSeconds: ttl } = prepared;
  const { callOperation } = createHttpActivities({
    connections,
    got: createNetworkGot(network),
    secrets: secretsOfNetwork(network),
  });
  const { prepareArazzoRun } = createPrepareActivity({ catalog });
  // Receive steps register with their mailbox through this client, on the worker's own connection.
  const { subscribeMessage } = createMessageActivities({
    client: new Client({ connection, namespace: config.temporal.namespace ?? DEFAULT_NAMESPACE }),
    taskQueue: config.taskQueue,
    mailboxTtlSeconds: ttl,
  });
  return {
    prepareArazzoRun,
    default: callOperation,
    ...createPollActivity({ callOperation }),
    subscribeMessage,
  };
}

/** Creates the worker; throws WorkerSetupError listing every problem when it cannot start. */
export async function createArazzoWorker(
  options: ArazzoWorkerOptions,
): Promise<{ worker: Worker; catalog: Catalog; warnings: Diagnostic[] }> {
  const { config, connection } = options;
  const prepared = options.prepared ?? (await prepareWithConfig(config, options.env ?? process.env, []));
  const worker = await createTemporalWorker({
    config,
    connection,
    activities: arazzoActivities(prepared, config, connection),
    workerOptions: options.workerOptions,
  });
  return { worker, catalog: prepared.catalog, warnings: prepared.warnings };
}
