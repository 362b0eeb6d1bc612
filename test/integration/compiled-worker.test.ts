/**
 * The worker as the Docker image and `npm run worker` run it: `npm run build`, then
 * `node dist/src/worker.js`, one esbuild bundle beside dist/workflow-bundle.js. It finds the
 * project's own catalog from its bundled place, runs the seed workflow, answers Temporal's
 * stack-trace query with source file names (the bundle's source map keeps its mappings), and
 * refuses a broken document with the same one message as before it was bundled.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import { projectRoot } from '../../src/config/project-root.js';
import { DEFAULT_HEAP_GROWING_PERCENT } from '../../src/config/index.js';
import { brokenDocument } from '../helpers/broken-document.js';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal.js';

const run = promisify(execFile);
let temporal: TestTemporal;
let simulator: Simulator;

before(async () => {
  temporal = await useTestTemporal();
  simulator = await startSimulator({ clock: 'polls' });
  await run('npm', ['run', 'build'], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
});
after(async () => {
  await simulator?.close();
  await temporal?.release();
});

/** `node dist/src/worker.js` from another folder, so nothing depends on the working directory. */
function startCompiled(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'worker.js')], {
    cwd: tmpdir(),
    env: {
      ...process.env,
      ARAZZO_LOG_FORMAT: 'json',
      ARAZZO_WORKFLOW_BUNDLE: '',
      ARAZZO_CATALOG: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void exited.then(() => clearTimeout(timer));
  return { child, exited, output: () => output };
}

describe('the built worker (node dist/src/worker.js)', () => {
  it('runs the seed workflow from its own catalog and answers the stack-trace query with source names', async () => {
    const taskQueue = temporal.taskQueue('compiled-worker');
    const worker = startCompiled({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
    });
    try {
      for (let i = 0; i < 600 && !worker.output().includes('"worker polling"'); i++) {
        assert.equal(worker.child.exitCode, null, worker.output());
        await new Promise((r) => setTimeout(r, 100));
      }
      const polling = worker
        .output()
        .split('\n')
        .find((l) => l.includes('"worker polling"'));
      assert.ok(polling, worker.output());
      const line = JSON.parse(polling) as {
        workflows: string[];
        bundle: string;
        heapGrowingPercent?: unknown;
      };
      assert.ok(line.workflows.includes('trigger-sync-and-poll'), polling);
      assert.equal(line.bundle, join(projectRoot, 'dist', 'workflow-bundle.js'));
      // The process entry applies ARAZZO_HEAP_GROWING_PERCENT (its default here) to V8.
      assert.equal(line.heapGrowingPercent, DEFAULT_HEAP_GROWING_PERCENT, polling);

      const connectionId = simulator.addConnection({ scenario: { runningPolls: 8 } }).connectionId;
      const handle = await temporal.client.workflow.start('trigger-sync-and-poll', {
        taskQueue,
        workflowId: `compiled-worker-${connectionId}`,
        args: [
          { connectionId, 'x-temporal': { pollIntervalSeconds: 0.5, pollSchedule: { kind: 'constant' } } },
        ],
      });
      let stack = '';
      for (let i = 0; i < 100 && !/\.ts:\d+/.test(stack); i++) {
        stack = await handle.query<string>('__stack_trace').catch(() => '');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(stack, /src\/workflows\/[\w/-]+\.ts:\d+/, stack);
      const result = await handle.result();
      assert.match(JSON.stringify(result), /succeeded/);
    } finally {
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0, worker.output());
    }
  });

  it('refuses a broken document with one message naming file:line, even with no Temporal to reach', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arazzo-compiled-bad-'));
    try {
      await writeFile(
        join(dir, 'broken.arazzo.yaml'),
        brokenDocument(join(projectRoot, 'openapi', 'airbyte-openapi.yml')),
      );
      // Settings are good, so this worker connects while it checks the catalog: nothing listens.
      const worker = startCompiled({ TEMPORAL_ADDRESS: '127.0.0.1:1', ARAZZO_CATALOG: dir });
      assert.equal(await worker.exited, 1, worker.output());
      assert.match(worker.output(), /broken\.arazzo\.yaml:12:\d+: error/);
      assert.doesNotMatch(worker.output(), /cannot reach Temporal/);
      assert.equal(worker.output().match(/the worker cannot start:/g)?.length, 1, worker.output());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
