/**
 * Starts and stops a real Temporal dev server (`temporal server start-dev`) on loopback, for tests,
 * benchmarks and `npm start`. Ports are free ones unless given; an SQLite file makes the state
 * survive a restart. Every started server is stopped when this process exits, so a failing test
 * never leaves one behind.
 *
 * When the Temporal CLI can be neither found nor built, callers that need neither persistence nor
 * a Web UI get the Java test server from Maven Central instead (see java-test-server.ts), with a
 * loud warning. `ARAZZO_TEMPORAL_SERVER=java` forces that fallback; `=cli` forbids it.
 */
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  JAVA_TEST_SERVER_ARTIFACT,
  javaTestServerUnavailableReason,
  startJavaTestServer,
} from './java-test-server.js';
import { findTemporalCli } from './temporal-cli.js';
import { freePort, killOnExit, terminate } from './processes.js';

export { freePort };

/**
 * Dynamic config every dev server started here gets (a caller's `dynamicConfig` overrides it).
 *
 * `history.workflowTaskRetryMaxInterval`: from its 4th attempt on, the Temporal server lengthens a
 * workflow task's start-to-close timeout by 5 s × 2^(attempt − 4), up to this bound, 10 minutes by
 * default (temporalio/temporal: `getStartToCloseTimeout` in
 * service/history/workflow/workflow_task_state_machine.go; `WorkflowTaskRetryMaxInterval` in
 * common/dynamicconfig/constants.go). A run whose workflow tasks timed out a few times in a row (its
 * worker killed, the server restarted while the task was out) then has one *started* for up to
 * 10 minutes when the worker holding it dies: the stall the reliability suite once saw
 * (docs/reliability.md). Here the lengthening stops at 10 s, so such a task is retried after at most
 * 20 s with the default 10 s task timeout. Production servers keep their own setting.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'history.workflowTaskRetryMaxInterval': '10s',
};

/**
 * SQLite pragmas every dev server started here with an SQLite file gets (`--sqlite-pragma`; a
 * caller's `sqlitePragmas` overrides them).
 *
 * The dev server writes through a single SQLite connection (temporalio/temporal v1.29.1:
 * `db.SetMaxOpenConns(1)` in common/persistence/sql/sqlplugin/sqlite/plugin.go), so every workflow
 * start, task and heartbeat waits for the commit before it. SQLite's defaults (a rollback journal,
 * `synchronous=FULL`) sync the disk several times per commit. With a write-ahead log and
 * `synchronous=NORMAL` a commit appends to the log, and the disk is synced at checkpoints
 * (sqlite.org/wal.html, sqlite.org/pragma.html#pragma_synchronous). A crash of the server process
 * loses no committed state; a power cut may lose the last commits but leaves the file consistent.
 * Measured in docs/benchmarks.md §15: a burst of 1,000 starts waits half as long for its first
 * workflow task. The CLI passes each pair to the driver as a `_pragma` DSN parameter
 * (temporalio/cli v1.5.1 temporalcli/devserver/server.go `buildSQLConfig`).
 */
export const DEV_SERVER_SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'WAL',
  synchronous: 'NORMAL',
};

/** The `NAME=VALUE` pragmas a dev server gets: this project's, with `overrides` over them. */
export function sqlitePragmaSettings(overrides: Record<string, string> = {}): string[] {
  return Object.entries({ ...DEV_SERVER_SQLITE_PRAGMAS, ...overrides }).map(
    ([name, value]) => `${name}=${value}`,
  );
}

const execFileAsync = promisify(execFile);

export interface DevServerOptions {
  /** gRPC port; a free one when absent. */
  port?: number;
  /** Web UI port; a free one when absent. Ignored with `headless`. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistence across restarts; in-memory when absent. */
  dbFile?: string;
  namespaces?: string[];
  /** `KEY=Type` search attributes to register. */
  searchAttributes?: Record<
    string,
    'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList'
  >;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes (default: discarded). */
  output?: 'inherit' | 'ignore';
  /** How long to wait for readiness, in ms (default 60 s: a cold SQLite start on two cores can be slow). */
  readyTimeoutMs?: number;
  /** Server dynamic config (`--dynamic-config-value KEY=JSON`), over this project's defaults. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** SQLite pragmas (`--sqlite-pragma NAME=VALUE`) over this project's defaults; with `dbFile` only. */
  sqlitePragmas?: Record<string, string>;
}

