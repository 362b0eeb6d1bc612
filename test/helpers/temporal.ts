/**
 * Test access to the real Temporal server: the one `npm test` started (TEMPORAL_ADDRESS), or a
 * fresh dev server when a test file is run on its own.
 */
import { after } from 'node:test';
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
}

let shared: Promise<TestTemporal> | undefined;

/** Connects once per test file; closes the connections (and any server it started) after the file. */
export function useTestTemporal(): Promise<TestTemporal> {
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
    after(async () => {
      await nativeConnection.close();
      await connection.close();
      await server?.stop();
    });
    return {
      address,
      client: new Client({ connection }),
      nativeConnection,
      taskQueue: (prefix = 'test') => `${prefix}-${randomUUID()}`,
    };
  })();
  return shared;
}
