/**
 * `npm start`: everything on loopback with zero configuration. A Temporal dev server with its Web
 * UI and a database under .data/ (earlier runs are still there next time), the Airbyte simulator
 * with demo connections, and the worker. With TEMPORAL_ADDRESS and AIRBYTE_API_URL set, only the
 * worker starts, against them. Ctrl-C stops everything.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { freePort, startDevServer, type DevServer } from './dev-server/dev-server.js';
import { startSimulatorProcess, type SimulatorHandle } from './dev-server/simulator-process.js';
import { projectRoot } from './config/project-root.js';
import { runWorker } from './worker/run-worker.js';
import { WorkerSetupError } from './worker/setup-error.js';
import { runReceiver } from './receiver/run-receiver.js';
import { NOTIFICATION_PATH } from './receiver/receiver.js';

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function preferredPort(port: number): Promise<number | undefined> {
  return (await portIsFree(port)) ? port : undefined;
}

const DEMO_CONNECTIONS = [
  ['11111111-1111-4111-8111-111111111111', 'succeeds after ~15 s'],
  ['33333333-3333-4333-8333-333333333333', 'fails after ~10 s'],
  ['55555555-5555-4555-8555-555555555555', 'runs for an hour (cancel it)'],
] as const;

function banner(options: {
  address: string;
  uiUrl?: string;
  airbyteUrl: string;
  taskQueue: string;
  cli: string;
  workflows: string[];
  receiverUrl: string;
}): string {
  const { address, cli, taskQueue } = options;
  const t = `${cli} workflow`;
  const flags = `--address ${address} --task-queue ${taskQueue}`;
  const ok = DEMO_CONNECTIONS[0][0];
  const long = DEMO_CONNECTIONS[2][0];
  return [
    '',
    'arazzo-temporal is running.',
    `  Temporal:  ${address}${options.uiUrl ? `   Web UI: ${options.uiUrl}` : ''}`,
    `  Airbyte:   ${options.airbyteUrl}`,
    `  Workflows: ${options.workflows.join(', ')} (task queue ${taskQueue})`,
    `  Notifications: ${options.receiverUrl} (Airbyte's webhook; the secret is ARAZZO_RECEIVER_SECRET)`,
    '',
    'Demo connections:',
    ...DEMO_CONNECTIONS.map(([id, what]) => `  ${id}  ${what}`),
    '',
    'Try, in another terminal:',
    `  # trigger a sync and wait for it (live progress):`,
    `  npm run client -- run trigger-sync-and-poll --input connectionId=${ok}`,
    `  # the same with the Temporal CLI:`,
    `  ${t} execute ${flags} --type trigger-sync-and-poll --workflow-id sync-demo --input '{"connectionId":"${ok}"}'`,
    `  # the same, woken by the simulator's job notification instead of polls:`,
    `  npm run client -- run trigger-sync-event-driven --input connectionId=${ok}`,
    `  # reset, then re-sync when the reset succeeded:`,
    `  ${t} start ${flags} --type reset-and-resync --workflow-id reset-demo --input '{"connectionId":"${ok}"}'`,
    `  # a long sync: ask where it is, then cancel it (the Airbyte job is cancelled too):`,
    `  ${t} start ${flags} --type trigger-sync-and-poll --workflow-id long-demo --input '{"connectionId":"${long}"}'`,
    `  ${t} query --address ${address} --workflow-id long-demo --type status`,
    `  ${t} signal --address ${address} --workflow-id long-demo --name cancel --input '{"reason":"demo"}'`,
    '',
    'Ctrl-C stops everything; runs are kept in .data/ for the next npm start.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  // The banner is the interface here: the worker logs only what needs attention, as text.
  const env: NodeJS.ProcessEnv = { ARAZZO_LOG_LEVEL: 'WARN', ARAZZO_LOG_FORMAT: 'text', ...process.env };
  const cleanups: Array<() => Promise<void>> = [];
  let server: DevServer | undefined;
  let simulator: SimulatorHandle | undefined;
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    if (!env.TEMPORAL_ADDRESS) {
      const dataDir = join(projectRoot, '.data');
      await mkdir(dataDir, { recursive: true });
      process.stdout.write('Starting the Temporal dev server…\n');
      const port = await preferredPort(7233);
      const uiPort = await preferredPort(8233);
      server = await startDevServer({
        dbFile: join(dataDir, 'temporal.sqlite'),
        ...(port ? { port } : {}),
        ...(uiPort ? { uiPort } : {}),
        logLevel: 'error',
      });
      cleanups.push(() => server!.stop());
      env.TEMPORAL_ADDRESS = server.address;
    }
    if (!env.AIRBYTE_API_URL) {
      const port = (await preferredPort(8090)) ?? (await freePort());
      simulator = await startSimulatorProcess(port);
      cleanups.push(() => simulator!.close());
      env.AIRBYTE_API_URL = simulator.url;
    }

    // The notification receiver, with a secret made for this session unless one is configured;
    // the simulator sends its job notifications there, as a workspace's webhook would.
    env.ARAZZO_RECEIVER_SECRET ??= randomBytes(24).toString('hex');
    if (!env.ARAZZO_RECEIVER_ADDRESS) {
      env.ARAZZO_RECEIVER_ADDRESS = `127.0.0.1:${(await preferredPort(8095)) ?? (await freePort())}`;
    }
    const receiver = await runReceiver({ ...env, ARAZZO_LOG_LEVEL: 'WARN' });
    cleanups.push(() => receiver.close());
    const receiverUrl = `${receiver.origin}${NOTIFICATION_PATH}`;
    if (simulator) {
      const control = simulator.url.replace(/\/v1$/, '/_sim/notifications');
      const configured = await fetch(control, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ webhooks: [`${receiverUrl}${env.ARAZZO_RECEIVER_SECRET}`] }),
      });
      if (!configured.ok) throw new Error(`the simulator refused its webhook settings: ${configured.status}`);
    }

    const stop = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    let ready = false;
    const worker = runWorker({
      env,
      onReady: ({ config, workflows }) => {
        ready = true;
        process.stdout.write(
          banner({
            address: env.TEMPORAL_ADDRESS!,
            ...(server?.uiUrl ? { uiUrl: server.uiUrl } : {}),
            airbyteUrl: env.AIRBYTE_API_URL!,
            taskQueue: config.taskQueue,
            cli: server ? relative(process.cwd(), server.cliPath) || server.cliPath : 'temporal',
            workflows,
            receiverUrl: `${receiverUrl}<secret>`,
          }),
        );
      },
    });
    // The worker stops itself on SIGINT/SIGTERM; the servers stop after it.
    await Promise.race([worker, stop.then(() => worker)]);
    if (!ready) process.stdout.write('The worker did not start.\n');
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof WorkerSetupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
