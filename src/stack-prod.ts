/**
 * `npm run stack:prod`: the production topology on loopback, without Docker (see README, "Running
 * in production"): PostgreSQL, the schema by temporal-sql-tool, the Temporal server on PostgreSQL
 * (deploy/temporal/production.yaml), its Web UI, and two worker processes on one task queue. State
 * and logs go to .data/prod-stack/. Without AIRBYTE_API_URL, the Airbyte simulator runs too.
 * Ctrl-C (or SIGTERM) stops everything it started; a missing piece fails with what to install.
 *
 * Options: --workers N (default 2), --no-ui.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './dev-server/processes.js';
import { startSimulatorProcess, type SimulatorHandle } from './dev-server/simulator-process.js';
import { DEFAULT_TASK_QUEUE, projectRoot } from './config/index.js';
import { startProdStack, type ProdStack } from './prod-stack/prod-stack.js';
import { serverVersion } from './prod-stack/temporal-server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workers: { type: 'string', default: '2' }, 'no-ui': { type: 'boolean', default: false } },
  });
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0)
    throw new Error(`--workers must be a whole number, not ${values.workers}`);

  let simulator: SimulatorHandle | undefined;
  let stack: ProdStack | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping the workers, the Web UI, the Temporal server and PostgreSQL…\n');
    await stack?.stop();
    await simulator?.close();
  };
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void stopAll().then(resolve));
  });

  try {
    const workerEnv: NodeJS.ProcessEnv = {
      TEMPORAL_TASK_QUEUE: process.env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    };
    if (!process.env.AIRBYTE_API_URL) {
      simulator = await startSimulatorProcess(await freePort());
      workerEnv.AIRBYTE_API_URL = simulator.url;
    }
    const dataDir = join(projectRoot, '.data', 'prod-stack');
    stack = await startProdStack({
      dataDir,
      workers,
      workerEnv,
      preferUsualPorts: true,
      ui: !values['no-ui'],
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const version = await serverVersion(stack.tools.server);
    process.stdout.write(
      [
        '',
        'The production topology is running (all on 127.0.0.1):',
        `  PostgreSQL:       127.0.0.1:${stack.postgresPort} (databases temporal, temporal_visibility)`,
        `  Temporal server:  ${stack.address} (${version}; metrics ${stack.serverMetricsUrl})`,
        `  Web UI:           ${stack.uiUrl ?? `none: ${stack.uiMissing}`}`,
        `  Workers:          ${stack.workers.length} processes (pids ${stack.workers.map((w) => w.pid).join(', ')}) on task queue ${workerEnv.TEMPORAL_TASK_QUEUE}`,
        `  Airbyte:          ${workerEnv.AIRBYTE_API_URL ?? process.env.AIRBYTE_API_URL}${simulator ? ' (the simulator, with demo connections)' : ''}`,
        `  Logs:             ${join(dataDir, 'logs')}`,
        '',
        'Try, in another terminal:',
        `  TEMPORAL_ADDRESS=${stack.address} npm run client -- run trigger-sync-and-poll --input connectionId=11111111-1111-4111-8111-111111111111`,
        '',
        'Ctrl-C stops everything; the database stays in .data/prod-stack for the next start.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  await stopped;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`stack:prod: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
