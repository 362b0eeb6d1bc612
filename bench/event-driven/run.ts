/**
 * Event-driven waits against the timer design, for the same jobs (issue 16). Starts its own
 * Temporal dev server, the simulator (wall-clock jobs that send Airbyte's notifications), the
 * notification receiver and one in-process worker, all on loopback, then runs N jobs per scenario:
 *
 * - `poll`: trigger-sync-and-poll at the catalog's 5 s interval;
 * - `event`: trigger-sync-event-driven, notifications delivered;
 * - `event-lost`: every notification dropped (the receive timeout, then a read);
 * - `event-late`: every notification delayed by `--late-ms` (longer than the receive timeout);
 * - `event-duplicated`: every notification sent twice.
 *
 * The event-driven document runs with the receive timeout `--timeout-ms` (catalog: 300000) so the
 * lost and late cases finish in seconds; per-hour costs are scaled to the catalog's 300 s.
 *
 *   npx tsx bench/event-driven/run.ts [--n 20] [--job-ms 20000] [--long-job-ms 80000] [--timeout-ms 30000] [--late-ms 40000]
 *
 * Figures per run: detection delay (run closed − job ended, from the simulator's job record and
 * the run's close time), history events (the run's plus its mailbox's), Temporal actions (counted
 * from the histories with Temporal Cloud's rule, bench/lib/history.ts), and
 * requests to the Airbyte API per job. The cost of waiting per hour is the marginal cost between
 * a `--job-ms` and a `--long-job-ms` job, scaled to one hour.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { countHistory } from '../lib/history.js';
import { startDevServer } from '../../src/dev-server/dev-server.js';
import { projectRoot } from '../../src/config/index.js';
import { createArazzoWorker } from '../../src/worker/setup.js';
import { startReceiver, NOTIFICATION_PATH } from '../../src/receiver/receiver.js';
import { loadReceiverSettings, loadWorkerConfig } from '../../src/config/index.js';
import { temporalDeliver } from '../../src/receiver/temporal-deliver.js';
import { mailboxWorkflowId } from '../../src/contract/index.js';
import { startSimulator } from '../../simulator/server.js';

const args = new Map<string, number>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), Number(process.argv[i + 1]));
const N = args.get('n') ?? 20;
const JOB_MS = args.get('job-ms') ?? 20_000;
const LONG_JOB_MS = args.get('long-job-ms') ?? 80_000;
const TIMEOUT_MS = args.get('timeout-ms') ?? 30_000;
const LATE_MS = args.get('late-ms') ?? 40_000;
const CATALOG_TIMEOUT_MS = 300_000;
const POLL_SECONDS = 5;

interface RunFigures {
  detectionMs: number;
  events: number;
  actions: number;
  requests: number;
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const scratch = await mkdtemp(join(tmpdir(), 'bench-event-driven-'));
const server = await startDevServer({
  headless: true,
  dbFile: join(scratch, 'temporal.sqlite'),
  logLevel: 'error',
});
const connection = await Connection.connect({ address: server.address });
const native = await NativeConnection.connect({ address: server.address });
const client = new Client({ connection });
const simulator = await startSimulator({ clock: 'wall' });
const taskQueue = 'bench-event-driven';
const text = await readFile(join(projectRoot, 'arazzo', 'airbyte-event-driven.arazzo.yaml'), 'utf8');
await writeFile(
  join(scratch, 'event-driven.arazzo.yaml'),
  text.replaceAll(`timeout: ${CATALOG_TIMEOUT_MS}`, `timeout: ${TIMEOUT_MS}`),
);
const pollDoc = await readFile(
  join(projectRoot, 'arazzo', 'airbyte-trigger-sync-and-poll.arazzo.yaml'),
  'utf8',
);
await writeFile(join(scratch, 'poll.arazzo.yaml'), pollDoc);
const env: NodeJS.ProcessEnv = {
  TEMPORAL_ADDRESS: server.address,
  TEMPORAL_TASK_QUEUE: taskQueue,
  AIRBYTE_API_URL: simulator.url,
  ARAZZO_CATALOG: scratch,
  ARAZZO_SOURCE_DESCRIPTIONS: `airbyteApi=${join(projectRoot, 'openapi', 'airbyte-openapi.yml')},airbyteNotifications=${join(projectRoot, 'asyncapi', 'airbyte-notifications.asyncapi.yaml')}`,
};
const loaded = loadWorkerConfig(env);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const { worker } = await createArazzoWorker({ config: loaded.config, connection: native, env });
const running = worker.run();
const settings = loadReceiverSettings({
  ARAZZO_RECEIVER_SECRET: 'bench-secret-0123456789abcdefgh',
  ARAZZO_RECEIVER_ADDRESS: '127.0.0.1:0',
  ARAZZO_RECEIVER_RATE: '1000',
  TEMPORAL_TASK_QUEUE: taskQueue,
});
const receiver = await startReceiver({ settings, deliver: temporalDeliver(client, taskQueue, 3600) });
simulator.configureNotifications({ webhooks: [`${receiver.origin}${NOTIFICATION_PATH}${settings.secret}`] });

async function historyOf(workflowId: string): Promise<{ events: number; actions: number }> {
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const counted = countHistory((history.events ?? []) as unknown as Parameters<typeof countHistory>[0]);
    return { events: counted.events, actions: counted.actions };
  } catch {
    return { events: 0, actions: 0 };
  }
}

async function runScenario(
  name: string,
  workflowType: string,
  jobMs: number,
  notifications: { drop?: number; duplicate?: number; delayMs?: number },
): Promise<{ name: string; jobMs: number; runs: RunFigures[] }> {
  simulator.configureNotifications({ drop: 0, duplicate: 0, delayMs: 0, ...notifications });
  const ids = Array.from(
    { length: N },
    () =>
      simulator.addConnection({ scenario: { clock: 'wall', pendingMs: 500, runningMs: jobMs } }).connectionId,
  );
  const handles = await Promise.all(
    ids.map((connectionId, i) =>
      client.workflow.start(workflowType, {
        taskQueue,
        workflowId: `${name}-${jobMs}-${i}`,
        args: [{ connectionId }],
      }),
    ),
  );
  await Promise.all(handles.map((h) => h.result()));
  const runs: RunFigures[] = [];
  for (const [i, handle] of handles.entries()) {
    const id = ids[i]!;
    const job = simulator.jobs(id)[0]!;
    const described = await handle.describe();
    const closed = described.closeTime?.getTime() ?? Date.now();
    const own = await historyOf(handle.workflowId);
    const mailbox = workflowType.includes('event')
      ? await historyOf(mailboxWorkflowId(`${id}/${job.jobId}`))
      : { events: 0, actions: 0 };
    const jobIds = new Set(simulator.jobs(id).map((j) => j.jobId));
    const requests = simulator
      .requests()
      .filter((r) => r.connectionId === id || (r.jobId !== undefined && jobIds.has(r.jobId))).length;
    runs.push({
      detectionMs: closed - Date.parse(job.endedAt ?? job.createdAt),
      events: own.events + mailbox.events,
      actions: own.actions + mailbox.actions,
      requests,
    });
  }
  return { name, jobMs, runs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const max = (values: number[]) => Math.max(...values);

const scenarios = [
  ['poll', 'trigger-sync-and-poll', {}],
  ['event', 'trigger-sync-event-driven', {}],
  ['event-lost', 'trigger-sync-event-driven', { drop: 1_000_000 }],
  ['event-late', 'trigger-sync-event-driven', { delayMs: LATE_MS }],
  ['event-duplicated', 'trigger-sync-event-driven', { duplicate: 1_000_000 }],
] as const;

const results: Array<Awaited<ReturnType<typeof runScenario>>> = [];
const started = new Date();
for (const [name, type, knobs] of scenarios) {
  results.push(await runScenario(name, type, JOB_MS, knobs));
  process.stdout.write(`${name}: done\n`);
}
// The marginal cost of waiting: the same jobs, longer.
const long = [
  await runScenario('poll', 'trigger-sync-and-poll', LONG_JOB_MS, {}),
  await runScenario('event', 'trigger-sync-event-driven', LONG_JOB_MS, {}),
  await runScenario('event-lost', 'trigger-sync-event-driven', LONG_JOB_MS, { drop: 1_000_000 }),
];

const lines: string[] = [];
lines.push(
  `| scenario | detection delay median / max (ms) | history events per run (median) | actions per run (median) | Airbyte requests per job (median / max) |`,
);
lines.push('| --- | --- | --- | --- | --- |');
for (const r of results) {
  lines.push(
    `| ${r.name} | ${median(r.runs.map((x) => x.detectionMs))} / ${max(r.runs.map((x) => x.detectionMs))} | ${median(r.runs.map((x) => x.events))} | ${median(r.runs.map((x) => x.actions))} | ${median(r.runs.map((x) => x.requests))} / ${max(r.runs.map((x) => x.requests))} |`,
  );
}
lines.push('');
lines.push(
  `| design | events per waiting hour | actions per waiting hour | Airbyte requests per waiting hour |`,
);
lines.push('| --- | --- | --- | --- |');
for (const l of long) {
  const short = results.find((r) => r.name === l.name)!;
  const extraSeconds = (LONG_JOB_MS - JOB_MS) / 1000;
  const perHour = (pick: (x: RunFigures) => number) => {
    const marginal = (median(l.runs.map(pick)) - median(short.runs.map(pick))) / extraSeconds;
    // A job that outlasts the receive timeout costs one cycle (read, register, wait) per timeout:
    // scale the bench's timeout to the catalog's.
    const scale = l.name === 'poll' ? 1 : CATALOG_TIMEOUT_MS / TIMEOUT_MS;
    return Math.round((marginal * 3600) / scale);
  };
  lines.push(
    `| ${l.name === 'poll' ? `poll (catalog schedule: every ${POLL_SECONDS} s at first)` : l.name === 'event' ? 'event-driven (a read per 300 s timeout while the job runs)' : 'event-driven, every notification lost (the same)'} | ${perHour((x) => x.events)} | ${perHour((x) => x.actions)} | ${perHour((x) => x.requests)} |`,
  );
}
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const report = [
  `Run ${started.toISOString()}; N = ${N} runs per scenario; jobs of ${JOB_MS / 1000} s (and ${LONG_JOB_MS / 1000} s for the per-hour rows) on the simulator's wall clock; receive timeout ${TIMEOUT_MS / 1000} s (catalog: ${CATALOG_TIMEOUT_MS / 1000} s); late = notifications delayed ${LATE_MS / 1000} s; machine: ${machine}; Temporal dev server (SQLite), one in-process worker.`,
  '',
  ...lines,
].join('\n');
process.stdout.write(`\n${report}\n`);
await writeFile(join(projectRoot, 'bench', 'event-driven', 'latest.md'), `${report}\n`);
await writeFile(
  join(projectRoot, 'bench', 'event-driven', 'latest.json'),
  `${JSON.stringify({ started, N, JOB_MS, LONG_JOB_MS, TIMEOUT_MS, LATE_MS, machine, results, long }, null, 2)}\n`,
);

await receiver.close();
worker.shutdown();
await running;
await simulator.close();
await native.close();
await connection.close();
await server.stop();
await rm(scratch, { recursive: true, force: true });
