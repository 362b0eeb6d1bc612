/**
 * Records workflow histories from real runs (real Temporal server, simulator) into test/histories/,
 * for the replay test. Run it when a deliberate, patched change to workflow code needs new
 * histories; keep the old ones: they prove running workflows still replay.
 *
 * Usage: npx tsx scripts/record-histories.ts [name-prefix] [group …]
 * Groups: catalog, seeds, child, conflict-wait, event-driven (all when none is named). Name only the groups you need, so the
 * histories already recorded stay as they are.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { WorkflowHandleWithFirstExecutionRunId as WorkflowHandle } from '@temporalio/client';
import { cancelSignal } from '../src/contract/index.js';
import { catalogFolder, seedsFolder, startStack, type Stack } from '../test/helpers/stack.js';
import { projectRoot } from '../src/config/project-root.js';
import { findTemporalCli } from '../src/dev-server/temporal-cli.js';
import { startReceiver, NOTIFICATION_PATH } from '../src/receiver/receiver.js';
import { loadReceiverSettings } from '../src/config/index.js';
import { temporalDeliver } from '../src/receiver/temporal-deliver.js';
import { mailboxWorkflowId } from '../src/contract/index.js';

const run = promisify(execFile);
const cli = await findTemporalCli({ build: false });

const out = new URL('../test/histories/', import.meta.url);
const prefix = process.argv[2] ?? 'v1';
const groups = new Set(process.argv.slice(3));
const wanted = (group: string) => groups.size === 0 || groups.has(group);
const childFolder = fileURLToPath(new URL('../test/fixtures/child-workflows', import.meta.url));
const fast = { 'x-temporal': { pollIntervalSeconds: 0.05 } };

async function save(stack: Stack, name: string, handle: WorkflowHandle): Promise<void> {
  await handle.result().catch(() => undefined);
  // Every run of a continue-as-new chain is recorded, as `temporal workflow show --output json` prints it.
  let runId: string | undefined = handle.firstExecutionRunId;
  for (let i = 0; runId; i++) {
    const history = await stack.temporal.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const file = new URL(`${prefix}-${name}${i === 0 ? '' : `-run${i + 1}`}.json`, out);
    const { stdout } = await run(
      cli,
      [
        'workflow',
        'show',
        '--workflow-id',
        handle.workflowId,
        '--run-id',
        runId,
        '--output',
        'json',
        '--address',
        stack.temporal.address,
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    // Messages and stack traces carry this clone's folder: scrub it, so a history names no machine.
    await writeFile(file, stdout.split(projectRoot).join('<project>'));
    process.stdout.write(`recorded ${file.pathname} (${history.events?.length ?? 0} events)\n`);
    runId =
      history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
}

async function untilPolled(stack: Stack, connectionId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const jobId = stack.simulator.jobs(connectionId)[0]?.jobId;
    if (stack.simulator.requests().some((r) => r.operationId === 'getJob' && r.jobId === jobId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function recordCatalog(): Promise<void> {
  const stack = await startStack({ folders: [catalogFolder] });
  const conn = (scenario: object) => stack.simulator.addConnection({ scenario }).connectionId;
  try {
    await save(
      stack,
      'sync-succeeds',
      await stack.start('trigger-sync-and-poll', {
        connectionId: conn({ queuedPolls: 1, runningPolls: 2, failedAttempts: 1, incompletePolls: 1 }),
        ...fast,
      }),
    );
    await save(
      stack,
      'sync-fails',
      await stack.start('trigger-sync-and-poll', {
        connectionId: conn({ runningPolls: 1, outcome: 'failed' }),
        ...fast,
      }),
    );
    const signalled = conn({ runningPolls: 100_000 });
    const toSignal = await stack.start('trigger-sync-and-poll', { connectionId: signalled, ...fast });
    await untilPolled(stack, signalled);
    await toSignal.signal(cancelSignal, { reason: 'recorded' });
    await save(stack, 'sync-cancel-signal', toSignal);
    const cancelled = conn({ runningPolls: 100_000 });
    const toCancel = await stack.start('trigger-sync-and-poll', { connectionId: cancelled, ...fast });
    await untilPolled(stack, cancelled);
    await toCancel.cancel();
    await save(stack, 'sync-temporal-cancel', toCancel);
    await save(
      stack,
      'reset-succeeds',
      await stack.start('reset-and-resync', { connectionId: conn({ reset: { runningPolls: 2 } }), ...fast }),
    );
    await save(
      stack,
      'reset-fails',
      await stack.start('reset-and-resync', {
        connectionId: conn({ reset: { runningPolls: 1, outcome: 'failed' } }),
        ...fast,
      }),
    );
    const triggered = conn({ runningPolls: 2 });
    const started = (await (await stack.start('trigger-sync', { connectionId: triggered })).result()) as {
      jobId: number;
    };
    await save(stack, 'wait-for-job', await stack.start('wait-for-job', { jobId: started.jobId, ...fast }));
    await save(
      stack,
      'sync-continue-as-new',
      await stack.start('trigger-sync-and-poll', {
        connectionId: conn({ runningPolls: 60 }),
        'x-temporal': { pollIntervalSeconds: 0, historyEventLimit: 100 },
      }),
    );
    await save(
      stack,
      'invalid-input',
      await stack.start('trigger-sync-and-poll', { connectionId: 'not-a-uuid' }),
    );
  } finally {
    await stack.close();
  }
}

async function recordSeeds(): Promise<void> {
  const stack = await startStack({ folders: [seedsFolder] });
  const conn = (scenario: object) => stack.simulator.addConnection({ scenario }).connectionId;
  try {
    await save(
      stack,
      'seed-sync-succeeds',
      await stack.start('trigger-sync-and-poll', { connectionId: conn({ runningPolls: 3 }) }),
    );
    await save(
      stack,
      'seed-reset-succeeds',
      await stack.start('reset-and-resync', { connectionId: conn({ reset: { runningPolls: 2 } }) }),
    );
    await save(
      stack,
      'seed-reset-cancelled',
      await stack.start('reset-and-resync', {
        connectionId: conn({ reset: { runningPolls: 1, outcome: 'cancelled' } }),
      }),
    );
  } finally {
    await stack.close();
  }
}

/** A sub-workflow: the parent's history and its child's (the child runs on the parent's plan). */
async function recordChild(): Promise<void> {
  const stack = await startStack({ folders: [childFolder] });
  try {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 2 } }).connectionId;
    const parent = await stack.start('sync-in-child', { connectionId, ...fast });
    await save(stack, 'child-parent-succeeds', parent);
    const history = await parent.fetchHistory();
    const child = history.events
      ?.map((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution)
      .find((execution) => execution?.workflowId && execution.runId);
    if (!child?.workflowId || !child.runId) throw new Error('the parent started no child workflow');
    const handle = stack.temporal.client.workflow.getHandle(child.workflowId, child.runId);
    await save(stack, 'child-succeeds', Object.assign(handle, { firstExecutionRunId: child.runId }));
  } finally {
    await stack.close();
  }
}

