/**
 * Starts and stops a real Temporal dev server (`temporal server start-dev`) on loopback, for tests,
 * benchmarks and `npm start`. Ports are free ones unless given; an SQLite file makes the state
 * survive a restart. Every started server is stopped when this process exits, so a failing test
 * never leaves one behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { findTemporalCli } from './temporal-cli.js';

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
}

export interface DevServer {
  /** `127.0.0.1:<port>`, for `TEMPORAL_ADDRESS`. */
  address: string;
  port: number;
  uiUrl?: string;
  namespace: string;
  cliPath: string;
  pid: number;
  /** Stop the server (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous kill on exit: the last line of defence against orphaned servers.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePromise(address.port);
        else reject(new Error('could not obtain a free port'));
      });
    });
  });
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

/** Starts a dev server and waits until it serves. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cliPath = await findTemporalCli();
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--log-level', options.logLevel ?? 'error');
  // Fixed extra ports avoid the CLI's random picks on 0.0.0.0 and keep everything on loopback.
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const ns of options.namespaces ?? []) args.push('--namespace', ns);
  for (const [key, type] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${key}=${type}`);
  }

  const child = spawn(cliPath, args, {
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
  });
  installExitHook();
  running.add(child);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
    running.delete(child);
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

  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  return {
    address,
    port,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    namespace: 'default',
    cliPath,
    pid: child.pid ?? -1,
    stop,
  };
}
