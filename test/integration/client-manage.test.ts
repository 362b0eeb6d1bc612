/**
 * `arazzo-temporal status`, `cancel` and `list` in-process against the real Temporal server, the
 * worker and the simulator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClientFailureLabel } from '../../src/cli/runs/failure.js';
import { runCli } from '../../src/cli/main.js';
import { statusQuery } from '../../src/contract/index.js';
import { startStack, type Stack } from '../helpers/stack.js';
import type { Scenario } from '../../simulator/types.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    client: stack.temporal.client,
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    env: { TEMPORAL_TASK_QUEUE: stack.taskQueue, ...env },
    progressIntervalMs: 100,
  });
  return { code, out, err };
}

const connection = (scenario: Scenario) => stack.simulator.addConnection({ scenario }).connectionId;
const fast = { 'x-temporal': { pollIntervalSeconds: 0.05 } };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a sync that polls a running job until cancelled, and waits until the job is running. */
async function runningSync(workflowId: string): Promise<{ connectionId: string; jobId: number }> {
  const connectionId = connection({ runningPolls: 10_000 });
  const handle = await stack.start('trigger-sync-and-poll', { connectionId, ...fast }, workflowId);
  await waitFor('a running job', async () => {
    const status = await handle.query(statusQuery);
    return status.resources[0]?.status === 'running' ? true : undefined;
  });
  return { connectionId, jobId: stack.simulator.jobs(connectionId)[0]!.jobId };
}

const cancelRequests = (jobId: number) =>
  stack.simulator.requests().filter((r) => r.operationId === 'cancelJob' && r.jobId === jobId);

describe('status', () => {
  it('shows a running run: status, arazzo workflow, inputs, step and job', async () => {
    const workflowId = `status-running-${Date.now()}`;
    const { connectionId, jobId } = await runningSync(workflowId);
    const { code, out } = await cli(['status', workflowId]);
    assert.equal(code, 0);
    assert.match(out, new RegExp(`^workflow id: ${workflowId}\\n`));
    assert.match(out, /\nstatus: {6}RUNNING \((waiting|running)\)\n/);
    assert.match(
      out,
      /\narazzo: {6}trigger-sync-and-poll from \S*airbyte-trigger-sync-and-poll\.arazzo\.yaml\n/,
    );
    assert.match(out, /\nstep: {8}pollJob \(poll \d+\)\n/);
    assert.match(out, new RegExp(`\\njob\\(s\\): {6}job ${jobId}: running\\n`));
    assert.match(out, new RegExp(`\\ninputs:\\n  connectionId: ${connectionId}\\n  jobType: {6}sync\\n`));

    const json = await cli(['status', workflowId, '--json']);
    const status = JSON.parse(json.out) as {
      status: string;
      arazzoWorkflowId: string;
      inputs: Record<string, unknown>;
      progress: { resources: Array<{ id: number; status: string }> };
    };
    assert.equal(status.status, 'RUNNING');
    assert.equal(status.arazzoWorkflowId, 'trigger-sync-and-poll');
    assert.deepEqual(status.inputs, { connectionId, jobType: 'sync' });
    assert.deepEqual(
      status.progress.resources.map((r) => [r.id, r.status]),
      [[jobId, 'running']],
    );
    await stack.temporal.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });

  it('shows the outputs of a completed run and the failure of a failed one', async () => {
    const ok = connection({ runningPolls: 0, rowsSynced: 5 });
    const okRun = await stack.start('trigger-sync-and-poll', { connectionId: ok, ...fast });
    await okRun.result();
    const done = await cli(['status', okRun.workflowId]);
    assert.equal(done.code, 0);
    assert.match(done.out, /\nstatus: {6}COMPLETED\n/);
    assert.match(
      done.out,
      /\noutputs:\n {2}jobId: {7}\d+\n {2}finalStatus: succeeded\n {2}rowsSynced: {2}5\n/,
    );

    const bad = connection({ runningPolls: 0, outcome: 'failed' });
    const badRun = await stack.start('trigger-sync-and-poll', { connectionId: bad, ...fast });
    await assert.rejects(badRun.result());
    const failed = await cli(['status', badRun.workflowId, '--json']);
    assert.equal(failed.code, 0);
    const status = JSON.parse(failed.out) as { status: string; failure: { type: string; message: string } };
    assert.equal(status.status, 'FAILED');
    assert.equal(status.failure.type, 'AirbyteJobFailed');
    assert.match(status.failure.message, /ended failed \(step pollJob\)$/);
  });

  it('exits 1 for an unknown workflow id', async () => {
    const { code, err } = await cli(['status', 'no-such-run-anywhere']);
    assert.equal(code, 1);
    assert.match(err, /no run with workflow id 'no-such-run-anywhere' in namespace default/);
  });
});

