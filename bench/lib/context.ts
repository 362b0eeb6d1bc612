/** What every scenario gets: the running dev server, simulator, client, and settings. */
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { DevServer } from '../../src/dev-server/dev-server.js';
import type { Simulator } from '../../simulator/server.js';

export interface BenchContext {
  quick: boolean;
  /** Scratch folder (SQLite db, logs, bundle, profiles); removed at the end unless --keep. */
  tmpDir: string;
  devServer: DevServer;
  /** The dev server's SQLite pragmas, as `name=value` pairs (the project's defaults unless overridden). */
  devServerPragmas: string;
  sim: Simulator;
  client: Client;
  nativeConnection: NativeConnection;
  /** The prebuilt workflow bundle the workers use. */
  bundlePath: string;
  /** Unique per bench run, for workflow ids and task queues. */
  tag: string;
  /** Record a CPU profile of the worker in the largest scale run. */
  profile: boolean;
  log(message: string): void;
  /** Environment of a worker process on `taskQueue`, pointed at the dev server and the simulator. */
  workerEnv(taskQueue: string, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}
