/**
 * Runs a worker configured from the environment (see README, Configuration): refuses to start,
 * listing every problem at once, on a bad setting, a catalog document with errors or a bad source
 * setting; stops gracefully on SIGINT/SIGTERM: running activities finish, workflows resume elsewhere.
 */
import v8 from 'node:v8';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { describeProxy, resolveNetworkSettings, secretsOfNetwork } from '../activities/network.js';
import { createRedactor } from '../activities/redact.js';
import type { Catalog } from '../catalog/load-catalog.js';
import { formatDiagnostic, type Diagnostic } from '../catalog/diagnostic.js';
import { DEFAULT_NAMESPACE, readWorkerSettings, secretValues, type WorkerConfig } from '../config/index.js';
import { createTemporalWorker, deferredActivities } from './create-worker.js';
import { StructuredLogger } from './logging.js';
import { WorkerSetupError } from './setup-error.js';

/** Secrets named by the environment, so log lines can never carry them: proxy passwords too. */
function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return [...secretValues(env), ...proxySecrets(env)];
}

function proxySecrets(env: NodeJS.ProcessEnv): string[] {
  const network = resolveNetworkSettings({
    HTTP_PROXY: env.HTTP_PROXY,
    http_proxy: env.http_proxy,
    HTTPS_PROXY: env.HTTPS_PROXY,
    https_proxy: env.https_proxy,
  });
  return network.ok ? secretsOfNetwork(network.settings) : [];
}

/** The proxies in use, without credentials, for the start-up line. */
function proxySummary(env: NodeJS.ProcessEnv): Record<string, string> {
  const network = resolveNetworkSettings({ ...env, ARAZZO_CA_FILE: undefined });
  if (!network.ok) return {};
  const { httpProxy, httpsProxy, noProxy } = network.settings;
  return {
    ...(httpProxy ? { httpProxy: describeProxy(httpProxy) } : {}),
    ...(httpsProxy ? { httpsProxy: describeProxy(httpsProxy) } : {}),
    ...(noProxy.length > 0 ? { noProxy: noProxy.join(',') } : {}),
  };
}

export interface RunWorkerOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once the worker polls its task queue. */
  onReady?: (info: { config: WorkerConfig; workflows: string[] }) => void;
  /** Installs the process-wide Temporal runtime (logger, metrics); false when the caller did. */
  installRuntime?: boolean;
  /**
   * Connect and load the workflow code while the catalog is checked, instead of after: the worker
   * is ready sooner (docs/benchmarks.md §14). A refusal then leaves a created worker behind that
   * never polls, so only a caller that ends the process on a refusal may set this (src/worker.ts).
   */
  createWhileChecking?: boolean;
  /**
   * Apply ARAZZO_HEAP_GROWING_PERCENT to this process's V8 (every heap, the workflow thread's too)
   * once the worker runs. A process-wide setting, so only the process entry sets this (src/worker.ts).
   */
  tuneHeap?: boolean;
}

/**
 * Sets V8's heap growing factor for this process, unless the command line already chose one
 * (`node --heap-growing-percent=N`, which NODE_OPTIONS does not accept). V8 reads the flag each
 * time it sets a heap's next limit, so setting it after start takes effect at the next collection
 * (measured: docs/benchmarks.md §15). Returns what applies: a percent, `'command line'`, or
 * `'V8 default'` for 0.
 */
export function applyHeapGrowingPercent(
  percent: number,
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): number | 'command line' | 'V8 default' {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg))) return 'command line';
  if (percent === 0) return 'V8 default';
  setFlags(`--heap-growing-percent=${percent}`);
  return percent;
}

/** Runs a worker until SIGINT/SIGTERM. Resolves when it has shut down; rejects if it cannot start. */
export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const settings = readWorkerSettings(env);
  const { config } = settings;
  // Every problem (settings, documents, sources) in one refusal. Bad settings refuse before
  // anything connects; the catalog's problems before the worker polls.
  const early = options.createWhileChecking === true && settings.errors.length === 0;
  // The catalog, the activities and their libraries: loaded when needed, so that an early worker
  // starts its workflow thread first (this module and those above load none of them).
  const setup = early ? undefined : await import('./setup.js');
  const prepared = setup ? await setup.prepareWithConfig(config, env, settings.errors) : undefined;

  const redactor = createRedactor(environmentSecrets(env));
  const logger = new StructuredLogger({
    level: config.logLevel,
    format: config.logFormat,
    redact: (line) =>
      redactor.text(line).replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [redacted]'),
  });
  if (options.installRuntime !== false) {
    Runtime.install({
      logger,
      ...(config.metricsAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.metricsAddress } } } }
        : {}),
    });
  }

  const address = config.temporal.connectionOptions.address;
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(config.temporal.connectionOptions);
  } catch (error) {
    // The documents' problems come first, as when they are checked before connecting.
    if (early) await (await import('./setup.js')).prepareWithConfig(config, env, []);
    throw new WorkerSetupError([
      `cannot reach Temporal at ${address} (TEMPORAL_ADDRESS): ${(error as Error).message}. Start one with \`npm start\` or set TEMPORAL_ADDRESS.`,
    ]);
  }
  const creating =
    setup && prepared
      ? setup.createArazzoWorker({ config, connection, env, prepared })
      : createWhileChecking(config, connection, env);
  try {
    const { worker, catalog, warnings } = await creating;
    for (const warning of warnings) logger.warn(formatDiagnostic(warning));
    const workflows = [...catalog.workflows.keys()].sort();
    const ready = worker.run();
    // After start-up, which allocates freely and is quicker with V8's own growth (docs/benchmarks.md §15).
    const heapGrowing =
      options.tuneHeap === true ? applyHeapGrowingPercent(config.heapGrowingPercent) : undefined;
    logger.info('worker polling', {
      address,
      namespace: config.temporal.namespace ?? DEFAULT_NAMESPACE,
      taskQueue: config.taskQueue,
      workflows,
      bundle: config.workflowBundlePath ?? 'built at start',
      ...(heapGrowing !== undefined ? { heapGrowingPercent: heapGrowing } : {}),
      ...proxySummary(env),
      ...(config.metricsAddress ? { metrics: `http://${config.metricsAddress}/metrics` } : {}),
    });
    options.onReady?.({ config, workflows });
    await ready;
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

/**
 * Creates the worker while the catalog is checked: its thread loads the workflow code while this
 * one loads the catalog, the activities and their libraries. The worker goes first (its thread is
 * started before any of them loads). On a refusal the created worker is left to the process's
 * end, unrun: the SDK cannot drop a worker that never ran, nor close a connection a worker holds
 * (hence `createWhileChecking` only where a refusal ends the process).
 */
async function createWhileChecking(
  config: WorkerConfig,
  connection: NativeConnection,
  env: NodeJS.ProcessEnv,
): Promise<{ worker: Worker; catalog: Catalog; warnings: Diagnostic[] }> {
  let check!: () => void;
  const checking = new Promise<void>((resolve) => (check = resolve));
  const preparing = checking.then(async () => {
    const setup = await import('./setup.js');
    const prepared = await setup.prepareWithConfig(config, env, []);
    return { prepared, activities: setup.arazzoActivities(prepared, config, connection) };
  });
  const creating = createTemporalWorker({
    config,
    connection,
    activities: deferredActivities(preparing.then(({ activities }) => activities)),
    handOverCode: true,
  });
  creating.catch(() => undefined); // a refusal is reported from `preparing`
  check();
  const { prepared } = await preparing;
  return { worker: await creating, catalog: prepared.catalog, warnings: prepared.warnings };
}
