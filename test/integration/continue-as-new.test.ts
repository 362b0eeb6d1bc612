/**
 * A poll of 10,000 iterations crosses continue-as-new several times, keeps each history bounded,
 * and returns the same outputs as a short run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

describe('continue-as-new', () => {
  it('10,000 poll iterations: several runs in the chain, each history bounded, same outputs as a short run', async () => {
    const options = { pollIntervalSeconds: 0, historyEventLimit: 2_000 };
    const longId = stack.simulator.addConnection({
      scenario: { runningPolls: 10_000, rowsSynced: 42 },
    }).connectionId;
    const shortId = stack.simulator.addConnection({
      scenario: { runningPolls: 2, rowsSynced: 42 },
    }).connectionId;

    const long = await stack.start('trigger-sync-and-poll', {
      connectionId: longId,
      'x-temporal': options,
    });
    const short = await stack.start('trigger-sync-and-poll', {
      connectionId: shortId,
      'x-temporal': options,
    });
    const [longResult, shortResult] = await Promise.all([long.result(), short.result()]);

    const jobOf = (id: string) => stack.simulator.jobs(id)[0]!.jobId;
    assert.deepEqual({ ...longResult, jobId: 0 }, { ...shortResult, jobId: 0 });
    assert.equal(longResult.jobId, jobOf(longId));
    assert.equal(longResult.finalStatus, 'succeeded');
    const longPolls = stack.simulator
      .requests()
      .filter((r) => r.operationId === 'getJob' && r.jobId === jobOf(longId)).length;
    assert.ok(longPolls >= 10_001, `polled ${longPolls} times`);
    assert.equal(stack.simulator.jobs(longId).length, 1, 'one job across every run of the chain');

    // Walk the chain: every run's history stays under the bound (plus one workflow task's worth).
    const runs: number[] = [];
    for (let runId: string | undefined = long.firstExecutionRunId; runId;) {
      const history: Awaited<ReturnType<typeof long.fetchHistory>> = await stack.temporal.client.workflow
        .getHandle(long.workflowId, runId)
        .fetchHistory();
      const events = history.events ?? [];
      runs.push(events.length);
      const next: string | null | undefined =
        events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      runId = next ?? undefined;
    }
    assert.ok(runs.length >= 4, `only ${runs.length} runs in the chain`);
    for (const length of runs) assert.ok(length < 2_000 + 600, `a run has ${length} events`);
  });
});
