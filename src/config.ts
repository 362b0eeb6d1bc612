/**
 * Worker configuration from the environment, the Temporal way (`@temporalio/envconfig`:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS files, temporal.toml profiles) plus
 * this project's variables. Every problem is reported at once, before anything connects.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { ClientConnectConfig } from '@temporalio/envconfig';
import type { RunOptions } from './arazzo/plan.js';
import { parseRunOptions } from './catalog/index.js';
import type { RemoteSettings } from './catalog/index.js';
import { projectRoot } from './dev-server/temporal-cli.js';
import { DEFAULT_ADDRESS, resolveTemporalSettings, TemporalSettingError } from './temporal-settings.js';

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
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  logFormat: 'json' | 'text';
  /** A prebuilt workflow bundle (`npm run build`), used when present for a fast start. */
  workflowBundlePath?: string;
  /** Worker tuning (ARAZZO_WORKER_OPTIONS, JSON): cache size and concurrency limits. */
  workerTuning: WorkerTuning;
}

/** The Temporal Worker options an operator may tune; see docs/benchmarks.md for what they change. */
export interface WorkerTuning {
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  maxConcurrentActivityTaskPolls?: number;
  /** Share of the workflow-task pollers on the normal queue (new runs) against the sticky one (0 < r ≤ 1). */
  nonStickyToStickyPollRatio?: number;
  reuseV8Context?: boolean;
}

const TUNING_KEYS: Record<keyof WorkerTuning, 'count' | 'ratio' | 'boolean'> = {
  maxCachedWorkflows: 'count',
  maxConcurrentWorkflowTaskExecutions: 'count',
  maxConcurrentActivityTaskExecutions: 'count',
  maxConcurrentLocalActivityExecutions: 'count',
  maxConcurrentWorkflowTaskPolls: 'count',
  maxConcurrentActivityTaskPolls: 'count',
  nonStickyToStickyPollRatio: 'ratio',
  reuseV8Context: 'boolean',
};

function parseWorkerTuning(value: string | undefined, errors: string[]): WorkerTuning {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    errors.push('ARAZZO_WORKER_OPTIONS: expected a JSON object such as {"maxCachedWorkflows": 2000}');
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    errors.push('ARAZZO_WORKER_OPTIONS: expected a JSON object');
    return {};
  }
  const tuning: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(parsed)) {
    const kind = (TUNING_KEYS as Record<string, 'count' | 'ratio' | 'boolean' | undefined>)[key];
    if (!kind)
      errors.push(
        `ARAZZO_WORKER_OPTIONS.${key}: unknown option (known: ${Object.keys(TUNING_KEYS).join(', ')})`,
      );
    else if (kind === 'count' && !(Number.isInteger(v) && (v as number) >= 1)) {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
    } else if (kind === 'ratio' && !(typeof v === 'number' && v > 0 && v <= 1)) {
      errors.push(
        `ARAZZO_WORKER_OPTIONS.${key}: must be a number above 0 and at most 1, got ${JSON.stringify(v)}`,
      );
    } else if (kind === 'boolean' && typeof v !== 'boolean') {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: must be true or false, got ${JSON.stringify(v)}`);
    } else tuning[key] = v;
  }
  return tuning as WorkerTuning;
}

/** The project's own catalog folder and OpenAPI description of Airbyte. */
export const defaultCatalogFolder = join(projectRoot, 'arazzo');
export const bundledAirbyteDescription = join(projectRoot, 'openapi', 'airbyte-openapi.yml');
export const defaultWorkflowBundle = join(projectRoot, 'dist', 'workflow-bundle.js');

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

function parseSourceOverrides(value: string | undefined, errors: string[]): Record<string, string> {
  // The bundled Airbyte description serves every document whose Airbyte source is named airbyteApi
  // (the seeds point at a file that does not exist next to them).
  const overrides: Record<string, string> = { airbyteApi: bundledAirbyteDescription };
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const location = entry.slice(eq + 1).trim();
    if (eq <= 0 || !name || !location) {
      errors.push(`ARAZZO_SOURCE_DESCRIPTIONS: expected name=path-or-url[,name=...], got '${entry}'`);
      continue;
    }
    overrides[name] = /^[a-z][a-z0-9+.-]*:/i.test(location) ? location : resolve(location);
  }
  return overrides;
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

  const taskQueue = env.TEMPORAL_TASK_QUEUE?.trim() || 'arazzo';
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
      const parsed = parseRunOptions(JSON.parse(env.ARAZZO_RUN_OPTIONS));
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
  const logLevel = (env.ARAZZO_LOG_LEVEL?.trim().toUpperCase() || 'INFO') as WorkerConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    errors.push(`ARAZZO_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got '${env.ARAZZO_LOG_LEVEL}'`);
  const logFormat = (env.ARAZZO_LOG_FORMAT?.trim().toLowerCase() || 'json') as WorkerConfig['logFormat'];
  if (logFormat !== 'json' && logFormat !== 'text')
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

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
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
    },
  };
}