describe('cancel', () => {
  it('signals `cancel` with the reason: one DELETE, the run completes with the job cancelled', async () => {
    const workflowId = `cancel-signal-${Date.now()}`;
    const { jobId } = await runningSync(workflowId);
    assert.equal(cancelRequests(jobId).length, 0);
    const { code, out, err } = await cli(['cancel', workflowId, '--reason', 'wrong connection', '--wait']);
    assert.equal(code, 0, err);
    assert.match(err, /Cancel signal sent; waiting for/);
    assert.match(out, new RegExp(`^${workflowId} ended COMPLETED\\noutputs:\\n`));
    assert.match(out, /finalStatus: cancelled\n/);
    assert.equal(cancelRequests(jobId).length, 1);
    assert.equal(stack.simulator.job(jobId)!.status, 'cancelled');
    // The reason travelled with the signal.
    const history = await stack.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const signal = history.events?.find(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'cancel',
    );
    const payload = signal?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    assert.ok(payload, 'a cancel signal with an argument');
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString('utf8')), { reason: 'wrong connection' });
  });

  it('--temporal requests a Temporal cancellation: one DELETE, the run ends CANCELLED', async () => {
    const workflowId = `cancel-temporal-${Date.now()}`;
    const { jobId } = await runningSync(workflowId);
    const { code, out } = await cli(['cancel', workflowId, '--temporal', '--wait', '--json']);
    assert.equal(code, 0);
    const result = JSON.parse(out) as { method: string; status: string; failure: { type: string } };
    assert.equal(result.method, 'temporal-cancellation');
    assert.equal(result.status, 'CANCELLED');
    assert.equal(result.failure.type, ClientFailureLabel.cancelled);
    assert.equal(cancelRequests(jobId).length, 1);
  });

  it('returns at once without --wait, and refuses a run that has ended', async () => {
    const workflowId = `cancel-nowait-${Date.now()}`;
    const { jobId } = await runningSync(workflowId);
    const sent = await cli(['cancel', workflowId]);
    assert.equal(sent.code, 0);
    assert.match(sent.out, /^Cancel signal sent \(reason: cancelled with arazzo-temporal cancel\) for /);
    await stack.temporal.client.workflow.getHandle(workflowId).result();
    assert.equal(cancelRequests(jobId).length, 1);

    const again = await cli(['cancel', workflowId]);
    assert.equal(again.code, 1);
    assert.match(
      again.err,
      new RegExp(`${workflowId} is not running: it ended COMPLETED; nothing to cancel`),
    );
    assert.equal(cancelRequests(jobId).length, 1);
  });

  it('exits 1 for an unknown workflow id', async () => {
    const { code, err } = await cli(['cancel', 'no-such-run-anywhere']);
    assert.equal(code, 1);
    assert.match(err, /no run with workflow id 'no-such-run-anywhere'/);
  });
});