/** `onConflict: wait`: a foreign sync blocks the create; the run checks it on timers, then creates its own. */
async function recordConflictWait(): Promise<void> {
  const stack = await startStack({ folders: [catalogFolder] });
  try {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 1 } }).connectionId;
    const created = await fetch(`${stack.simulator.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId, jobType: 'sync' }),
    });
    const blocker = ((await created.json()) as { jobId: number }).jobId;
    const handle = await stack.start('trigger-sync-and-poll', {
      connectionId,
      'x-temporal': { onConflict: 'wait', pollIntervalSeconds: 0.05 },
    });
    const lookups = () => stack.simulator.requests().filter((r) => r.operationId === 'listJobs').length;
    while (lookups() < 3) await new Promise((r) => setTimeout(r, 50));
    // The foreign sync ends when read: read it until it has.
    for (;;) {
      const job = (await (await fetch(`${stack.simulator.url}/jobs/${blocker}`)).json()) as {
        status: string;
      };
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
    }
    await save(stack, 'sync-conflict-wait', handle);
  } finally {
    await stack.close();
  }
}

/**
 * Receive steps: the event-driven catalog document (receive timeout shortened to 3 s) with a
 * delivered notification (the run and its mailbox) and a lost one (the timeout path).
 */
async function recordEventDriven(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'record-event-driven-'));
  const text = await readFile(join(catalogFolder, 'airbyte-event-driven.arazzo.yaml'), 'utf8');
  await writeFile(
    join(folder, 'event-driven.arazzo.yaml'),
    text.replaceAll('timeout: 300000', 'timeout: 3000'),
  );
  const stack = await startStack({
    folders: [folder],
    simulator: { clock: 'wall' },
    env: {
      ARAZZO_SOURCE_DESCRIPTIONS: `airbyteApi=${join(projectRoot, 'openapi', 'airbyte-openapi.yml')},airbyteNotifications=${join(projectRoot, 'asyncapi', 'airbyte-notifications.asyncapi.yaml')}`,
    },
  });
  const settings = loadReceiverSettings({
    ARAZZO_RECEIVER_SECRET: 'record-secret-0123456789abcdef',
    ARAZZO_RECEIVER_ADDRESS: '127.0.0.1:0',
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
  });
  const receiver = await startReceiver({
    settings,
    deliver: temporalDeliver(stack.temporal.client, stack.taskQueue, 5),
  });
  stack.simulator.configureNotifications({
    webhooks: [`${receiver.origin}${NOTIFICATION_PATH}${settings.secret}`],
  });
  const conn = () =>
    stack.simulator.addConnection({ scenario: { clock: 'wall', pendingMs: 100, runningMs: 1000 } })
      .connectionId;
  try {
    const delivered = conn();
    await save(
      stack,
      'event-sync-notified',
      await stack.start('trigger-sync-event-driven', { connectionId: delivered }),
    );
    const jobId = stack.simulator.jobs(delivered)[0]!.jobId;
    const mailbox = stack.temporal.client.workflow.getHandle(mailboxWorkflowId(`${delivered}/${jobId}`));
    const { runId } = await mailbox.describe();
    await save(stack, 'event-mailbox', Object.assign(mailbox, { firstExecutionRunId: runId }));
    stack.simulator.configureNotifications({ drop: 1 });
    await save(
      stack,
      'event-sync-lost',
      await stack.start('trigger-sync-event-driven', { connectionId: conn() }),
    );
  } finally {
    await receiver.close();
    await stack.close();
    await rm(folder, { recursive: true, force: true });
  }
}

if (wanted('catalog')) await recordCatalog();
if (wanted('seeds')) await recordSeeds();
if (wanted('child')) await recordChild();
if (wanted('conflict-wait')) await recordConflictWait();
if (wanted('event-driven')) await recordEventDriven();
process.exit(0);
