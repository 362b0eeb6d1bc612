/** `arazzo-temporal list`: recent runs on the worker's task queue, newest first. */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import {
  connectionHelp,
  connectionOptions,
  expectPositionals,
  helpOption,
  jsonOption,
  positiveInteger,
} from '../args.js';
import type { ClientCommand } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import { formatTable, formatTime, formatValue, writeJson } from '../output.js';
import { resolveTaskQueue } from '../connect.js';
import { readMemo } from './status.js';

/** `--status` words and the visibility query's ExecutionStatus values. */
const STATUSES: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
  'continued-as-new': 'ContinuedAsNew',
};

/** A value inside a visibility query's single quotes. */
function quote(command: string, flag: string, value: string): string {
  if (/['\\\n]/.test(value))
    throw new UsageError(`${flag} must not contain quotes or backslashes, got '${value}'`, command);
  return `'${value}'`;
}

/** The visibility query for the flags. */
export function buildListQuery(filters: { taskQueue?: string; workflow?: string; status?: string }): string {
  const clauses: string[] = [];
  if (filters.taskQueue !== undefined)
    clauses.push(`TaskQueue = ${quote('list', '--task-queue', filters.taskQueue)}`);
  if (filters.workflow !== undefined)
    clauses.push(`WorkflowType = ${quote('list', '--workflow', filters.workflow)}`);
  if (filters.status !== undefined) {
    const status = STATUSES[filters.status.toLowerCase()];
    if (!status)
      throw new UsageError(
        `--status expects one of ${Object.keys(STATUSES).join(', ')}, got '${filters.status}'`,
        'list',
      );
    clauses.push(`ExecutionStatus = '${status}'`);
  }
  return clauses.join(' AND ');
}

interface ListedRun {
  workflowId: string;
  runId: string;
  workflow: string;
  status: string;
  startTime: string;
  closeTime?: string;
  connectionId?: string;
  taskQueue: string;
}

function toListed(info: WorkflowExecutionInfo): ListedRun {
  const memo = readMemo(info.memo);
  const connectionId = memo.inputs?.connectionId;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    workflow: memo.arazzoWorkflowId ?? info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    ...(info.closeTime ? { closeTime: info.closeTime.toISOString() } : {}),
    ...(connectionId !== undefined && connectionId !== null
      ? { connectionId: formatValue(connectionId) }
      : {}),
    taskQueue: info.taskQueue,
  };
}

export const listCommand: ClientCommand = {
  name: 'list',
  summary: 'list recent runs (workflow id, workflow, status, start time, connection)',
  connects: true,
  options: {
    ...helpOption,
    ...jsonOption,
    ...connectionOptions,
    workflow: { type: 'string', short: 'w' },
    status: { type: 'string', short: 's' },
    connection: { type: 'string', short: 'c' },
    limit: { type: 'string', short: 'n' },
    'all-task-queues': { type: 'boolean' },
  },
  help: `Usage: arazzo-temporal list [--workflow id] [--status s] [--connection id] [--limit n] [--json]

Lists runs on the worker's task queue, newest first, from Temporal's visibility store (a run
shows there within a second or so of starting).

  -w, --workflow id       only runs of this Arazzo workflow (the Temporal workflow type)
  -s, --status s          running, completed, failed, canceled, terminated, timed-out or
                          continued-as-new
  -c, --connection id     only runs whose inputs.connectionId is this one
  -n, --limit n           at most n runs (default 20)
  --all-task-queues       every task queue of the namespace, not only the worker's
  --json                  a JSON array of {workflowId, runId, workflow, status, startTime,
                          closeTime?, connectionId?, taskQueue}
  -h, --help              this help

${connectionHelp}

Examples:
  arazzo-temporal list --status running
  arazzo-temporal list --workflow reset-and-resync --limit 5
  arazzo-temporal list --connection 9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21 --status failed --json
`,
  async prepare(args, io) {
    expectPositionals('list', args, []);
    const limit = positiveInteger('list', args, 'limit', 20);
    const workflow = args.string('workflow');
    const status = args.string('status');
    const connection = args.string('connection');
    const query = buildListQuery({
      ...(args.flag('all-task-queues') ? {} : { taskQueue: resolveTaskQueue(io.env, args) }),
      ...(workflow !== undefined ? { workflow } : {}),
      ...(status !== undefined ? { status } : {}),
    });
    return async (ctx) => {
      const runs: ListedRun[] = [];
      // The connection id lives in the memo, which visibility cannot filter on: filter here, over a bounded scan.
      let scanned = 0;
      for await (const info of ctx.client.workflow.list({
        query,
        pageSize: Math.min(1000, connection ? 200 : limit),
      })) {
        if (++scanned > 5000) break;
        const run = toListed(info);
        if (connection !== undefined && run.connectionId !== connection) continue;
        runs.push(run);
        if (runs.length >= limit) break;
      }
      if (args.flag('json')) {
        writeJson(ctx.out, runs);
        return ExitCode.ok;
      }
      if (runs.length === 0) {
        ctx.out.write(`no runs${query ? ` matching ${query}` : ''}\n`);
        return ExitCode.ok;
      }
      ctx.out.write(
        formatTable(
          ['WORKFLOW ID', 'WORKFLOW', 'STATUS', 'STARTED', 'CONNECTION'],
          runs.map((r) => [
            r.workflowId,
            r.workflow,
            r.status,
            formatTime(r.startTime),
            r.connectionId ?? '-',
          ]),
        ),
      );
      return ExitCode.ok;
    };
  },
};