describe('list', () => {
  it('lists the runs of the task queue with workflow, status, start time and connection id', async () => {
    const a = connection({ runningPolls: 0 });
    const b = connection({ runningPolls: 0, outcome: 'failed' });
    const runA = await stack.start('trigger-sync-and-poll', { connectionId: a, ...fast }, `list-a-${a}`);
    const runB = await stack.start('reset-and-resync', { connectionId: b, ...fast }, `list-b-${b}`);
    await runA.result();
    await assert.rejects(runB.result());

    type Listed = {
      workflowId: string;
      workflow: string;
      status: string;
      connectionId?: string;
      startTime: string;
    };
    const listed = await waitFor('both runs listed as closed', async () => {
      const { code, out } = await cli(['list', '--json', '--limit', '100']);
      assert.equal(code, 0);
      const runs = JSON.parse(out) as Listed[];
      const ours = runs.filter((r) => r.workflowId === `list-a-${a}` || r.workflowId === `list-b-${b}`);
      return ours.length === 2 && ours.every((r) => r.status !== 'RUNNING') ? runs : undefined;
    });
    const byId = new Map(listed.map((r) => [r.workflowId, r]));
    assert.deepEqual(
      { ...byId.get(`list-a-${a}`), startTime: undefined },
      {
        ...byId.get(`list-a-${a}`),
        workflow: 'trigger-sync-and-poll',
        status: 'COMPLETED',
        connectionId: a,
        startTime: undefined,
      },
    );
    assert.equal(byId.get(`list-b-${b}`)?.status, 'FAILED');
    assert.equal(byId.get(`list-b-${b}`)?.connectionId, b);

    const table = await cli(['list']);
    assert.match(table.out, /^WORKFLOW ID +WORKFLOW +STATUS +STARTED +CONNECTION\n/);
    assert.match(
      table.out,
      new RegExp(
        `\\nlist-a-${a} +trigger-sync-and-poll +COMPLETED +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +${a}\\n`,
      ),
    );

    const failedOnly = JSON.parse((await cli(['list', '--status', 'failed', '--json'])).out) as Listed[];
    assert.ok(failedOnly.some((r) => r.workflowId === `list-b-${b}`));
    assert.ok(failedOnly.every((r) => r.status === 'FAILED'));
    const resets = JSON.parse(
      (await cli(['list', '--workflow', 'reset-and-resync', '--json'])).out,
    ) as Listed[];
    assert.ok(resets.length > 0 && resets.every((r) => r.workflow === 'reset-and-resync'));
    const forA = JSON.parse((await cli(['list', '--connection', a, '--json'])).out) as Listed[];
    assert.deepEqual(
      forA.map((r) => r.workflowId),
      [`list-a-${a}`],
    );
    const limited = JSON.parse((await cli(['list', '--limit', '1', '--json'])).out) as Listed[];
    assert.equal(limited.length, 1);
  });

  it('only shows the worker task queue unless asked', async () => {
    const { code, out } = await cli(['list', '--json'], { TEMPORAL_TASK_QUEUE: `empty-${Date.now()}` });
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), []);
    const text = await cli(['list'], { TEMPORAL_TASK_QUEUE: 'empty-queue' });
    assert.equal(text.out, "no runs matching TaskQueue = 'empty-queue'\n");
  });

  it('connects by itself from TEMPORAL_ADDRESS, and names an unknown namespace (exit 2)', async () => {
    const io = () => {
      const sinks = { out: '', err: '' };
      return {
        sinks,
        deps: {
          out: { write: (t: string) => (sinks.out += t) },
          err: { write: (t: string) => (sinks.err += t) },
          env: { TEMPORAL_ADDRESS: stack.temporal.address, TEMPORAL_TASK_QUEUE: stack.taskQueue },
        },
      };
    };
    const ok = io();
    assert.equal(await runCli(['list', '--json', '--limit', '1'], ok.deps), 0, ok.sinks.err);
    assert.ok(Array.isArray(JSON.parse(ok.sinks.out)));
    const bad = io();
    assert.equal(await runCli(['list', '--namespace', 'no-such-namespace'], bad.deps), 2);
    assert.match(bad.sinks.err, /no-such-namespace/);
    assert.match(
      bad.sinks.err,
      /hint: set TEMPORAL_NAMESPACE \(or --namespace\) to an existing namespace\n$/,
    );
  });

  it('refuses an unknown --status and a bad --limit with exit code 2', async () => {
    const status = await cli(['list', '--status', 'sleeping']);
    assert.equal(status.code, 2);
    assert.match(status.err, /--status expects one of running, completed, failed/);
    const limit = await cli(['list', '--limit', 'ten']);
    assert.equal(limit.code, 2);
    assert.match(limit.err, /--limit expects a positive whole number, got 'ten'/);
  });
});
