/**
 * A whole stack for integration tests: the Airbyte simulator on loopback and an Arazzo worker on
 * a fresh task queue of the real Temporal server, configured the way a user would configure it.
 */
import { fileURLToPath } from 'node:url';
import type { Worker } from '@temporalio/worker';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config/index.js';
import { createArazzoWorker } from '../../src/worker/setup.js';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import type { SimulatorOptions } from '../../simulator/types.js';
import { useTestTemporal, type TestTemporal } from './temporal.js';

/** The product owner's seed documents, verbatim (copied from shared/seeds; see test/unit/seeds-copy.test.ts). */
export const seedsFolder = fileURLToPath(new URL('../../examples/seeds', import.meta.url));
export const catalogFolder = fileURLToPath(new URL('../../arazzo', import.meta.url));

export interface Stack {
  temporal: TestTemporal;
  simulator: Simulator;
  worker: Worker;
  config: WorkerConfig;
  taskQueue: string;
  /** Starts a workflow on the stack's task queue. */
  start(
    workflowType: string,
    input: unknown,
    workflowId?: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId>;
  /** Stops the worker. */
  stopWorker(): Promise<void>;
  /** Stops the worker and the simulator and releases the Temporal connection: call in `after`. */
  close(): Promise<void>;
}

export interface StackOptions {
  folders?: string[];
  simulator?: SimulatorOptions;
  env?: NodeJS.ProcessEnv;
}

let counter = 0;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // Whatever started before a failure is closed again, so a failed setup ends its test file at
  // once with its error instead of leaving a simulator or a Temporal connection holding it open.
  const opened: Array<() => Promise<void>> = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const temporal = await useTestTemporal();
    opened.push(() => temporal.release());
    const simulator = await startSimulator({ clock: 'polls', ...options.simulator });
    opened.push(() => simulator.close());
    const taskQueue = temporal.taskQueue('stack');
    const env: NodeJS.ProcessEnv = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
      ARAZZO_CATALOG: (options.folders ?? [catalogFolder]).join(':'),
      // Short polls: the simulator's poll clock advances per read, not per second.
      ARAZZO_RUN_OPTIONS: JSON.stringify({ pollIntervalSeconds: 0.05 }),
      ...options.env,
    };
    const loaded = loadWorkerConfig(env);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const { worker } = await createArazzoWorker({
      config: loaded.config,
      connection: temporal.nativeConnection,
      env,
      workerOptions: { shutdownGraceTime: '1 second' },
    });
    const running = worker.run();
    let stopped = false;
    const stopWorker = async () => {
      if (stopped) return;
      stopped = true;
      worker.shutdown();
      await running;
    };
    opened.push(stopWorker);
    return {
      close: closeOpened,
      temporal,
      simulator,
      worker,
      config: loaded.config,
      taskQueue,
      stopWorker,
      start: (workflowType, input, workflowId) =>
        temporal.client.workflow.start(workflowType, {
          taskQueue,
          workflowId: workflowId ?? `${workflowType}-${process.pid}-${++counter}-${Date.now()}`,
          args: [input],
        }),
    };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}