export interface DevServer {
  /** Which server runs: the CLI's dev server (also when absent) or the Java test server fallback. */
  kind?: 'temporal-cli' | 'java-test-server';
  /** `127.0.0.1:<port>`, for `TEMPORAL_ADDRESS`. */
  address: string;
  port: number;
  uiUrl?: string;
  namespace: string;
  /** The Temporal CLI; empty for the Java test server, which has none. */
  cliPath: string;
  pid: number;
  /** Stop the server (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** True when the server at `address` answers the health check with SERVING. */
export async function isServing(cliPath: string, address: string): Promise<boolean> {
  try {
    const { stdout } = await execFileAsync(cliPath, ['operator', 'cluster', 'health', '--address', address], {
      timeout: 5000,
    });
    return stdout.includes('SERVING');
  } catch {
    return false;
  }
}

/** `ARAZZO_TEMPORAL_SERVER`: `auto` (CLI, Java test server fallback), `cli` (no fallback) or `java`. */
function serverChoice(): 'auto' | 'cli' | 'java' {
  const value = (process.env.ARAZZO_TEMPORAL_SERVER ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'cli' || value === 'java') return value;
  throw new Error(`ARAZZO_TEMPORAL_SERVER must be auto, cli or java, not ${JSON.stringify(value)}.`);
}

/** What the caller asked for that the Java test server cannot give. */
function unmetByJavaTestServer(options: DevServerOptions): string[] {
  const unmet: string[] = [];
  if (options.dbFile) unmet.push(`persistence (dbFile ${options.dbFile})`);
  if (!options.headless) unmet.push('a Web UI (pass headless: true to do without)');
  return unmet;
}

function loudFallbackWarning(why: string): void {
  const rule = '='.repeat(100);
  process.stderr.write(
    [
      '',
      rule,
      `FALLBACK: ${why}`,
      `Using the Java test server from Maven Central (${JAVA_TEST_SERVER_ARTIFACT}) instead:`,
      '  - NO Web UI, NO persistence: every workflow is lost when it stops;',
      '  - NO visibility queries (list/count workflows), NO schedules, NO ListNamespaces;',
      "  - it is the Java SDK's test server, not the real Temporal server: behaviour can differ.",
      'For the real dev server, install Go (https://go.dev/dl) so the CLI can be built, or set',
      'TEMPORAL_CLI_PATH to a `temporal` binary, or TEMPORAL_ADDRESS to a running server.',
      rule,
      '',
    ].join('\n'),
  );
}

async function startFallback(options: DevServerOptions, why: string): Promise<DevServer> {
  const unavailable = await javaTestServerUnavailableReason();
  if (unavailable) {
    throw new Error(`${why}\nThe Java test server fallback cannot run either: ${unavailable}.`);
  }
  loudFallbackWarning(why);
  const server = await startJavaTestServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.searchAttributes ? { searchAttributes: options.searchAttributes } : {}),
    ...(options.output ? { output: options.output } : {}),
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
  });
  process.stderr.write(
    `FALLBACK: Java test server ${server.version} serving at ${server.address} (pid ${server.pid}).\n`,
  );
  return server;
}

/** Starts a dev server and waits until it serves. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const choice = serverChoice();
  if (choice === 'java') {
    const unmet = unmetByJavaTestServer(options);
    if (unmet.length > 0) {
      throw new Error(
        `ARAZZO_TEMPORAL_SERVER=java, but this caller needs ${unmet.join(' and ')}, ` +
          'which the Java test server does not have.',
      );
    }
    return startFallback(options, 'ARAZZO_TEMPORAL_SERVER=java asks for the Java test server.');
  }
  let cliPath: string;
  try {
    cliPath = await findTemporalCli();
  } catch (error) {
    // An explicit TEMPORAL_CLI_PATH that does not work is a mistake to report, not to paper over.
    if (choice === 'cli' || process.env.TEMPORAL_CLI_PATH) throw error;
    const why = `the Temporal CLI could not be found or built (${error instanceof Error ? error.message : String(error)})`;
    const unmet = unmetByJavaTestServer(options);
    if (unmet.length > 0) {
      throw new Error(
        `${why}.\nThe Java test server fallback cannot serve this caller: it needs ${unmet.join(' and ')}, ` +
          'and the Java test server has neither a Web UI nor persistence. Install Go or a `temporal` binary.',
        { cause: error },
      );
    }
    return startFallback(options, `${why}.`);
  }
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--log-level', options.logLevel ?? 'error');
  // Fixed extra ports avoid the CLI's random picks on 0.0.0.0 and keep everything on loopback.
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of sqlitePragmaSettings(options.sqlitePragmas)) args.push('--sqlite-pragma', pragma);
  }
  for (const ns of options.namespaces ?? []) args.push('--namespace', ns);
  for (const [key, type] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${key}=${type}`);
  }
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const child = spawn(cliPath, args, {
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
  });
  killOnExit(child);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });

  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `temporal server start-dev exited with code ${exited} before serving (args: ${args.join(' ')})`,
      );
    }
    if (await isServing(cliPath, address)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal dev server at ${address} was not ready in time`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const stop = (): Promise<void> => terminate(child);

  return {
    kind: 'temporal-cli',
    address,
    port,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    namespace: 'default',
    cliPath,
    pid: child.pid ?? -1,
    stop,
  };
}
