/**
 * Durability: a worker killed with SIGKILL in the middle of a reset poll, and a dev server stopped
 * and restarted on its database file in the middle of a poll. Runs complete with the right outputs
 * and the simulator shows exactly the jobs a fault-free run creates.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import { loadWorkerConfig } from '../../src/config/index.js';
import { freePort, startDevServer } from '../../src/dev-server/dev-server.js';
import { createArazzoWorker } from '../../src/worker/setup.js';
import { useTestTemporal } from '../helpers/temporal.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const polls = (simulator: Simulator, jobId: number | undefined) =>
  simulator.requests().filter((r) => r.operationId === 'getJob' && r.jobId === jobId).length;

async function until(check: () => boolean, what: string, tries = 1200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('durability', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('a worker killed with SIGKILL mid reset poll is replaced; the run completes with one reset and one sync', async () => {
    const temporal = await useTestTemporal();
    cleanups.push(() => temporal.release());
    const simulator = await startSimulator({ clock: 'polls' });
    cleanups.push(() => simulator.close());
    const taskQueue = temporal.taskQueue('sigkill');
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
    };
    const connectionId = simulator.addConnection({
      scenario: { runningPolls: 2, reset: { runningPolls: 12 } },
    }).connectionId;

    let worker = await startWorkerProcess(env);
    cleanups.push(() => worker.kill('SIGKILL'));
    const handle = await temporal.client.workflow.start('reset-and-resync', {
      taskQueue,
      workflowId: `sigkill-${connectionId}`,
      args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
    });
    await until(() => polls(simulator, simulator.jobs(connectionId)[0]?.jobId) >= 3, 'three reset polls');
    await worker.kill('SIGKILL');
    const seenAtKill = polls(simulator, simulator.jobs(connectionId)[0]!.jobId);

    worker = await startWorkerProcess(env);
    const result = await handle.result();
    const jobs = simulator.jobs(connectionId);
    assert.deepEqual(
      jobs.map((j) => j.jobType),
      ['reset', 'sync'],
      'exactly one reset and one sync',
    );
    assert.deepEqual(result, {
      resetJobId: jobs[0]!.jobId,
      resetStatus: 'succeeded',
      resyncJobId: jobs[1]!.jobId,
    });
    assert.ok(polls(simulator, jobs[0]!.jobId) > seenAtKill, 'the new worker went on polling');
    await worker.kill('SIGTERM');
  });

  it('the dev server restarted on its database file mid poll: the run completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-restart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    const dbFile = join(dir, 'temporal.sqlite');
    let server = await startDevServer({ port, dbFile, headless: true });
    cleanups.push(() => server.stop());
    // The project's SQLite pragmas took: bytes 18 and 19 of the database header are 2 in WAL mode
    // (sqlite.org/fileformat.html, "File format version numbers").
    const header = (await readFile(dbFile)).subarray(0, 100);
    assert.deepEqual([header[18], header[19]], [2, 2], 'the dev server keeps its SQLite file in WAL mode');
    const simulator = await startSimulator({ clock: 'polls' });
    cleanups.push(() => simulator.close());
    const address = server.address;
    const env = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: 'restart', AIRBYTE_API_URL: simulator.url };
    const loaded = loadWorkerConfig(env);
    assert.ok(loaded.ok);
    const nativeConnection = await NativeConnection.connect({ address });
    const { worker } = await createArazzoWorker({
      config: loaded.config,
      connection: nativeConnection,
      env,
      workerOptions: { shutdownGraceTime: '1 second' },
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await nativeConnection.close();
    });

    const connectionId = simulator.addConnection({ scenario: { runningPolls: 10 } }).connectionId;
    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    const handle = await client.workflow.start('trigger-sync-and-poll', {
      taskQueue: 'restart',
      workflowId: `restart-${connectionId}`,
      args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
    });
    await until(() => polls(simulator, simulator.jobs(connectionId)[0]?.jobId) >= 3, 'three polls');

    await server.stop();
    server = await startDevServer({ port, dbFile, headless: true });
    const result = await client.workflow.getHandle(handle.workflowId).result();
    assert.equal(result.finalStatus, 'succeeded');
    assert.equal(simulator.jobs(connectionId).length, 1);
    assert.equal(result.jobId, simulator.jobs(connectionId)[0]!.jobId);
  });
});
