/**
 * `arazzo-temporal schedule` against the real Temporal server: cron syncs created, listed,
 * triggered (the run syncs the simulator's connection), paused and deleted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleNotFoundError } from '@temporalio/client';
import { runCli } from '../../src/cli/main.js';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    client: stack.temporal.client,
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    env: { TEMPORAL_TASK_QUEUE: stack.taskQueue },
  });
  return { code, out, err };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ListedSchedule {
  scheduleId: string;
  workflow?: string;
  cron?: string[];
  paused: boolean;
  nextRun?: string;
}

const listSchedules = async () =>
  JSON.parse((await cli(['schedule', 'list', '--json'])).out) as ListedSchedule[];

describe('schedule', () => {
  it('creates an hourly cron sync, lists it, runs it on trigger, pauses and deletes it', async () => {
    const connectionId = stack.simulator.addConnection({
      scenario: { runningPolls: 0, rowsSynced: 3 },
    }).connectionId;
    const scheduleId = `hourly-${connectionId}`;
    const created = await cli([
      'schedule',
      'create',
      'trigger-sync-and-poll',
      '--cron',
      '0 * * * *',
      '--id',
      scheduleId,
      '--input',
      `connectionId=${connectionId}`,
      '--option',
      'pollIntervalSeconds=0.05',
    ]);
    assert.equal(created.code, 0, created.err);
    assert.match(
      created.out,
      new RegExp(
        `^Created schedule ${scheduleId}: trigger-sync-and-poll cron '0 \\* \\* \\* \\*', overlap skip\\n`,
      ),
    );
    assert.match(created.out, /\n {2}next runs: \d{4}-\d\d-\d\d \d\d:00:00Z, /);

    const description = await stack.temporal.client.schedule.getHandle(scheduleId).describe();
    assert.equal(description.action.workflowType, 'trigger-sync-and-poll');
    assert.equal(description.action.taskQueue, stack.taskQueue);
    assert.deepEqual(description.action.args, [
      { connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } },
    ]);
    assert.equal(description.policies.overlap, 'SKIP');
    assert.ok(
      description.info.nextActionTimes.every((t) => t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0),
    );

    const listed = await waitFor('the schedule listed', async () =>
      (await listSchedules()).find((s) => s.scheduleId === scheduleId),
    );
    assert.equal(listed.workflow, 'trigger-sync-and-poll');
    assert.deepEqual(listed.cron, ['0 * * * *']);
    assert.equal(listed.paused, false);
    const table = await cli(['schedule', 'list']);
    assert.match(table.out, /^SCHEDULE ID +WORKFLOW +WHEN +NEXT RUN +STATE +LAST RUN\n/);
    assert.match(
      table.out,
      new RegExp(`\\n${scheduleId} +trigger-sync-and-poll +0 \\* \\* \\* \\* +\\S+ \\S+ +active +-\\n`),
    );

    const triggered = await cli(['schedule', 'trigger', scheduleId]);
    assert.equal(triggered.code, 0);
    const runId = await waitFor('the triggered run', async () => {
      const recent = (await stack.temporal.client.schedule.getHandle(scheduleId).describe()).info
        .recentActions;
      return recent[0]?.action.workflow.workflowId;
    });
    assert.ok(runId.startsWith(`${scheduleId}-`), runId);
    const result = (await stack.temporal.client.workflow.getHandle(runId).result()) as {
      finalStatus: string;
      rowsSynced: number;
    };
    assert.deepEqual([result.finalStatus, result.rowsSynced], ['succeeded', 3]);
    assert.equal(stack.simulator.jobs(connectionId).length, 1);

    const paused = await cli(['schedule', 'pause', scheduleId, '--note', 'maintenance']);
    assert.equal(paused.code, 0);
    const state = (await stack.temporal.client.schedule.getHandle(scheduleId).describe()).state;
    assert.deepEqual([state.paused, state.note], [true, 'maintenance']);

    const deleted = await cli(['schedule', 'delete', scheduleId]);
    assert.equal(deleted.code, 0);
    assert.equal(deleted.out, `Deleted schedule ${scheduleId}\n`);
    await assert.rejects(
      stack.temporal.client.schedule.getHandle(scheduleId).describe(),
      ScheduleNotFoundError,
    );
    await waitFor('the schedule gone from the list', async () =>
      (await listSchedules()).some((s) => s.scheduleId === scheduleId) ? undefined : true,
    );
    const again = await cli(['schedule', 'delete', scheduleId]);
    assert.equal(again.code, 1);
    assert.match(again.err, new RegExp(`no schedule '${scheduleId}'`));
  });

  it('creates with --every, --timezone, --paused and --json; refuses a duplicate id', async () => {
    const scheduleId = `every-${Date.now()}`;
    const created = await cli([
      'schedule',
      'create',
      'reset-and-resync',
      '--id',
      scheduleId,
      '--every',
      '1h',
      '--paused',
      '-i',
      'connectionId=00000000-0000-4000-8000-000000000001',
      '--json',
    ]);
    assert.equal(created.code, 0, created.err);
    const json = JSON.parse(created.out) as {
      scheduleId: string;
      every: string[];
      paused: boolean;
      overlap: string;
    };
    assert.deepEqual(
      [json.scheduleId, json.every, json.paused, json.overlap],
      [scheduleId, ['1h'], true, 'skip'],
    );

    const duplicate = await cli([
      'schedule',
      'create',
      'reset-and-resync',
      '--id',
      scheduleId,
      '--cron',
      '@daily',
    ]);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.err, new RegExp(`a schedule '${scheduleId}' already exists`));

    const zoned = `zoned-${Date.now()}`;
    const tz = await cli([
      'schedule',
      'create',
      'trigger-sync',
      '--id',
      zoned,
      '--cron',
      '30 2 * * *',
      '--timezone',
      'Europe/Berlin',
      '-i',
      'connectionId=x',
    ]);
    assert.equal(tz.code, 0, tz.err);
    assert.equal(
      (await stack.temporal.client.schedule.getHandle(zoned).describe()).spec.timezone,
      'Europe/Berlin',
    );

    for (const id of [scheduleId, zoned]) assert.equal((await cli(['schedule', 'delete', id])).code, 0);
  });

  it('refuses bad usage with exit code 2', async () => {
    const noWhen = await cli(['schedule', 'create', 'trigger-sync', '--id', `x-${Date.now()}`]);
    assert.equal(noWhen.code, 2);
    assert.match(noWhen.err, /give when to run: --cron/);
    const noId = await cli(['schedule', 'create', 'trigger-sync', '--cron', '@hourly']);
    assert.equal(noId.code, 2);
    assert.match(noId.err, /--id <scheduleId> is required/);
    const badCron = await cli([
      'schedule',
      'create',
      'trigger-sync',
      '--id',
      `bad-${Date.now()}`,
      '--cron',
      'every tuesday',
    ]);
    assert.equal(badCron.code, 2, badCron.err);
    assert.match(badCron.err, /the schedule was refused: /);
    const overlap = await cli([
      'schedule',
      'create',
      'trigger-sync',
      '--id',
      'x',
      '--cron',
      '@hourly',
      '--overlap',
      'sometimes',
    ]);
    assert.equal(overlap.code, 2);
    assert.match(overlap.err, /--overlap expects one of skip, buffer-one/);
    const unknown = await cli(['schedule', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown subcommand 'frobnicate'/);
    const none = await cli(['schedule']);
    assert.equal(none.code, 2);
    assert.match(none.err, /missing subcommand/);
  });
});
