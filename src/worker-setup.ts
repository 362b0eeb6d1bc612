/**
 * Builds a worker from configuration: loads and validates the catalog (refusing to start on
 * errors), resolves each source description's server and credentials, and registers the
 * activities: `prepareArazzoRun` and, as the default activity, the HTTP call of any operation.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NativeConnection } from '@temporalio/worker';
import { Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createHttpActivities, resolveSourceConnections, type SourceToConnect } from './activities/index.js';
import { createNetworkGot, resolveNetworkSettings, secretsOfNetwork } from './activities/network.js';
import { createPrepareActivity } from './activities/prepare.js';
import type { ArazzoActivities } from './arazzo/contract.js';
import {
  formatDiagnostic,
  hasErrors,
  loadCatalog,
  sourceCredentialProfiles,
  type Catalog,
  type Diagnostic,
} from './catalog/index.js';
import type { WorkerConfig } from './config.js';
import { bundleWorkflows } from './workflow-bundle.js';

/** Worker start refused: the problems, each on its own line. */
export class WorkerSetupError extends Error {
  constructor(
    readonly problems: string[],
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(`the worker cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'WorkerSetupError';
  }
}

/** Where the workflow code is: the TypeScript sources under tsx, the compiled files under node. */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('./workflows/index.js', import.meta.url));
}

/** Loads the catalog and lists every source it needs a connection for. */
export async function loadWorkerCatalog(
  config: Pick<WorkerConfig, 'catalogFolders' | 'sourceOverrides' | 'runOptionDefaults'> &
    Partial<Pick<WorkerConfig, 'remoteSources'>>,
): Promise<{
  catalog: Catalog;
  sources: SourceToConnect[];
  warnings: Diagnostic[];
}> {
  const catalog = await loadCatalog({
    folders: config.catalogFolders,
    sourceOverrides: config.sourceOverrides,
    ...(config.remoteSources ? { remote: config.remoteSources } : {}),
    defaults: config.runOptionDefaults,
  });
  if (hasErrors(catalog.diagnostics)) {
    const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
    throw new WorkerSetupError(
      errors.map((d) => formatDiagnostic(d)),
      catalog.diagnostics,
    );
  }
  const sources = new Map<string, SourceToConnect>();
  const problems: string[] = [];
  for (const [workflowId, entry] of catalog.workflows) {
    const profiles = sourceCredentialProfiles(entry.document);
    try {
      const plan = catalog.buildPlan(workflowId);
      for (const operation of Object.values(plan.operations)) {
        if (sources.has(operation.sourceName)) continue;
        const credentials = profiles[operation.sourceName];
        sources.set(operation.sourceName, {
          name: operation.sourceName,
          ...(credentials ? { credentials } : {}),
          ...(operation.serverUrl ? { serverUrl: operation.serverUrl } : {}),
        });
      }
    } catch (error) {
      problems.push(`${entry.file}: workflow ${workflowId}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new WorkerSetupError(problems);
  return { catalog, sources: [...sources.values()], warnings: catalog.diagnostics };
}

export interface ArazzoWorkerOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  env?: NodeJS.ProcessEnv;
  /** Extra Worker options (tests shorten shutdown, benchmarks tune concurrency). */
  workerOptions?: Partial<WorkerOptions>;
}

/** Creates the worker; throws WorkerSetupError listing every problem when it cannot start. */
export async function createArazzoWorker(
  options: ArazzoWorkerOptions,
): Promise<{ worker: Worker; catalog: Catalog; warnings: Diagnostic[] }> {
  const { config } = options;
  const { catalog, sources, warnings } = await loadWorkerCatalog(config);
  const env = options.env ?? process.env;
  const connections = resolveSourceConnections(env, sources);
  const network = resolveNetworkSettings(env);
  const problems = [...(connections.ok ? [] : connections.errors), ...(network.ok ? [] : network.errors)];
  if (!connections.ok || !network.ok) throw new WorkerSetupError(problems);

  const { callOperation } = createHttpActivities({
    connections: connections.connections,
    got: createNetworkGot(network.settings),
    secrets: secretsOfNetwork(network.settings),
  });
  const { prepareArazzoRun } = createPrepareActivity({ catalog });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace ?? 'default',
    taskQueue: config.taskQueue,
    ...(config.workflowBundlePath
      ? { workflowBundle: { codePath: config.workflowBundlePath } }
      : {
          workflowBundle: await bundleWorkflows({
            workflowsPath: workflowsPath(),
            logger: Runtime.instance().logger,
          }),
        }),
    activities: { prepareArazzoRun, default: callOperation } satisfies ArazzoActivities,
    ...config.workerTuning,
    ...options.workerOptions,
  });
  return { worker, catalog, warnings };
}
