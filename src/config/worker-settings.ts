/**
 * Worker configuration from the environment, the Temporal way (`@temporalio/envconfig`:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS files, temporal.toml profiles) plus
 * this project's variables. Every problem is reported at once, before anything connects.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import type { ClientConnectConfig } from '@temporalio/envconfig';
import type { RunOptions } from '../arazzo/plan.js';
import { checkRunOptions } from '../arazzo/options.js';
import type { CatalogOptions, RemoteSettings } from '../catalog/index.js';
import {
  DEFAULT_ADDRESS,
  DEFAULT_LOG_FORMAT,
  DEFAULT_LOG_LEVEL,
  DEFAULT_TASK_QUEUE,
  defaultCatalogFolder,
  defaultWorkflowBundle,
  LOG_LEVELS,
  type LogLevel,
} from './defaults.js';
import { parseSourceOverrides } from './source-overrides.js';
import { resolveTemporalSettings, TemporalSettingError } from './temporal.js';
import { parseWorkerTuning, type WorkerTuning } from './worker-tuning.js';

export interface WorkerConfig {
  temporal: ClientConnectConfig;
  taskQueue: string;
  /** Folders of Arazzo documents: ARAZZO_CATALOG (a path list), else the project's `arazzo/`. */
  catalogFolders: string[];
  /** Source description locations by name (ARAZZO_SOURCE_DESCRIPTIONS), over the documents' own urls. */
  sourceOverrides: Record<string, string>;
  /**
   * Remote source descriptions: ARAZZO_REMOTE_SOURCES (`on`, the default, or `off`) and
   * ARAZZO_REMOTE_HOSTS (the allow-list of hosts; empty: none). Never from run inputs.
   */
  remoteSources: RemoteSettings;
  /** Worker-wide run option defaults (ARAZZO_RUN_OPTIONS, JSON). */
  runOptionDefaults: Partial<RunOptions>;
  /** `host:port` for a Prometheus endpoint (ARAZZO_METRICS_ADDRESS); none when absent. */
  metricsAddress?: string;
  logLevel: LogLevel;
  logFormat: 'json' | 'text';
  /** A prebuilt workflow bundle (`npm run build`), used when present for a fast start. */
  workflowBundlePath?: string;
  /** Worker tuning (ARAZZO_WORKER_OPTIONS, JSON): cache size and concurrency limits. */
  workerTuning: WorkerTuning;
  /**
   * ARAZZO_HEAP_GROWING_PERCENT: how far V8 lets a worker process's heaps grow past what the last
   * full garbage collection kept, in percent (V8's `--heap-growing-percent`); 0 leaves V8's own
   * heuristics. Applied by the worker process (src/worker.ts) only.
   */
  heapGrowingPercent: number;
}

/**
 * The default of ARAZZO_HEAP_GROWING_PERCENT. V8 otherwise lets a heap grow up to fourfold between
 * full collections when they look cheap: with 1,000 polling activities the worker's main heap held
 * 88 MB after one and grew to 425 MB before the next. At 50 % the peak fell from 838 to 569 MB, with
 * no more CPU per poll (docs/benchmarks.md §15).
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 50;

/** ARAZZO_HEAP_GROWING_PERCENT: a whole number from 0 (V8's own heuristics) to 1000. */
export function parseHeapGrowingPercent(value: string | undefined, errors: string[]): number {
  const given = value?.trim();
  if (!given) return DEFAULT_HEAP_GROWING_PERCENT;
  const percent = Number(given);
  if (!/^\d+$/.test(given) || percent > 1000) {
    errors.push(
      `ARAZZO_HEAP_GROWING_PERCENT: expected a whole number from 0 (V8's own heuristics) to 1000, got '${value}'`,
    );
    return DEFAULT_HEAP_GROWING_PERCENT;
  }
  return percent;
}

