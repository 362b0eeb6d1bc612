/**
 * The production topology on one machine, without Docker, as docker-compose.yml describes it:
 * PostgreSQL, the schema set up by temporal-sql-tool, the Temporal server on PostgreSQL with the
 * committed configuration, the standalone Web UI server when it could be built, and N worker
 * processes (the project's worker entry point, as the Dockerfile runs it) on one task queue.
 * Everything binds to 127.0.0.1 and keeps its state and logs in one data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, killOnExit, terminate } from '../dev-server/processes.js';
import { DEFAULT_NAMESPACE, projectRoot } from '../config/index.js';
import { startPostgres, type Postgres } from './postgres.js';
import { findServerTools, type ServerTools } from './server-tools.js';
import {
  ensureNamespace,
  setUpSchema,
  startTemporalServer,
  type DatabaseSettings,
  type ServerPorts,
  type TemporalServer,
} from './temporal-server.js';
import { startUiServer, type UiServer } from './ui-server.js';

export interface ProdStackOptions {
  /** State and logs: `postgres/` (the database), `logs/*.log`. */
  dataDir: string;
  /** Worker processes to start (default 2). */
  workers?: number;
  /** Environment of the workers on top of this process's (AIRBYTE_API_URL, TEMPORAL_TASK_QUEUE, …). */
  workerEnv?: NodeJS.ProcessEnv;
  /** Use the usual ports (7233, 8080, 5432…) when free rather than random free ones. */
  preferUsualPorts?: boolean;
  /** Start the Web UI server when it was built (default true). */
  ui?: boolean;
  namespace?: string;
  log?: (line: string) => void;
}

export interface StackWorker {
  pid: number;
  /** `pid@hostname`: the identity the worker gives Temporal (the SDK's default). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ProdStack {
  /** `127.0.0.1:<port>` of the Temporal frontend. */
  address: string;
  namespace: string;
  uiUrl?: string;
  /** Why there is no Web UI, when there is none. */
  uiMissing?: string;
  serverMetricsUrl: string;
  postgresPort: number;
  /** The PostgreSQL postmaster (its backends are its children). */
  postgresPid: number;
  /** The running Temporal server process (changes with `restartServer`). */
  serverPid(): number;
  tools: ServerTools;
  workers: StackWorker[];
  /** Starts one more worker process with the stack's worker environment (plus `env`). */
  startWorker(env?: NodeJS.ProcessEnv): Promise<StackWorker>;
  /** Stops the Temporal server and starts it again on the same database and ports. */
  restartServer(): Promise<void>;
  /** Stops everything it started, workers first, PostgreSQL last. */
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function port(usual: number, preferUsual: boolean): Promise<number> {
  return preferUsual && (await portIsFree(usual)) ? usual : freePort();
}

/**
 * A free port below 32768 for the Temporal server's own services: it records them in
 * `cluster_membership.rpc_port`, a SMALLINT (schema/postgresql/v12/temporal/schema.sql), so the
 * OS's ephemeral ports (32768 and up) make it fail at start with "out of range for type smallint".
 */
async function serverPort(usual: number, preferUsual: boolean): Promise<number> {
  if (preferUsual && (await portIsFree(usual))) return usual;
  for (let i = 0; i < 200; i++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(candidate)) return candidate;
  }
  throw new Error('no free port between 20000 and 32000 on 127.0.0.1 for the Temporal server');
}

/** A password made once per data folder, kept beside it (mode 600); never printed. */
async function databasePassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres.password');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * The worker entry point, without extension: `dist/src/worker.js` is what the Dockerfile runs
 * (test/unit/docker-compose.test.ts checks it), `src/worker.ts` the same program from source.
 */
export const WORKER_ENTRY = 'src/worker';

/** The variables the stack sets for its workers, which docker-compose.yml's worker sets too. */
export const STACK_WORKER_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'AIRBYTE_API_URL',
];

/** The worker entry point: the compiled one the Dockerfile runs when built, else the source through tsx. */
function workerCommand(): string[] {
  const compiled = join(projectRoot, 'dist', `${WORKER_ENTRY}.js`);
  return import.meta.url.endsWith('.js') && existsSync(compiled)
    ? [compiled]
    : ['--import', 'tsx', join(projectRoot, `${WORKER_ENTRY}.ts`)];
}

