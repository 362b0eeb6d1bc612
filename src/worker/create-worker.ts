/**
 * The Temporal worker itself, from settings and activities: its workflow code (the prebuilt bundle,
 * or bundled now), task queue and tuning. Apart from the catalog and the activities' libraries
 * (got, Ajv, yaml, the XPath engine), so that run-worker.ts can start it, and its workflow thread,
 * before it loads them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { ArazzoActivities } from '../contract/index.js';
import { DEFAULT_NAMESPACE, type WorkerConfig } from '../config/index.js';
import { projectRoot } from '../config/project-root.js';
import { bundleWorkflows } from './workflow-bundle.js';

/** Where the workflow code is: the TypeScript sources under tsx, the compiled files under node. */
export function workflowsPath(): string {
  return import.meta.url.endsWith('.ts')
    ? join(projectRoot, 'src', 'workflows', 'index.ts')
    : join(projectRoot, 'dist', 'src', 'workflows', 'index.js');
}

export interface TemporalWorkerOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  activities: ArazzoActivities;
  /** Extra Worker options (tests shorten shutdown, benchmarks tune concurrency). */
  workerOptions?: Partial<WorkerOptions>;
  /**
   * Hand the SDK the prebuilt bundle's text instead of its path. It then parses the code and starts
   * the workflow thread at once, where with a path it first waits for its own read of the file,
   * which work this thread starts meanwhile (the catalog) would hold up.
   */
  handOverCode?: boolean;
}

/** Creates the worker; it polls once run. */
export async function createTemporalWorker(options: TemporalWorkerOptions): Promise<Worker> {
  const { config, connection } = options;
  const bundlePath = config.workflowBundlePath;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace ?? DEFAULT_NAMESPACE,
    taskQueue: config.taskQueue,
    workflowBundle: bundlePath
      ? options.handOverCode
        ? { code: readFileSync(bundlePath, 'utf8') }
        : { codePath: bundlePath }
      : await bundleWorkflows({ workflowsPath: workflowsPath(), logger: Runtime.instance().logger }),
    activities: options.activities,
    ...config.workerTuning,
    ...options.workerOptions,
  });
}

/** Activities registered before they exist: each call waits for `made`, whose implementations it runs. */
export function deferredActivities(made: Promise<ArazzoActivities>): ArazzoActivities {
  made.catch(() => undefined); // the caller reports why; a worker whose activities failed is not run
  const later =
    <K extends keyof ArazzoActivities>(name: K) =>
    async (...args: Parameters<ArazzoActivities[K]>): Promise<Awaited<ReturnType<ArazzoActivities[K]>>> =>
      (await made)[name](...(args as [never])) as Awaited<ReturnType<ArazzoActivities[K]>>;
  return {
    prepareArazzoRun: later('prepareArazzoRun'),
    default: later('default'),
    pollOperation: later('pollOperation'),
    subscribeMessage: later('subscribeMessage'),
  };
}