/** ARAZZO_REMOTE_SOURCES (on/off) and ARAZZO_REMOTE_HOSTS (comma-separated hosts, `*.domain`, `*`). */
export function parseRemoteSources(env: NodeJS.ProcessEnv, errors: string[]): RemoteSettings {
  const mode = (env.ARAZZO_REMOTE_SOURCES ?? 'on').trim().toLowerCase() || 'on';
  if (mode !== 'on' && mode !== 'off')
    errors.push(`ARAZZO_REMOTE_SOURCES: expected on or off, got '${env.ARAZZO_REMOTE_SOURCES}'`);
  const allowHosts: string[] = [];
  for (const entry of (env.ARAZZO_REMOTE_HOSTS ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    // A host, host:port, *.domain or *; never a URL (a path or scheme would suggest more control than there is).
    if (
      entry === '*' ||
      /^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(entry) ||
      /^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(entry)
    )
      allowHosts.push(entry.toLowerCase());
    else errors.push(`ARAZZO_REMOTE_HOSTS: expected host, host:port, *.domain or *, got '${entry}'`);
  }
  return { enabled: mode !== 'off', allowHosts };
}

/** Reads and checks the configuration; `errors` lists every problem, each naming its variable. */
export function loadWorkerConfig(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: WorkerConfig } | { ok: false; errors: string[] } {
  const { config, errors } = readWorkerSettings(env);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/**
 * Reads the configuration in one pass and never throws: `config` holds best-effort values (a bad
 * setting falls back to its default, a missing catalog folder is left out), so the catalog and the
 * sources can still be checked, and `errors` lists every problem, each naming its variable.
 */
export function readWorkerSettings(env: NodeJS.ProcessEnv): { config: WorkerConfig; errors: string[] } {
  const errors: string[] = [];
  let temporal: ClientConnectConfig = { connectionOptions: { address: DEFAULT_ADDRESS } };
  try {
    const settings = resolveTemporalSettings(env);
    temporal = { connectionOptions: settings.connect, namespace: settings.namespace };
  } catch (error) {
    errors.push(
      error instanceof TemporalSettingError
        ? error.message
        : `Temporal settings: ${(error as Error).message}`,
    );
  }

  const taskQueue = env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
  // ARAZZO_CATALOG replaces the default folder; list `arazzo` in it to keep the project's workflows.
  const catalogFolders: string[] = [];
  const listed = (env.ARAZZO_CATALOG ?? '')
    .split(delimiter)
    .map((f) => f.trim())
    .filter(Boolean);
  if (listed.length === 0) catalogFolders.push(defaultCatalogFolder);
  for (const folder of listed) {
    const path = resolve(folder);
    if (!existsSync(path) || !statSync(path).isDirectory())
      errors.push(`ARAZZO_CATALOG: '${folder}' is not a folder`);
    else if (!catalogFolders.includes(path)) catalogFolders.push(path);
  }

  const sourceOverrides = parseSourceOverrides(env.ARAZZO_SOURCE_DESCRIPTIONS, errors);

  const remoteSources = parseRemoteSources(env, errors);

  let runOptionDefaults: Partial<RunOptions> = {};
  if (env.ARAZZO_RUN_OPTIONS) {
    try {
      const parsed = checkRunOptions(JSON.parse(env.ARAZZO_RUN_OPTIONS));
      for (const problem of parsed.problems) errors.push(`ARAZZO_RUN_OPTIONS: ${problem.message}`);
      runOptionDefaults = parsed.options;
    } catch {
      errors.push(`ARAZZO_RUN_OPTIONS: expected a JSON object such as {"pollIntervalSeconds": 10}`);
    }
  }

  const metricsAddress = env.ARAZZO_METRICS_ADDRESS?.trim() || undefined;
  if (metricsAddress && !/^[^\s:/]+:\d{1,5}$/.test(metricsAddress)) {
    errors.push(`ARAZZO_METRICS_ADDRESS: expected host:port (e.g. 127.0.0.1:9464), got '${metricsAddress}'`);
  }
  const givenLevel = env.ARAZZO_LOG_LEVEL?.trim().toUpperCase() || DEFAULT_LOG_LEVEL;
  const logLevel = LOG_LEVELS.find((level) => level === givenLevel) ?? DEFAULT_LOG_LEVEL;
  if (logLevel !== givenLevel)
    errors.push(`ARAZZO_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got '${env.ARAZZO_LOG_LEVEL}'`);
  const givenFormat = env.ARAZZO_LOG_FORMAT?.trim().toLowerCase() || DEFAULT_LOG_FORMAT;
  const logFormat = givenFormat === 'text' ? 'text' : DEFAULT_LOG_FORMAT;
  if (logFormat !== givenFormat)
    errors.push(`ARAZZO_LOG_FORMAT: expected json or text, got '${env.ARAZZO_LOG_FORMAT}'`);

  let workflowBundlePath: string | undefined;
  if (env.ARAZZO_WORKFLOW_BUNDLE) {
    workflowBundlePath = resolve(env.ARAZZO_WORKFLOW_BUNDLE);
    if (!existsSync(workflowBundlePath))
      errors.push(`ARAZZO_WORKFLOW_BUNDLE: no file at '${env.ARAZZO_WORKFLOW_BUNDLE}' (run npm run build)`);
  } else if (import.meta.url.endsWith('.js') && existsSync(defaultWorkflowBundle)) {
    // Compiled worker (node dist/...): use the bundle built with it. Under tsx, the sources are the truth.
    workflowBundlePath = defaultWorkflowBundle;
  }

  const workerTuning = parseWorkerTuning(env.ARAZZO_WORKER_OPTIONS, errors);
  const heapGrowingPercent = parseHeapGrowingPercent(env.ARAZZO_HEAP_GROWING_PERCENT, errors);

  return {
    errors,
    config: {
      temporal,
      taskQueue,
      catalogFolders,
      sourceOverrides,
      remoteSources,
      runOptionDefaults,
      ...(metricsAddress ? { metricsAddress } : {}),
      logLevel,
      logFormat,
      ...(workflowBundlePath ? { workflowBundlePath } : {}),
      workerTuning,
      heapGrowingPercent,
    },
  };
}

/** The catalog's options from the worker's settings (the catalog the worker would load). */
export function catalogOptions(
  config: Pick<WorkerConfig, 'catalogFolders' | 'sourceOverrides' | 'runOptionDefaults'> &
    Partial<Pick<WorkerConfig, 'remoteSources'>>,
): CatalogOptions {
  return {
    folders: config.catalogFolders,
    sourceOverrides: config.sourceOverrides,
    ...(config.remoteSources ? { remote: config.remoteSources } : {}),
    defaults: config.runOptionDefaults,
  };
}
