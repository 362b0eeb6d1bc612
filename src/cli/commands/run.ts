/** `arazzo-temporal run`: start a run and follow it to its end, with live progress. */
import { connectionHelp } from '../args.js';
import type { ClientCommand } from '../command.js';
import { ExitCode } from '../errors.js';
import { formatFailure } from '../runs/failure.js';
import { followRun } from '../runs/follow.js';
import { inputHelp } from '../runs/read-inputs.js';
import { formatDuration, formatFields, writeJson, type CliContext } from '../output.js';
import { describeResources } from '../runs/progress.js';
import { readStartRequest, startArazzoRun, startOptions, type StartRequest } from '../runs/start-run.js';

export const runCommand: ClientCommand = {
  name: 'run',
  summary: 'start a workflow and follow it to its end, with live progress',
  connects: true,
  options: startOptions,
  help: `Usage: arazzo-temporal run <workflow> [inputs] [--id workflowId] [--json]

Starts the Arazzo workflow <workflow> (see \`arazzo-temporal catalog\`) and follows it: the current
step, poll count, job status and elapsed time are shown while it runs (one line per change when
the output is not a terminal), then its outputs.

Exit code: 0 completed, 1 failed (the failure type, message and details are printed), 2 usage
error, 130 on Ctrl-C: following stops, the run goes on (cancel it with \`arazzo-temporal cancel\`).

  --id workflowId         the Temporal workflow id (default <workflow>-<UTC time>-<random>)
  --json                  print one JSON object {workflowId, runId, status, outputs | failure}
                          on stdout; progress still goes to stderr
  -h, --help              this help

${inputHelp}

${connectionHelp}

Examples:
  arazzo-temporal run trigger-sync-and-poll --input connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  arazzo-temporal run reset-and-resync -i connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21 --id nightly-reset
  arazzo-temporal run wait-for-job --input jobId=123 --option waitTimeoutSeconds=3600
  arazzo-temporal run trigger-sync-and-poll --input-file sync.json --json | jq .outputs
`,
  async prepare(args, io) {
    const request = await readStartRequest('run', args, io);
    const json = args.flag('json');
    return (ctx) => follow(request, json, ctx);
  },
};

/** Starts the run and follows it to its end; the exit code says how it ended. */
async function follow(request: StartRequest, json: boolean, ctx: CliContext): Promise<number> {
  const started = await startArazzoRun(request, ctx);
  ctx.err.write(
    `Started ${started.workflow} as ${started.workflowId} (run ${started.runId}, task queue ${started.taskQueue})\n`,
  );
  if (started.url) ctx.err.write(`Web UI: ${started.url}\n`);
  const t0 = Date.now();
  const outcome = await followRun(started.handle, ctx, started.taskQueue);
  const ids = { workflowId: started.workflowId, runId: started.runId };

  if (outcome.kind === 'interrupted') {
    if (json) writeJson(ctx.out, { ...ids, status: 'RUNNING', followed: false });
    ctx.err.write(
      `Stopped following; ${started.workflowId} is still running${outcome.last ? ` (${describeResources(outcome.last)})` : ''}.\n` +
        `  see where it is:  arazzo-temporal status ${started.workflowId}\n` +
        `  cancel it:        arazzo-temporal cancel ${started.workflowId} --reason "..."\n`,
    );
    return ExitCode.interrupted;
  }
  if (outcome.kind === 'completed') {
    if (json) writeJson(ctx.out, { ...ids, status: 'COMPLETED', outputs: outcome.outputs });
    else {
      ctx.out.write(
        `Completed ${started.workflow} in ${formatDuration(Date.now() - t0)} (${started.workflowId})\n`,
      );
      ctx.out.write(
        Object.keys(outcome.outputs).length > 0
          ? `outputs:\n${formatFields(outcome.outputs)}`
          : 'no outputs\n',
      );
    }
    return ExitCode.ok;
  }
  if (json) writeJson(ctx.out, { ...ids, status: 'FAILED', failure: outcome.failure });
  else ctx.err.write(`Failed ${started.workflow} (${started.workflowId}): ${formatFailure(outcome.failure)}`);
  return ExitCode.failed;
}
