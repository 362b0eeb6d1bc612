/**
 * `arazzo-temporal schedule`: cron syncs on Temporal Schedules (what an Airflow DAG with a
 * `schedule` and an AirbyteTriggerSyncOperator does). The schedule starts the Arazzo workflow with
 * fixed inputs; overlapping runs are skipped by default, like `max_active_runs=1`.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleHandle,
  type ScheduleSummary,
} from '@temporalio/client';
import type { JsonObject } from '../../arazzo/model.js';
import {
  connectionHelp,
  connectionOptions,
  expectPositionals,
  helpOption,
  jsonOption,
  type ParsedArgs,
} from '../args.js';
import type { ClientCommand, ConnectedAction } from '../command.js';
import { resolveTaskQueue } from '../connect.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { inputHelp, inputOptions, readInputs } from '../runs/read-inputs.js';
import { formatTable, formatTime, writeJson, type CliContext, type CliIo } from '../output.js';

const OVERLAP: Record<string, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
  'terminate-other': ScheduleOverlapPolicy.TERMINATE_OTHER,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};

const scheduleOptions = {
  ...helpOption,
  ...jsonOption,
  ...connectionOptions,
  ...inputOptions,
  id: { type: 'string' },
  cron: { type: 'string', multiple: true },
  every: { type: 'string', multiple: true },
  timezone: { type: 'string' },
  overlap: { type: 'string' },
  note: { type: 'string' },
  paused: { type: 'boolean' },
  workflow: { type: 'string', short: 'w' },
} as const;

/** What `schedule create` records in the schedule's memo, for `schedule list`. */
interface ScheduleMemo {
  createdBy?: string;
  arazzoWorkflowId?: string;
  cron?: string[];
  every?: string[];
  timezone?: string;
}

function readScheduleMemo(memo: Record<string, unknown> | undefined): ScheduleMemo {
  const m = memo ?? {};
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  const cron = strings(m.cron);
  const every = strings(m.every);
  return {
    ...(typeof m.arazzoWorkflowId === 'string' ? { arazzoWorkflowId: m.arazzoWorkflowId } : {}),
    ...(cron ? { cron } : {}),
    ...(every ? { every } : {}),
    ...(typeof m.timezone === 'string' ? { timezone: m.timezone } : {}),
  };
}

function scheduleNotFound(id: string): CliError {
  return new CliError(`no schedule '${id}' (see arazzo-temporal schedule list)`);
}

/** Runs `action` on the schedule, turning "not found" into one clear message. */
async function onSchedule<T>(
  ctx: CliContext,
  id: string,
  action: (handle: ScheduleHandle) => Promise<T>,
): Promise<T> {
  try {
    return await action(ctx.client.schedule.getHandle(id));
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw scheduleNotFound(id);
    throw error;
  }
}

