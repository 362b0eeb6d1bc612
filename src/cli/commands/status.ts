/** `arazzo-temporal status <workflowId>`: where a run is, from Temporal and from the run itself. */
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { JsonObject } from '../../arazzo/model.js';
import { statusQuery, type RunStatus } from '../../contract/index.js';
import { connectionHelp, connectionOptions, expectPositionals, helpOption, jsonOption } from '../args.js';
import type { ClientCommand } from '../command.js';
import { describeRun } from '../runs/describe-run.js';
import { ExitCode } from '../errors.js';
import { formatFailure, summariseFailure, type FailureSummary } from '../runs/failure.js';
import { formatDuration, formatFields, formatTime, writeJson } from '../output.js';
import { describeResources } from '../runs/progress.js';
import { webUiUrl } from '../runs/start-run.js';

/** What the run wrote in its memo (the worker's `upsertMemo`). */
export interface RunMemo {
  arazzoWorkflowId?: string;
  document?: string;
  documentHash?: string;
  inputs?: JsonObject;
}

export function readMemo(memo: Record<string, unknown> | undefined): RunMemo {
  const m = memo ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const inputs = m.inputs;
  return {
    ...(str(m.arazzoWorkflowId) ? { arazzoWorkflowId: str(m.arazzoWorkflowId) } : {}),
    ...(str(m.document) ? { document: str(m.document) } : {}),
    ...(str(m.documentHash) ? { documentHash: str(m.documentHash) } : {}),
    ...(typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs)
      ? { inputs: inputs as JsonObject }
      : {}),
  };
}

/** Asks the run for its status; undefined when no worker answers in time. */
async function queryStatus(
  description: WorkflowExecutionDescription,
  ask: () => Promise<RunStatus>,
): Promise<RunStatus | undefined> {
  if (description.status.name !== 'RUNNING') return undefined;
  const query = ask();
  query.catch(() => undefined);
  return Promise.race([
    query.catch(() => undefined),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000)),
  ]);
}

export const statusCommand: ClientCommand = {
  name: 'status',
  summary: "show a run's status, step, job(s), inputs and outputs",
  connects: true,
  options: { ...helpOption, ...jsonOption, ...connectionOptions },
  help: `Usage: arazzo-temporal status <workflowId> [--json]

Shows the run's Temporal status and, while it runs, what the run itself reports (query
\`status\`): phase, current step, poll count, the Airbyte job(s) and their status, the next poll.
Ended runs show their outputs or their failure. Exit code 0, or 1 when there is no such run.

  --json                  one JSON object: {workflowId, runId, type, status, startTime, closeTime,
                          arazzoWorkflowId, document, inputs, progress?, outputs?, failure?}
  -h, --help              this help

${connectionHelp}

Examples:
  arazzo-temporal status trigger-sync-and-poll-20250131-140305-1a2b
  arazzo-temporal status nightly-reset --json | jq .progress.resources
`,
  async prepare(args) {
    const [workflowId] = expectPositionals('status', args, ['workflowId']) as [string];
    return async (ctx) => {
      const { handle, description } = await describeRun(ctx.client, workflowId);
      const memo = readMemo(description.memo);
      const progress = await queryStatus(description, () => handle.query(statusQuery));
      let outputs: JsonObject | undefined;
      let failure: FailureSummary | undefined;
      if (description.status.name === 'COMPLETED') outputs = (await handle.result()) as JsonObject;
      else if (['FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'].includes(description.status.name)) {
        failure = await handle.result().then(
          () => undefined,
          (error: unknown) => summariseFailure(error),
        );
      }
      const url = webUiUrl(ctx, workflowId, description.runId);

      if (args.flag('json')) {
        writeJson(ctx.out, {
          workflowId,
          runId: description.runId,
          type: description.type,
          status: description.status.name,
          taskQueue: description.taskQueue,
          startTime: description.startTime.toISOString(),
          ...(description.closeTime ? { closeTime: description.closeTime.toISOString() } : {}),
          ...memo,
          ...(progress ? { progress } : {}),
          ...(outputs ? { outputs } : {}),
          ...(failure ? { failure } : {}),
          ...(url ? { url } : {}),
        });
        return ExitCode.ok;
      }

      const end = description.closeTime ?? new Date();
      const lines: Array<[string, string]> = [
        ['workflow id', workflowId],
        ['run id', description.runId],
        ['status', description.status.name + (progress ? ` (${progress.phase})` : '')],
        [
          'arazzo',
          `${memo.arazzoWorkflowId ?? description.type}${memo.document ? ` from ${memo.document}` : ''}`,
        ],
        [
          'started',
          `${formatTime(description.startTime)} (${formatDuration(end.getTime() - description.startTime.getTime())} ${description.closeTime ? 'long' : 'ago'})`,
        ],
      ];
      if (description.closeTime) lines.push(['ended', formatTime(description.closeTime)]);
      lines.push(['task queue', description.taskQueue]);
      if (progress) {
        if (progress.currentStep)
          lines.push([
            'step',
            `${progress.currentStep}${progress.iteration > 1 ? ` (poll ${progress.iteration})` : ''}`,
          ]);
        lines.push(['job(s)', describeResources(progress)]);
        if (progress.nextPollAt) lines.push(['next poll', formatTime(progress.nextPollAt)]);
        const message = progress.waitingForMessage;
        if (message)
          lines.push([
            'message',
            `waiting for ${message.correlationId}${message.timeoutAt ? ` until ${formatTime(message.timeoutAt)}` : ''}`,
          ]);
        if (progress.cancelRequested) lines.push(['cancel', `requested: ${progress.cancelRequested}`]);
      } else if (description.status.name === 'RUNNING') {
        lines.push([
          'progress',
          `no answer to the status query: is a worker polling task queue ${description.taskQueue}?`,
        ]);
      }
      if (url) lines.push(['Web UI', url]);
      for (const [label, value] of lines) ctx.out.write(`${`${label}:`.padEnd(13)}${value}\n`);
      if (memo.inputs && Object.keys(memo.inputs).length > 0)
        ctx.out.write(`inputs:\n${formatFields(memo.inputs)}`);
      if (outputs) ctx.out.write(`outputs:\n${formatFields(outputs)}`);
      if (failure) ctx.out.write(`failure:     ${formatFailure(failure)}`);
      return ExitCode.ok;
    };
  },
};