async function startWorkerProcess(env: NodeJS.ProcessEnv, logFile: string): Promise<StackWorker> {
  const log = createWriteStream(logFile, { flags: 'a' });
  await new Promise((r) => log.once('open', r));
  const child: ChildProcess = spawn(process.execPath, workerCommand(), {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  for (let i = 0; i < 1200 && !output.includes('worker polling'); i++) {
    if (child.exitCode !== null)
      throw new Error(`a worker process exited with code ${child.exitCode} before polling:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!output.includes('worker polling')) {
    child.kill('SIGKILL');
    throw new Error(`a worker process did not start polling within 120 s:\n${output}`);
  }
  return {
    pid: child.pid ?? -1,
    output: () => output,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      await terminate(child, 15_000, signal);
      log.end();
    },
  };
}

/** Starts the whole topology; on any failure stops what it started and rethrows. */
export async function startProdStack(options: ProdStackOptions): Promise<ProdStack> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const preferUsual = options.preferUsualPorts ?? false;
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const logs = join(options.dataDir, 'logs');
  await mkdir(logs, { recursive: true });

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const tools = await findServerTools({ log });

    const db: DatabaseSettings = {
      host: '127.0.0.1',
      port: await port(5432, preferUsual),
      user: 'temporal',
      password: await databasePassword(options.dataDir),
    };
    log(`PostgreSQL on ${db.host}:${db.port} (data in ${join(options.dataDir, 'postgres')})…`);
    const postgres: Postgres = await startPostgres({
      dataDir: join(options.dataDir, 'postgres'),
      port: db.port,
      user: db.user,
      password: db.password,
      logFile: join(logs, 'postgres.log'),
    });
    stops.push(() => postgres.stop());

    log(
      'Schema: temporal-sql-tool create-database, setup-schema, update-schema (temporal, temporal_visibility)…',
    );
    await setUpSchema(tools.sqlTool, tools.postgresSchemaDir, db);

    const ports: ServerPorts = {
      frontend: await serverPort(7233, preferUsual),
      frontendHttp: await serverPort(7243, preferUsual),
      frontendMembership: await serverPort(6933, preferUsual),
      history: await serverPort(7234, preferUsual),
      historyMembership: await serverPort(6934, preferUsual),
      matching: await serverPort(7235, preferUsual),
      matchingMembership: await serverPort(6935, preferUsual),
      worker: await serverPort(7239, preferUsual),
      workerMembership: await serverPort(6939, preferUsual),
      metrics: await port(8000, preferUsual),
    };
    const serverLog = join(logs, 'temporal-server.log');
    log(`Temporal server on 127.0.0.1:${ports.frontend} (config deploy/temporal/production.yaml)…`);
    let server: TemporalServer = await startTemporalServer({
      server: tools.server,
      db,
      ports,
      logFile: serverLog,
    });
    stops.push(() => server.stop());
    await ensureNamespace(server.address, namespace);

    let ui: UiServer | undefined;
    let uiMissing: string | undefined;
    if (options.ui === false) uiMissing = 'not asked for';
    else if (typeof tools.uiServer !== 'string') uiMissing = tools.uiServer.missing;
    else {
      ui = await startUiServer({
        uiServer: tools.uiServer,
        temporalAddress: server.address,
        port: await port(8080, preferUsual),
        logFile: join(logs, 'temporal-ui.log'),
      });
      stops.push(() => ui!.stop());
    }

    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
      ARAZZO_LOG_FORMAT: 'json',
      ARAZZO_LOG_LEVEL: 'INFO',
      ...options.workerEnv,
    };
    let workerCount = 0;
    const workers: StackWorker[] = [];
    const startWorker = async (env: NodeJS.ProcessEnv = {}) => {
      const worker = await startWorkerProcess(
        { ...workerEnv, ...env },
        join(logs, `worker-${++workerCount}.log`),
      );
      stops.push(() => worker.kill('SIGTERM'));
      return worker;
    };
    const wanted = options.workers ?? 2;
    for (let i = 0; i < wanted; i++) workers.push(await startWorker());

    return {
      address: server.address,
      namespace,
      ...(ui ? { uiUrl: ui.url } : {}),
      ...(uiMissing ? { uiMissing } : {}),
      serverMetricsUrl: server.metricsUrl,
      postgresPort: db.port,
      postgresPid: postgres.pid,
      serverPid: () => server.pid,
      tools,
      workers,
      startWorker,
      restartServer: async () => {
        await server.stop();
        server = await startTemporalServer({ server: tools.server, db, ports, logFile: serverLog });
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
