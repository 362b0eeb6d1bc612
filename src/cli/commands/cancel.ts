/**
 * `arazzo-temporal cancel <workflowId>`: by default the `cancel` signal (the run cancels its
 * Airbyte job and ends through the document's own path, with the reason recorded); `--temporal`
 * requests a Temporal cancellation instead (the run cancels the job, then ends Canceled).
 */
import { cancelSignal } from '../../contract/index.js';
import { connectionHelp, connectionOptions, expectPositionals, helpOption, jsonOption } from '../args.js';
import type { ClientCommand } from '../command.js';
import { describeRun } from '../runs/describe-run.js';
import { CliError, ExitCode } from '../errors.js';
import { formatFailure, summariseFailure } from '../runs/failure.js';
import { formatFields, writeJson } from '../output.js';

export const cancelCommand: ClientCommand = {
  name: 'cancel',
  summary: 'cancel a run and its Airbyte job (signal `cancel`, or --temporal)',
  connects: true,
  options: {
    ...helpOption,
    ...jsonOption,
    ...connectionOptions,
    reason: { type: 'string' },
    temporal: { type: 'boolean' },
    wait: { type: 'boolean' },
  },
  help: `Usage: arazzo-temporal cancel <workflowId> [--reason text] [--temporal] [--wait] [--json]

Cancels a running run. By default it sends the run's \`cancel\` signal with the reason: the run
sends one DELETE for its Airbyte job, polls until the job reports cancelled, and completes (a
cancel you asked for is not a failure). With --temporal it requests a Temporal cancellation (as
\`temporal workflow cancel\` or the Web UI do): the run cancels the job the same way, then ends
with status Canceled.

Exit code 0 when the request was delivered (with --wait: when the run then ended), 1 when there
is no such run or it has already ended.

  --reason text           why; recorded in the run's history and shown by \`status\`
  --temporal              a Temporal cancellation instead of the signal
  --wait                  wait for the run to end and print how it ended
  --json                  print {workflowId, runId, method, reason, status?} as JSON
  -h, --help              this help

${connectionHelp}

Examples:
  arazzo-temporal cancel trigger-sync-and-poll-20250131-140305-1a2b --reason "wrong connection"
  arazzo-temporal cancel nightly-reset --temporal --wait
`,
  async prepare(args) {
    const [workflowId] = expectPositionals('cancel', args, ['workflowId']) as [string];
    return async (ctx) => {
      const reason = args.string('reason') ?? 'cancelled with arazzo-temporal cancel';
      const temporal = args.flag('temporal');
      const { description } = await describeRun(ctx.client, workflowId);
      if (description.status.name !== 'RUNNING') {
        throw new CliError(
          `${workflowId} is not running: it ended ${description.status.name}; nothing to cancel`,
        );
      }
      // Address the run just described, so a newer run reusing the id is never cancelled by mistake.
      const run = ctx.client.workflow.getHandle(workflowId, description.runId, { followRuns: true });
      if (temporal) await run.cancel();
      else await run.signal(cancelSignal, { reason });
      const method = temporal ? 'temporal-cancellation' : 'signal';
      const summary = { workflowId, runId: description.runId, method, ...(temporal ? {} : { reason }) };

      if (!args.flag('wait')) {
        if (args.flag('json')) writeJson(ctx.out, summary);
        else
          ctx.out.write(
            `${temporal ? 'Temporal cancellation requested' : `Cancel signal sent (reason: ${reason})`} for ${workflowId}; the run cancels its job and ends.\n`,
          );
        return ExitCode.ok;
      }
      if (!args.flag('json'))
        ctx.err.write(
          `${temporal ? 'Cancellation requested' : 'Cancel signal sent'}; waiting for ${workflowId} to end...\n`,
        );
      const ended = await run.result().then(
        (outputs: unknown) => ({ status: 'COMPLETED', outputs }),
        (error: unknown) => ({ status: 'ENDED', failure: summariseFailure(error) }),
      );
      const final = (await run.describe()).status.name;
      if (args.flag('json')) writeJson(ctx.out, { ...summary, ...ended, status: final });
      else if ('outputs' in ended) {
        const outputs = ended.outputs;
        ctx.out.write(`${workflowId} ended ${final}\n`);
        if (typeof outputs === 'object' && outputs !== null)
          ctx.out.write(`outputs:\n${formatFields(outputs as Record<string, unknown>)}`);
      } else ctx.out.write(`${workflowId} ended ${final}: ${formatFailure(ended.failure)}`);
      return ExitCode.ok;
    };
  },
};
