/**
 * `arazzo-temporal run` and `start` in-process against the real Temporal server, the worker and
 * the simulator: outputs, exit codes, live progress, failures, Ctrl-C, input typing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/main.js';
import type { Sink } from '../../src/cli/output.js';
import { startStack, type Stack } from '../helpers/stack.js';
import type { Scenario } from '../../simulator/types.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs one command line in-process on the stack's client and task queue. */
async function cli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; err?: Sink; signal?: AbortSignal } = {},
): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    client: stack.temporal.client,
    out: { write: (t: string) => (out += t) },
    err: options.err ?? { write: (t: string) => (err += t) },
    env: { TEMPORAL_TASK_QUEUE: stack.taskQueue, ...options.env },
    progressIntervalMs: 100,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, out, err };
}

const connection = (scenario: Scenario) => stack.simulator.addConnection({ scenario }).connectionId;
const FAST = ['--option', 'pollIntervalSeconds=0.05'];

describe('run', () => {
  it('follows a sync to completion, prints its outputs and exits 0', async () => {
    const id = connection({ runningPolls: 2, outcome: 'succeeded', rowsSynced: 42 });
    // The dev server fires timers on whole seconds: each poll takes about 1 s, plenty for 100 ms sampling.
    const { code, out, err } = await cli([
      'run',
      'trigger-sync-and-poll',
      '--input',
      `connectionId=${id}`,
      ...FAST,
    ]);
    assert.equal(code, 0, err);
    const jobId = stack.simulator.jobs(id)[0]!.jobId;
    assert.match(out, /^Completed trigger-sync-and-poll in \d+s \(trigger-sync-and-poll-/);
    assert.match(out, new RegExp(`jobId:\\s+${jobId}\\n`));
    assert.match(out, /finalStatus:\s+succeeded\n/);
    assert.match(out, /rowsSynced:\s+42\n/);
    assert.match(err, /^Started trigger-sync-and-poll as trigger-sync-and-poll-\S+ \(run \S+, task queue /);
    // Not a terminal: one line per change, each with the elapsed time, the step and the job.
    const progress = err.split('\n').filter((l) => l.startsWith('['));
    assert.ok(
      progress.some((l) =>
        new RegExp(
          `^\\[\\d+s\\] (waiting|running) · step pollJob(, poll \\d+)? · job ${jobId}: running`,
        ).test(l),
      ),
      err,
    );
    const keys = progress.map((l) => l.replace(/^\[\d+s\] /, '').replace(/ \(next poll in \d+s\)$/, ''));
    for (let i = 1; i < keys.length; i++)
      assert.notEqual(keys[i], keys[i - 1], `repeated progress line: ${keys[i]}`);
    assert.ok(!err.includes('\r'), 'no carriage returns when not on a terminal');
  });

  it('redraws one progress line in place on a terminal', async () => {
    const id = connection({ runningPolls: 1 });
    let err = '';
    const tty: Sink = { isTTY: true, columns: 60, write: (t: string) => (err += t) };
    const { code } = await cli(['run', 'trigger-sync-and-poll', '-i', `connectionId=${id}`, ...FAST], {
      err: tty,
    });
    assert.equal(code, 0, err);
    const draws = err.split('\r\x1b[2K').slice(1);
    assert.ok(draws.length >= 2, err);
    for (const draw of draws.slice(0, -1))
      assert.ok(!draw.includes('\n') && draw.length <= 59, JSON.stringify(draw));
    assert.match(draws.at(-1)!, /^\[\d+s\] [^\n]*\n$/, 'the last drawing ends the line');
  });

  it('prints one JSON object with --json', async () => {
    const id = connection({ runningPolls: 0, rowsSynced: 7 });
    const { code, out } = await cli([
      'run',
      'trigger-sync-and-poll',
      '-i',
      `connectionId=${id}`,
      '-i',
      'jobType=reset',
      ...FAST,
      '--json',
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(out) as {
      workflowId: string;
      runId: string;
      status: string;
      outputs: Record<string, unknown>;
    };
    const job = stack.simulator.jobs(id)[0]!;
    assert.equal(job.jobType, 'reset');
    assert.equal(result.status, 'COMPLETED');
    assert.deepEqual(result.outputs, { jobId: job.jobId, finalStatus: 'succeeded' });
    const description = await stack.temporal.client.workflow.getHandle(result.workflowId).describe();
    assert.equal(description.runId, result.runId);
    assert.equal(description.taskQueue, stack.taskQueue);
  });

  it('exits 1 with the failure type, message and details when the job fails', async () => {
    const id = connection({ runningPolls: 1, outcome: 'failed' });
    const { code, out, err } = await cli([
      'run',
      'trigger-sync-and-poll',
      '--input',
      `connectionId=${id}`,
      ...FAST,
    ]);
    const jobId = stack.simulator.jobs(id)[0]!.jobId;
    assert.equal(code, 1, err);
    assert.equal(out, '');
    assert.match(
      err,
      new RegExp(
        `Failed trigger-sync-and-poll \\(\\S+\\): AirbyteJobFailed: job ${jobId} ended failed \\(step pollJob\\)\\n`,
      ),
    );
    assert.match(err, /\n {2}details:\n/);
    assert.match(err, new RegExp(`    outputs: \\{"jobId":${jobId},"finalStatus":"failed"`));
  });

  it('reports the failure as JSON with --json', async () => {
    const id = connection({ runningPolls: 0, outcome: 'failed' });
    const { code, out } = await cli([
      'run',
      'reset-and-resync',
      '--input',
      `connectionId=${id}`,
      ...FAST,
      '--json',
    ]);
    assert.equal(code, 1);
    const result = JSON.parse(out) as {
      status: string;
      failure: { type: string; message: string; details: { resource: { status: string } } };
    };
    assert.equal(result.status, 'FAILED');
    assert.equal(result.failure.type, 'AirbyteJobFailed');
    assert.equal(result.failure.details.resource.status, 'failed');
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.jobType),
      ['reset'],
    );
  });

  it('exits 1 and names the field when the worker refuses the inputs', async () => {
    const { code, err } = await cli(['run', 'trigger-sync-and-poll', '--input', 'jobType=sync']);
    assert.equal(code, 1);
    assert.match(err, /ArazzoInvalidInput: invalid inputs for trigger-sync-and-poll/);
    assert.match(err, /connectionId/);
  });

  it('exits 1 for a workflow the catalog does not have', async () => {
    const { code, err } = await cli(['run', 'no-such-workflow']);
    assert.equal(code, 1);
    assert.match(err, /ArazzoUnknownWorkflow: no Arazzo workflow 'no-such-workflow'/);
  });

  it('passes jobId=123 as a number and UUIDs as strings (wait-for-job takes an integer)', async () => {
    const id = connection({ runningPolls: 1 });
    const trigger = await cli(['run', 'trigger-sync', '--input', `connectionId=${id}`, '--json']);
    assert.equal(trigger.code, 0, trigger.err);
    const { outputs } = JSON.parse(trigger.out) as { outputs: { jobId: number } };
    assert.equal(typeof outputs.jobId, 'number');
    const wait = await cli(['run', 'wait-for-job', '--input', `jobId=${outputs.jobId}`, ...FAST, '--json']);
    assert.equal(wait.code, 0, wait.err);
    assert.deepEqual((JSON.parse(wait.out) as { outputs: unknown }).outputs, {
      jobId: outputs.jobId,
      finalStatus: 'succeeded',
      rowsSynced: stack.simulator.job(outputs.jobId)!.response.rowsSynced,
      bytesSynced: stack.simulator.job(outputs.jobId)!.response.bytesSynced,
    });
  });

  it('takes the inputs from --input-json, with --input fields set over them', async () => {
    const id = connection({ runningPolls: 0 });
    const inputs = JSON.stringify({
      connectionId: '00000000-0000-4000-8000-000000000000',
      jobType: 'reset',
      'x-temporal': { pollIntervalSeconds: 0.05 },
    });
    const { code, err } = await cli([
      'run',
      'trigger-sync-and-poll',
      '--input-json',
      inputs,
      '--input',
      `connectionId=${id}`,
    ]);
    assert.equal(code, 0, err);
    assert.deepEqual(
      stack.simulator.jobs(id).map((j) => j.jobType),
      ['reset'],
    );
  });

  it('on Ctrl-C stops following, says how to cancel, exits 130 and leaves the run running', async () => {
    const id = connection({ runningPolls: 10_000 });
    const interrupt = new AbortController();
    let err = '';
    const sink: Sink = {
      write: (t: string) => {
        err += t;
        if (/· job \d+: running/.test(t)) interrupt.abort();
      },
    };
    const { code } = await cli(
      ['run', 'trigger-sync-and-poll', '-i', `connectionId=${id}`, ...FAST, '--id', `ctrl-c-${id}`],
      {
        err: sink,
        signal: interrupt.signal,
      },
    );
    assert.equal(code, 130, err);
    assert.match(err, new RegExp(`Stopped following; ctrl-c-${id} is still running`));
    assert.match(err, new RegExp(`arazzo-temporal cancel ctrl-c-${id}`));
    const handle = stack.temporal.client.workflow.getHandle(`ctrl-c-${id}`);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate('test cleanup');
  });

  it('refuses a --id that is already running', async () => {
    const id = connection({ runningPolls: 10_000 });
    const workflowId = `dup-${id}`;
    const first = await cli([
      'start',
      'trigger-sync-and-poll',
      '-i',
      `connectionId=${id}`,
      '--id',
      workflowId,
    ]);
    assert.equal(first.code, 0, first.err);
    const second = await cli([
      'run',
      'trigger-sync-and-poll',
      '-i',
      `connectionId=${id}`,
      '--id',
      workflowId,
    ]);
    assert.equal(second.code, 1);
    assert.match(second.err, new RegExp(`a run with id '${workflowId}' is already running`));
    await stack.temporal.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });
});

describe('start', () => {
  it('prints the workflow id, run id and Web UI link, and returns while the run goes on', async () => {
    const id = connection({ runningPolls: 0 });
    const { code, out } = await cli(
      ['start', 'trigger-sync-and-poll', '-i', `connectionId=${id}`, ...FAST, '--id', `start-${id}`],
      {
        env: { ARAZZO_UI_URL: 'http://127.0.0.1:8233/' },
      },
    );
    assert.equal(code, 0);
    const handle = stack.temporal.client.workflow.getHandle(`start-${id}`);
    const { runId } = await handle.describe();
    assert.equal(
      out,
      `Started trigger-sync-and-poll\n  workflow id: start-${id}\n  run id:      ${runId}\n` +
        `  Web UI:      http://127.0.0.1:8233/namespaces/default/workflows/start-${id}/${runId}/history\n` +
        `Follow it with: arazzo-temporal status start-${id}\n`,
    );
    assert.equal(((await handle.result()) as { finalStatus: string }).finalStatus, 'succeeded');
  });

  it('prints JSON with --json and no link without ARAZZO_UI_URL', async () => {
    const id = connection({ runningPolls: 1 });
    const { code, out } = await cli(['start', 'trigger-sync', '-i', `connectionId=${id}`, '--json']);
    assert.equal(code, 0);
    const started = JSON.parse(out) as Record<string, string>;
    assert.deepEqual(Object.keys(started).sort(), [
      'namespace',
      'runId',
      'taskQueue',
      'workflow',
      'workflowId',
    ]);
    assert.match(started.workflowId!, /^trigger-sync-\d{8}-\d{6}-[0-9a-f]{4}$/);
    assert.equal(started.taskQueue, stack.taskQueue);
    await stack.temporal.client.workflow.getHandle(started.workflowId!).result();
    assert.equal(stack.simulator.jobs(id).length, 1);
  });
});
