/** `arazzo-temporal start`: start a run and return at once. */
import { connectionHelp } from '../args.js';
import type { ClientCommand } from '../command.js';
import { ExitCode } from '../errors.js';
import { inputHelp } from '../runs/read-inputs.js';
import { writeJson } from '../output.js';
import { readStartRequest, startArazzoRun, startOptions } from '../runs/start-run.js';

export const startCommand: ClientCommand = {
  name: 'start',
  summary: 'start a workflow and return its workflow id at once',
  connects: true,
  options: startOptions,
  help: `Usage: arazzo-temporal start <workflow> [inputs] [--id workflowId] [--json]

Starts the Arazzo workflow <workflow> and prints its workflow id, run id and, when ARAZZO_UI_URL
is set (e.g. http://127.0.0.1:8233), its page in the Temporal Web UI. Follow it later with
\`arazzo-temporal status <workflowId>\`.

  --id workflowId         the Temporal workflow id (default <workflow>-<UTC time>-<random>)
  --json                  print {workflowId, runId, namespace, taskQueue, url?} as JSON
  -h, --help              this help

${inputHelp}

${connectionHelp}

Examples:
  arazzo-temporal start trigger-sync-and-poll --input connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  id=$(arazzo-temporal start trigger-sync -i connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21 --json | jq -r .workflowId)
`,
  async prepare(args, io) {
    const request = await readStartRequest('start', args, io);
    const json = args.flag('json');
    return async (ctx) => {
      const started = await startArazzoRun(request, ctx);
      const { workflowId, runId, namespace, taskQueue, url } = started;
      if (json) {
        writeJson(ctx.out, {
          workflowId,
          runId,
          workflow: started.workflow,
          namespace,
          taskQueue,
          ...(url ? { url } : {}),
        });
        return ExitCode.ok;
      }
      ctx.out.write(`Started ${started.workflow}\n  workflow id: ${workflowId}\n  run id:      ${runId}\n`);
      if (url) ctx.out.write(`  Web UI:      ${url}\n`);
      ctx.out.write(`Follow it with: arazzo-temporal status ${workflowId}\n`);
      return ExitCode.ok;
    };
  },
};
