/**
 * Starting a run, shared by `run` and `start`: the Temporal workflow type is the Arazzo
 * workflowId, the one argument is the inputs object, on the worker's task queue.
 */
import { randomUUID } from 'node:crypto';
import {
  Connection,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { JsonObject } from '../../arazzo/model.js';
import {
  connectionOptions,
  expectPositionals,
  helpOption,
  jsonOption,
  type OptionsConfig,
  type ParsedArgs,
} from '../args.js';
import { webUiBase } from '../../config/index.js';
import { resolveTaskQueue } from '../connect.js';
import { CliError } from '../errors.js';
import { inputOptions, readInputs } from './read-inputs.js';
import type { CliContext, CliIo } from '../output.js';

export const startOptions = {
  ...helpOption,
  ...jsonOption,
  ...connectionOptions,
  ...inputOptions,
  id: { type: 'string' },
} as const satisfies OptionsConfig;

export interface StartedRun {
  handle: WorkflowHandle;
  workflow: string;
  workflowId: string;
  runId: string;
  namespace: string;
  taskQueue: string;
  inputs: JsonObject;
  /** The run in the Web UI, when ARAZZO_UI_URL says where the UI is. */
  url?: string;
}

/** `trigger-sync-and-poll-20250131-140305-1a2b`: readable, sortable, unique enough with the suffix. */
export function defaultWorkflowId(workflow: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${workflow}-${stamp}-${randomUUID().slice(0, 4)}`;
}

/** The Web UI page of a run, when the UI's address is known. */
export function webUiUrl(ctx: CliContext, workflowId: string, runId?: string): string | undefined {
  const { connection } = ctx.client;
  const base = webUiBase(ctx.env, connection instanceof Connection ? connection.options.address : undefined);
  if (!base) return undefined;
  const namespace = encodeURIComponent(ctx.client.options.namespace);
  const run = runId ? `/${encodeURIComponent(runId)}` : '';
  return `${base}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}${run}/history`;
}

/** What to start, read from the flags before connecting. */
export interface StartRequest {
  workflow: string;
  inputs: JsonObject;
  taskQueue: string;
  workflowId: string;
}

/** Reads the run the flags describe; usage errors are thrown here. */
export async function readStartRequest(command: string, args: ParsedArgs, io: CliIo): Promise<StartRequest> {
  const [workflow] = expectPositionals(command, args, ['workflow']) as [string];
  const inputs = await readInputs(command, args);
  const taskQueue = resolveTaskQueue(io.env, args);
  const workflowId = args.string('id') ?? defaultWorkflowId(workflow);
  return { workflow, inputs, taskQueue, workflowId };
}

/** Starts the run. */
export async function startArazzoRun(request: StartRequest, ctx: CliContext): Promise<StartedRun> {
  const { workflow, inputs, taskQueue, workflowId } = request;
  const namespace = ctx.client.options.namespace;
  let handle: WorkflowHandleWithFirstExecutionRunId;
  try {
    handle = await ctx.client.workflow.start(workflow, { taskQueue, workflowId, args: [inputs] });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(
        `a run with id '${workflowId}' is already running; pick another --id, or look at it with: arazzo-temporal status ${workflowId}`,
      );
    }
    throw error;
  }
  const runId = handle.firstExecutionRunId;
  const url = webUiUrl(ctx, workflowId, runId);
  return { handle, workflow, workflowId, runId, namespace, taskQueue, inputs, ...(url ? { url } : {}) };
}
