/**
 * The Temporal server of the production topology: its PostgreSQL schema set up with Temporal's
 * own `temporal-sql-tool`, then `temporal-server start` with the committed configuration
 * deploy/temporal/production.yaml, which reads its settings from the environment variables built
 * here (the same variables docker-compose.yml sets; test/unit/docker-compose.test.ts compares them).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { killOnExit, terminate } from '../dev-server/processes.js';
import { projectRoot } from '../config/project-root.js';

const execFileAsync = promisify(execFile);

/** The committed server configuration: `--config deploy/temporal --env production`. */
export const SERVER_CONFIG_DIR = 'deploy/temporal';
export const SERVER_CONFIG_ENV = 'production';

export interface DatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The two databases and the schema folder (in the server module's `schema/postgresql/v12`) of each. */
export const DATABASES = [
  { name: 'temporal', schema: 'temporal' },
  { name: 'temporal_visibility', schema: 'visibility' },
] as const;

/**
 * The `temporal-sql-tool` invocations that create and migrate both databases, in order: the same
 * steps as Temporal's auto-setup script, and the same list docker-compose.yml's `temporal-schema`
 * service runs (compared by test/unit/docker-compose.test.ts). Each is idempotent, so it runs on
 * every start and migrates an older schema after a server upgrade.
 */
export function schemaCommands(schemaDir: string): string[][] {
  return DATABASES.flatMap(({ name, schema }) => [
    ['--db', name, 'create-database'],
    ['--db', name, 'setup-schema', '-v', '0.0'],
    ['--db', name, 'update-schema', '-d', join(schemaDir, schema, 'versioned')],
  ]);
}

/** Runs the schema steps; "already exists" from `create-database` is the expected answer on a restart. */
export async function setUpSchema(sqlTool: string, schemaDir: string, db: DatabaseSettings): Promise<void> {
  const connection = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user];
  for (const command of schemaCommands(schemaDir)) {
    try {
      await execFileAsync(sqlTool, [...connection, ...command], {
        // The password by environment (SQL_PASSWORD, read by the tool), never on a command line.
        env: { ...process.env, SQL_PASSWORD: db.password },
        maxBuffer: 16 << 20,
      });
    } catch (error) {
      const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
      if (command.includes('create-database') && /already exists/.test(output)) continue;
      const lastLines = output.trim().split('\n').slice(-5).join('\n');
      throw new Error(`temporal-sql-tool ${command.join(' ')} failed:\n${lastLines}`, { cause: error });
    }
  }
}

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/** The environment that deploy/temporal/production.yaml reads. */
export function serverEnvironment(db: DatabaseSettings, ports: ServerPorts): Record<string, string> {
  return {
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.metrics}`,
    LOG_LEVEL: 'warn',
  };
}

export interface TemporalServer {
  address: string;
  metricsUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The last lines of the server's log, JSON lines shortened to level, message and error. */
async function tail(file: string, lines = 6): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string; error?: string };
        return `${entry.level}: ${entry.msg}${entry.error ? `: ${entry.error}` : ''}`;
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** True once the frontend answers its gRPC health check with SERVING. */
async function serving(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2000 });
    const { status } = await connection.healthService.check({});
    return status === 1; // SERVING
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** Starts `temporal-server start` (all services) and resolves once the frontend serves. */
export async function startTemporalServer(options: {
  server: string;
  db: DatabaseSettings;
  ports: ServerPorts;
  logFile: string;
  readyTimeoutMs?: number;
}): Promise<TemporalServer> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise((r) => log.once('open', r));
  const args = [
    '--root',
    projectRoot,
    '--config',
    SERVER_CONFIG_DIR,
    '--env',
    SERVER_CONFIG_ENV,
    '--allow-no-auth',
    'start',
  ];
  const child: ChildProcess = spawn(options.server, args, {
    cwd: projectRoot,
    env: { ...process.env, ...serverEnvironment(options.db, options.ports) },
    stdio: ['ignore', log, log],
  });
  killOnExit(child);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ?? `exit code ${code}`;
  });
  const address = `127.0.0.1:${options.ports.frontend}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited) {
      throw new Error(
        `temporal-server exited (${exited}) before serving at ${address}. Last lines of ${options.logFile}:\n${await tail(options.logFile)}`,
      );
    }
    if (await serving(address)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal-server did not serve at ${address} in time (log: ${options.logFile}).`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    address,
    metricsUrl: `http://127.0.0.1:${options.ports.metrics}/metrics`,
    pid: child.pid ?? -1,
    stop: async () => {
      await terminate(child, 20_000);
      log.end();
    },
  };
}

/**
 * Registers `namespace` (the real server, unlike the dev server, starts with none but its system
 * namespace; auto-setup does the same with the CLI) and waits until the frontend's namespace cache
 * knows it, so workers that start next do not see "namespace not found".
 */
export async function ensureNamespace(address: string, namespace: string, retentionDays = 3): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
      });
    } catch (error) {
      if ((error as { code?: number }).code !== 6) throw error; // ALREADY_EXISTS
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        await connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: 'namespace-probe' },
        });
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`namespace ${namespace} not usable: ${String(error)}`, { cause: error });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

/** The server's version, as `temporal-server --version` prints it. */
export async function serverVersion(server: string): Promise<string> {
  const { stdout } = await execFileAsync(server, ['--version']);
  return stdout.trim();
}
