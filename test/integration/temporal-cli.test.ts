/**
 * Runs started, queried and signalled with the Temporal CLI binary itself, the way operators do.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startStack, type Stack } from '../helpers/stack.js';
import { findTemporalCli } from '../../src/dev-server/temporal-cli.js';

const run = promisify(execFile);
let stack: Stack;
let cli: string;

before(async () => {
  stack = await startStack();
  cli = await findTemporalCli({ build: false });
});
after(() => stack?.close());

async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(cli, [...args, '--address', stack.temporal.address], { timeout: 60_000 });
  return stdout;
}

describe('the Temporal CLI', () => {
  it('executes trigger-sync-and-poll and prints its outputs', async () => {
    const connectionId = stack.simulator.addConnection({
      scenario: { runningPolls: 2, rowsSynced: 3 },
    }).connectionId;
    const input = JSON.stringify({ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } });
    const out = await temporal(
      'workflow',
      'execute',
      '--task-queue',
      stack.taskQueue,
      '--type',
      'trigger-sync-and-poll',
      '--workflow-id',
      `cli-exec-${connectionId}`,
      '--input',
      input,
      '--output',
      'json',
    );
    const jobId = stack.simulator.jobs(connectionId)[0]!.jobId;
    assert.match(out, /"status":\s*"(WORKFLOW_EXECUTION_STATUS_)?COMPLETED"/);
    assert.match(out.replace(/\s/g, ''), new RegExp(`"finalStatus":"succeeded"`));
    assert.match(out.replace(/\s/g, ''), new RegExp(`"jobId":${jobId}`));
  });

  it('starts a run, queries its status and cancels it with a signal', async () => {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 100_000 } }).connectionId;
    const workflowId = `cli-cancel-${connectionId}`;
    await temporal(
      'workflow',
      'start',
      '--task-queue',
      stack.taskQueue,
      '--type',
      'trigger-sync-and-poll',
      '--workflow-id',
      workflowId,
      '--input',
      JSON.stringify({ connectionId, 'x-temporal': { pollIntervalSeconds: 1 } }),
    );
    let status: { currentStep?: string; resources: Array<{ status?: string }> } | undefined;
    for (let i = 0; i < 100 && status?.resources?.[0]?.status !== 'running'; i++) {
      const out = await temporal(
        'workflow',
        'query',
        '--workflow-id',
        workflowId,
        '--type',
        'status',
        '--output',
        'json',
      );
      const parsed = JSON.parse(out) as { queryResult: unknown[] | null };
      status = (parsed.queryResult?.[0] ?? undefined) as typeof status;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status?.currentStep, 'pollJob');
    assert.equal(status?.resources[0]?.status, 'running');

    await temporal(
      'workflow',
      'signal',
      '--workflow-id',
      workflowId,
      '--name',
      'cancel',
      '--input',
      '{"reason":"from the CLI"}',
    );
    const result = await stack.temporal.client.workflow.getHandle(workflowId).result();
    assert.equal(result.finalStatus, 'cancelled');
    const deletes = stack.simulator
      .requests()
      .filter(
        (r) => r.operationId === 'cancelJob' && r.jobId === stack.simulator.jobs(connectionId)[0]!.jobId,
      );
    assert.equal(deletes.length, 1);
  });

  it('cancels a run with `temporal workflow cancel`: one DELETE, run Canceled', async () => {
    const connectionId = stack.simulator.addConnection({ scenario: { runningPolls: 100_000 } }).connectionId;
    const workflowId = `cli-tcancel-${connectionId}`;
    await temporal(
      'workflow',
      'start',
      '--task-queue',
      stack.taskQueue,
      '--type',
      'reset-and-resync',
      '--workflow-id',
      workflowId,
      '--input',
      JSON.stringify({ connectionId, 'x-temporal': { pollIntervalSeconds: 1 } }),
    );
    for (
      let i = 0;
      i < 100 &&
      stack.simulator
        .requests()
        .filter((r) => r.operationId === 'getJob' && r.jobId === stack.simulator.jobs(connectionId)[0]?.jobId)
        .length === 0;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await temporal('workflow', 'cancel', '--workflow-id', workflowId);
    await assert.rejects(stack.temporal.client.workflow.getHandle(workflowId).result());
    const described = await temporal('workflow', 'describe', '--workflow-id', workflowId, '--output', 'json');
    assert.match(described, /CANCELED|CANCELLED/);
    const jobs = stack.simulator.jobs(connectionId);
    assert.deepEqual(
      jobs.map((j) => `${j.jobType}:${j.status}`),
      ['reset:cancelled'],
    );
    assert.equal(
      stack.simulator.requests().filter((r) => r.operationId === 'cancelJob' && r.jobId === jobs[0]!.jobId)
        .length,
      1,
    );
  });
});
