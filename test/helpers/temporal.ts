/**
 * Test access to the real Temporal server: the one `npm test` started (TEMPORAL_ADDRESS), or a
 * fresh dev server when a test file is run on its own. Shared per test file and reference-counted:
 * every `useTestTemporal()` is paired with a `release()` (in an `after` hook at the file's top level).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/dev-server/dev-server.js';

export interface TestTemporal {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** A task queue no other test uses. */
  taskQueue(prefix?: string): string;
  /** Drops this user's reference; the last one closes the connections (and any server started here). */
  release(): Promise<void>;
}

let shared: Promise<Omit<TestTemporal, 'release'> & { close(): Promise<void> }> | undefined;
let users = 0;

export async function useTestTemporal(): Promise<TestTemporal> {
  users++;
  shared ??= (async () => {
    // Worker state chatter drowns the test report; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    let server: DevServer | undefined;
    let address = process.env.TEMPORAL_ADDRESS;
    if (!address) {
      server = await startDevServer({ headless: true });
      address = server.address;
      process.env.TEMPORAL_ADDRESS = address;
      process.env.TEMPORAL_CLI_PATH ??= server.cliPath;
    }
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    return {
      address,
      client: new Client({ connection }),
      nativeConnection,
      taskQueue: (prefix = 'test') => `${prefix}-${randomUUID()}`,
      close: async () => {
        await nativeConnection.close();
        await connection.close();
        if (server) {
          await server.stop();
          // The address pointed at the server just stopped: the next user starts a fresh one.
          delete process.env.TEMPORAL_ADDRESS;
        }
      },
    };
  })();
  let temporal: Awaited<NonNullable<typeof shared>>;
  try {
    temporal = await shared;
  } catch (error) {
    // A server that could not start or be reached: the next user tries afresh.
    users--;
    shared = undefined;
    throw error;
  }
  let released = false;
  return {
    ...temporal,
    release: async () => {
      if (released) return;
      released = true;
      if (--users === 0) {
        shared = undefined;
        await temporal.close();
      }
    },
  };
}