async function prepareCreate(args: ParsedArgs, io: CliIo): Promise<ConnectedAction> {
  const [workflow] = expectPositionals('schedule create', args, ['workflow']) as [string];
  const scheduleId = args.string('id');
  if (!scheduleId)
    throw new UsageError('--id <scheduleId> is required (a name such as sync-orders-hourly)', 'schedule');
  const cron = args.strings('cron');
  const every = args.strings('every');
  if (cron.length === 0 && every.length === 0) {
    throw new UsageError(
      "give when to run: --cron '0 * * * *' (or @hourly, @daily, ...) or --every 30m",
      'schedule',
    );
  }
  const overlapName = args.string('overlap') ?? 'skip';
  const overlap = OVERLAP[overlapName];
  if (!overlap)
    throw new UsageError(
      `--overlap expects one of ${Object.keys(OVERLAP).join(', ')}, got '${overlapName}'`,
      'schedule',
    );
  const inputs: JsonObject = await readInputs('schedule', args);
  const taskQueue = resolveTaskQueue(io.env, args);
  const timezone = args.string('timezone');
  const note = args.string('note');
  const memo: ScheduleMemo = {
    createdBy: 'arazzo-temporal',
    arazzoWorkflowId: workflow,
    ...(cron.length ? { cron } : {}),
    ...(every.length ? { every } : {}),
    ...(timezone ? { timezone } : {}),
  };
  return async (ctx) => {
    let handle: ScheduleHandle;
    try {
      handle = await ctx.client.schedule.create({
        scheduleId,
        spec: {
          ...(cron.length ? { cronExpressions: cron } : {}),
          ...(every.length
            ? { intervals: every.map((e) => ({ every: e as `${number}${'s' | 'm' | 'h' | 'd'}` })) }
            : {}),
          ...(timezone ? { timezone } : {}),
        },
        // The server appends the scheduled time to this id: one workflow id per sync.
        action: {
          type: 'startWorkflow',
          workflowType: workflow,
          args: [inputs],
          taskQueue,
          workflowId: scheduleId,
        },
        policies: { overlap },
        memo: memo as Record<string, unknown>,
        state: { paused: args.flag('paused'), ...(note ? { note } : {}) },
      });
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning) {
        throw new CliError(
          `a schedule '${scheduleId}' already exists; delete it first (arazzo-temporal schedule delete ${scheduleId}) or pick another --id`,
        );
      }
      const message = (error as Error).message;
      // Bad cron text, time zone or interval: the server (or the SDK) says which.
      if (/cron|interval|timezone|time zone|invalid|ms-formatted/i.test(message))
        throw new UsageError(`the schedule was refused: ${message}`, 'schedule');
      throw error;
    }
    const described = await handle.describe();
    const next = described.info.nextActionTimes.slice(0, 3);
    if (args.flag('json')) {
      writeJson(ctx.out, {
        scheduleId,
        workflow,
        taskQueue,
        ...memo,
        overlap: overlapName,
        paused: described.state.paused,
        inputs,
        nextRuns: next.map((d) => d.toISOString()),
      });
      return ExitCode.ok;
    }
    ctx.out.write(
      `Created schedule ${scheduleId}: ${workflow} ${[...cron.map((c) => `cron '${c}'`), ...every.map((e) => `every ${e}`)].join(', ')}${timezone ? ` (${timezone})` : ''}, overlap ${overlapName}${described.state.paused ? ', paused' : ''}\n`,
    );
    if (next.length > 0) ctx.out.write(`  next runs: ${next.map((d) => formatTime(d)).join(', ')}\n`);
    ctx.out.write(
      `  run it now: arazzo-temporal schedule trigger ${scheduleId}\n  remove it:  arazzo-temporal schedule delete ${scheduleId}\n`,
    );
    return ExitCode.ok;
  };
}

interface ListedSchedule {
  scheduleId: string;
  workflow?: string;
  cron?: string[];
  every?: string[];
  timezone?: string;
  paused: boolean;
  note?: string;
  nextRun?: string;
  lastRun?: { workflowId: string; at: string };
}

function toListed(summary: ScheduleSummary): ListedSchedule {
  const memo = readScheduleMemo(summary.memo);
  const last = summary.info.recentActions.at(-1);
  const next = summary.info.nextActionTimes[0];
  const workflow = summary.action?.workflowType ?? memo.arazzoWorkflowId;
  return {
    scheduleId: summary.scheduleId,
    ...(workflow ? { workflow } : {}),
    ...(memo.cron ? { cron: memo.cron } : {}),
    ...(memo.every ? { every: memo.every } : {}),
    ...(memo.timezone ? { timezone: memo.timezone } : {}),
    paused: summary.state.paused,
    ...(summary.state.note ? { note: summary.state.note } : {}),
    ...(next ? { nextRun: next.toISOString() } : {}),
    ...(last
      ? { lastRun: { workflowId: last.action.workflow.workflowId, at: last.takenAt.toISOString() } }
      : {}),
  };
}

function prepareList(args: ParsedArgs): ConnectedAction {
  expectPositionals('schedule list', args, []);
  const workflow = args.string('workflow');
  return async (ctx) => {
    const schedules: ListedSchedule[] = [];
    for await (const summary of ctx.client.schedule.list()) {
      const listed = toListed(summary);
      if (workflow === undefined || listed.workflow === workflow) schedules.push(listed);
    }
    schedules.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    if (args.flag('json')) {
      writeJson(ctx.out, schedules);
      return ExitCode.ok;
    }
    if (schedules.length === 0) {
      ctx.out.write('no schedules\n');
      return ExitCode.ok;
    }
    ctx.out.write(
      formatTable(
        ['SCHEDULE ID', 'WORKFLOW', 'WHEN', 'NEXT RUN', 'STATE', 'LAST RUN'],
        schedules.map((s) => [
          s.scheduleId,
          s.workflow ?? '-',
          [...(s.cron ?? []), ...(s.every ?? []).map((e) => `every ${e}`)].join(', ') +
            (s.timezone ? ` ${s.timezone}` : '') || '-',
          s.paused ? '-' : formatTime(s.nextRun),
          s.paused ? 'paused' : 'active',
          s.lastRun ? `${s.lastRun.workflowId}` : '-',
        ]),
      ),
    );
    return ExitCode.ok;
  };
}

