/**
 * The worker as users run it (`npm run worker`): structured JSON logs that carry the run, a
 * Prometheus endpoint when asked, graceful shutdown, and refusal to start on bad configuration or
 * a broken catalog document, with every problem named.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import { freePort } from '../../src/dev-server/dev-server.js';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { brokenDocument } from '../helpers/broken-document.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const BROKEN_DOCUMENT = brokenDocument();
let temporal: TestTemporal;
let simulator: Simulator;

before(async () => {
  temporal = await useTestTemporal();
  simulator = await startSimulator({ clock: 'polls' });
});
after(async () => {
  await simulator?.close();
  await temporal?.release();
});

/** Runs the worker until it exits; resolves with its exit code and output. */
function runWorkerToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the worker process', () => {
  it('logs JSON lines that carry the workflow and run ids, serves metrics, and stops cleanly on SIGTERM', async () => {
    const taskQueue = temporal.taskQueue('worker-process');
    const metricsPort = await freePort();
    const worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
      ARAZZO_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    });
    const connectionId = simulator.addConnection({ scenario: { runningPolls: 1 } }).connectionId;
    const handle = await temporal.client.workflow.start('trigger-sync-and-poll', {
      taskQueue,
      workflowId: `worker-process-${connectionId}`,
      args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
    });
    await handle.result();

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /temporal_workflow_completed/);

    await worker.kill('SIGTERM');
    assert.equal(worker.child.exitCode, 0, worker.output());
    const lines = worker
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 0, worker.output());
    const malformed = lines.filter(
      (l) => typeof l.time !== 'string' || typeof l.level !== 'string' || typeof l.message !== 'string',
    );
    assert.deepEqual(malformed, []);
    const ofRun = lines.filter((l) => l.workflowId === handle.workflowId);
    assert.ok(ofRun.length > 0, `no log line names the workflow:\n${worker.output().slice(-3000)}`);
    assert.deepEqual(
      ofRun.filter((l) => typeof l.runId !== 'string' && typeof l.workflowRunId !== 'string'),
      [],
    );
    assert.ok(
      lines.some((l) => l.message === 'worker stopped'),
      worker.output().slice(-2000),
    );
  });

  it('refuses to start on bad configuration, naming every variable, document and source problem at once, before connecting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-bad-setup-'));
    try {
      await writeFile(join(dir, 'broken.arazzo.yaml'), BROKEN_DOCUMENT);
      // Nothing listens on the address: the refusal must come before any attempt to connect.
      const { code, output } = await runWorkerToExit({
        TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
        ARAZZO_CATALOG: [join(root, 'arazzo'), dir].join(delimiter),
        AIRBYTE_API_URL: 'not a url',
        AIRBYTE_CLIENT_ID: 'only-half-a-pair',
        ARAZZO_LOG_LEVEL: 'loud',
      });
      assert.equal(code, 1, output);
      assert.match(output, /the worker cannot start:/);
      assert.match(output, /ARAZZO_LOG_LEVEL/);
      assert.match(output, /broken\.arazzo\.yaml:12:\d+: error/);
      assert.match(output, /AIRBYTE_API_URL/);
      assert.match(output, /AIRBYTE_CLIENT_SECRET/);
      assert.doesNotMatch(output, /cannot reach Temporal/);
      assert.equal(output.match(/the worker cannot start:/g)?.length, 1, output);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a catalog document with errors, naming file:line and the JSON path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-bad-catalog-'));
    try {
      await writeFile(join(dir, 'broken.arazzo.yaml'), BROKEN_DOCUMENT);
      const { code, output } = await runWorkerToExit({
        TEMPORAL_ADDRESS: temporal.address,
        ARAZZO_CATALOG: dir,
        AIRBYTE_API_URL: simulator.url,
      });
      assert.equal(code, 1);
      assert.match(output, /broken\.arazzo\.yaml:12:\d+: error/);
      assert.match(output, /nowhere/);
      assert.match(output, /\$\.workflows\[0\]\.steps\[0\]\.onSuccess\[0\]\.stepId/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
