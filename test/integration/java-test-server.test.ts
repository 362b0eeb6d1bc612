/**
 * The fallback server: Temporal's Java test server from Maven Central. Started the way
 * `startDevServer` falls back to it (forced with ARAZZO_TEMPORAL_SERVER=java), it must run a real
 * workflow through a real worker and be gone once stopped. The first run fetches ~40 MB of jars with
 * Maven; later runs reuse the cache. Skipped when `java` (or, without a cache, `mvn`) is missing.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/dev-server/dev-server.js';
import {
  JAVA_TEST_SERVER_VERSION,
  ensureJavaTestServer,
  findCachedJavaTestServer,
  javaTestServerUnavailableReason,
  javaUserCacheDir,
  startJavaTestServer,
} from '../../src/dev-server/java-test-server.js';

const unavailable = await javaTestServerUnavailableReason();
const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/harness.ts', import.meta.url));

async function folderMegabytes(dir: string): Promise<string> {
  let bytes = 0;
  for (const name of await readdir(dir)) bytes += (await stat(join(dir, name))).size;
  return (bytes / 1024 / 1024).toFixed(1);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the harness workflow (1 s timer, then activity `greet`) on `address` through a real worker. */
async function runHarness(
  address: string,
  workflowBundle: { code: string },
): Promise<{ result: string; ms: number; events: string[] }> {
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  try {
    const client = new Client({ connection });
    const taskQueue = `java-test-server-${Date.now()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle,
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
    const started = Date.now();
    const result = await worker.runUntil(
      client.workflow.execute('harnessWorkflow', { taskQueue, workflowId: taskQueue, args: ['java'] }),
    );
    const ms = Date.now() - started;
    const history = await client.workflow.getHandle(taskQueue).fetchHistory();
    const events = (history.events ?? []).map((e) => String(e.eventType));
    return { result: result as string, ms, events };
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}

// The Java test server binds every network interface (it has no loopback-only option), and this
// project keeps the servers it starts on loopback: the test runs only when asked for.
const optIn = process.env.ARAZZO_TEST_JAVA_SERVER === '1';

describe(
  'Java test server fallback',
  {
    skip: !optIn
      ? 'set ARAZZO_TEST_JAVA_SERVER=1 to run it (the Java test server listens on all interfaces)'
      : unavailable
        ? `Java test server unavailable here: ${unavailable}`
        : false,
  },
  () => {
    let workflowBundle: { code: string };

    before(async () => {
      Runtime.install({ logger: new DefaultLogger('WARN') });
      workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    });

    it(
      `resolves io.temporal:temporal-test-server:${JAVA_TEST_SERVER_VERSION} once, then reuses the cache`,
      { timeout: 600_000 },
      async (t) => {
        const cachedBefore = await findCachedJavaTestServer();
        const started = Date.now();
        const lib = await ensureJavaTestServer((line) => t.diagnostic(line));
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        t.diagnostic(
          cachedBefore
            ? `reused cached jars in ${lib} (${await folderMegabytes(lib)} MB) in ${seconds} s`
            : `fetched jars from Maven Central into ${lib} (${await folderMegabytes(lib)} MB) in ${seconds} s`,
        );
        assert.ok((await readdir(lib)).some((f) => f.startsWith('temporal-test-server-')));
        // The second call must not touch Maven: it returns at once from the cache.
        const again = Date.now();
        assert.equal(await ensureJavaTestServer(), lib);
        assert.ok(Date.now() - again < 2000, 'the cached jars were not reused');
        assert.ok(await findCachedJavaTestServer());
        if (!cachedBefore) t.diagnostic(`machine-wide copy: ${javaUserCacheDir}`);
      },
    );

    it(
      'runs a workflow through a real worker when forced with ARAZZO_TEMPORAL_SERVER=java, then stops',
      { timeout: 120_000 },
      async (t) => {
        const previous = process.env.ARAZZO_TEMPORAL_SERVER;
        process.env.ARAZZO_TEMPORAL_SERVER = 'java';
        let server: DevServer | undefined;
        try {
          const started = Date.now();
          server = await startDevServer({ headless: true });
          t.diagnostic(`Java test server ready at ${server.address} in ${Date.now() - started} ms`);
        } finally {
          if (previous === undefined) delete process.env.ARAZZO_TEMPORAL_SERVER;
          else process.env.ARAZZO_TEMPORAL_SERVER = previous;
        }
        try {
          assert.equal(server.kind, 'java-test-server');
          assert.equal(server.uiUrl, undefined);
          assert.equal(server.namespace, 'default');
          assert.ok(isAlive(server.pid));

          const { result, ms, events } = await runHarness(server.address, workflowBundle);
          t.diagnostic(`workflow completed in ${ms} ms (real time: the 1 s timer really waits)`);
          assert.equal(result, 'hello, java');
          assert.ok(ms >= 1000, `a 1 s timer fired after ${ms} ms without time skipping`);
          assert.ok(
            events.some((e) => e.includes('TIMER_FIRED') || e === '17'),
            `no timer in ${events.join(',')}`,
          );
          assert.ok(events.some((e) => e.includes('ACTIVITY_TASK_COMPLETED') || e === '12'));
        } finally {
          await server.stop();
        }
        assert.equal(isAlive(server.pid), false, `pid ${server.pid} still runs after stop()`);
      },
    );

    it('runs the same workflow with time skipping on', { timeout: 120_000 }, async (t) => {
      const server = await startJavaTestServer({ timeSkipping: true });
      try {
        assert.equal(server.timeSkipping, true);
        const { result, ms } = await runHarness(server.address, workflowBundle);
        t.diagnostic(`workflow with a 1 s timer completed in ${ms} ms with time skipping`);
        assert.equal(result, 'hello, java');
      } finally {
        await server.stop();
      }
      assert.equal(isAlive(server.pid), false);
    });

    it('refuses callers that need persistence or a Web UI, with a reason', async () => {
      const previous = process.env.ARAZZO_TEMPORAL_SERVER;
      process.env.ARAZZO_TEMPORAL_SERVER = 'java';
      try {
        await assert.rejects(startDevServer({ headless: true, dbFile: '/tmp/x.sqlite' }), /persistence/);
        await assert.rejects(startDevServer({}), /Web UI/);
      } finally {
        if (previous === undefined) delete process.env.ARAZZO_TEMPORAL_SERVER;
        else process.env.ARAZZO_TEMPORAL_SERVER = previous;
      }
    });
  },
);