/** delete, trigger, pause, unpause: one schedule id, one call. */
function prepareSimple(sub: 'delete' | 'trigger' | 'pause' | 'unpause', args: ParsedArgs): ConnectedAction {
  const [id] = expectPositionals(`schedule ${sub}`, args, ['scheduleId']) as [string];
  const note = args.string('note');
  return async (ctx) => {
    await onSchedule(ctx, id, async (handle) => {
      if (sub === 'delete') await handle.delete();
      else if (sub === 'trigger') await handle.trigger();
      else if (sub === 'pause') await handle.pause(note);
      else await handle.unpause(note);
    });
    const done = { delete: 'Deleted', trigger: 'Triggered', pause: 'Paused', unpause: 'Unpaused' }[sub];
    if (args.flag('json')) writeJson(ctx.out, { scheduleId: id, action: sub });
    else
      ctx.out.write(
        `${done} schedule ${id}${sub === 'trigger' ? ': a run starts now (see arazzo-temporal list)' : ''}\n`,
      );
    return ExitCode.ok;
  };
}

export const scheduleCommand: ClientCommand = {
  name: 'schedule',
  summary: 'cron syncs: create, list, trigger, pause, unpause, delete Temporal Schedules',
  connects: true,
  options: scheduleOptions,
  help: `Usage:
  arazzo-temporal schedule create <workflow> --id <scheduleId> (--cron 'expr' | --every 30m) [inputs]
                                  [--timezone Europe/Paris] [--overlap skip] [--paused] [--note text]
  arazzo-temporal schedule list [--workflow id] [--json]
  arazzo-temporal schedule trigger <scheduleId>      start a run now
  arazzo-temporal schedule pause|unpause <scheduleId> [--note text]
  arazzo-temporal schedule delete <scheduleId>       runs already started go on

Cron syncs on Temporal Schedules, like an Airflow DAG with schedule='0 * * * *' running an
AirbyteTriggerSyncOperator: the schedule starts <workflow> with the given inputs each time.
Runs get the workflow id <scheduleId>-<scheduled time>, show in \`arazzo-temporal list\` and the
Web UI; schedules survive server and worker restarts.

  --id scheduleId         the schedule's name (required for create)
  --cron 'expr'           standard cron, UTC unless --timezone: '0 * * * *' (hourly),
                          '30 2 * * *' (02:30 daily); also @hourly, @daily, @weekly; repeatable
  --every duration        a fixed interval instead: 15m, 1h, 1d; repeatable
  --timezone tz           IANA time zone for --cron (e.g. America/New_York)
  --overlap policy        when the previous run still runs: skip (default, like
                          max_active_runs=1), buffer-one, buffer-all, cancel-other,
                          terminate-other, allow-all
  --paused                create it paused
  --note text             a note shown with the schedule (create, pause, unpause)
  -w, --workflow id       list: only schedules of this workflow
  --json                  JSON output
  -h, --help              this help

${inputHelp}

${connectionHelp}

Examples:
  arazzo-temporal schedule create trigger-sync-and-poll --id orders-hourly --cron '0 * * * *' \\
      --input connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  arazzo-temporal schedule create reset-and-resync --id orders-weekly-reset --cron '0 3 * * 0' \\
      --timezone Europe/Berlin -i connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  arazzo-temporal schedule list
  arazzo-temporal schedule trigger orders-hourly
  arazzo-temporal schedule delete orders-hourly
`,
  async prepare(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === undefined)
      throw new UsageError('missing subcommand: create, list, trigger, pause, unpause or delete', 'schedule');
    // Flags may come before or after the subcommand; parseArgs already took them all.
    const subArgs: ParsedArgs = { ...args, positionals: rest };
    switch (sub) {
      case 'create':
        return prepareCreate(subArgs, io);
      case 'list':
        return prepareList(subArgs);
      case 'delete':
      case 'trigger':
      case 'pause':
      case 'unpause':
        return prepareSimple(sub, subArgs);
      default:
        throw new UsageError(
          `unknown subcommand '${sub}': expected create, list, trigger, pause, unpause or delete`,
          'schedule',
        );
    }
  },
};
