/**
 * The first activity of every run: resolve the execution plan from the worker's catalog and check
 * the inputs against the workflow's schema (defaults applied). It runs as a local activity, so its
 * result, the plan included, is recorded in history: an edited catalog never changes a running
 * workflow, and bad input fails the run before any request is sent.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ArazzoActivities, PrepareRunInput, PrepareRunResult } from '../contract/index.js';
import { Failure } from '../arazzo/failures.js';
import type { JsonObject } from '../arazzo/model.js';
import { layerRunOptions } from '../arazzo/options.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import { prepareInputs, type Catalog } from '../catalog/index.js';

/** Inputs are recorded in history and memo: a cap keeps a hostile input from bloating both. */
export const MAX_INPUT_BYTES = 64 * 1024;

function memoInputs(inputs: JsonObject): JsonObject {
  const memo: JsonObject = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (typeof value === 'string') memo[key] = value.length > 200 ? `${value.slice(0, 200)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean') memo[key] = value;
  }
  return memo;
}

function sizeOf(value: unknown): number {
  try {
    return JSON.stringify(value ?? null).length;
  } catch {
    return Infinity;
  }
}

/** Creates the activity over a loaded catalog (the worker's, loaded and validated at start). */
export function createPrepareActivity(deps: {
  catalog: Pick<Catalog, 'workflows' | 'buildPlan'>;
}): Pick<ArazzoActivities, 'prepareArazzoRun'> {
  // The catalog does not change while the worker runs: build each workflow's plan once.
  const plans = new Map<string, ExecutionPlan>();
  const planFor = (workflowId: string): ExecutionPlan => {
    let plan = plans.get(workflowId);
    if (!plan) {
      plan = deps.catalog.buildPlan(workflowId);
      plans.set(workflowId, plan);
    }
    return plan;
  };
  return {
    async prepareArazzoRun(input: PrepareRunInput): Promise<PrepareRunResult> {
      let plan = input.plan;
      if (!plan) {
        if (!deps.catalog.workflows.has(input.workflowType)) {
          const known = [...deps.catalog.workflows.keys()].sort().join(', ');
          throw ApplicationFailure.nonRetryable(
            `no Arazzo workflow '${input.workflowType}' in this worker's catalog (known: ${known || 'none'})`,
            Failure.unknownWorkflow,
          );
        }
        plan = planFor(input.workflowType);
      }
      const refuse = (problems: string[]): never => {
        throw ApplicationFailure.nonRetryable(
          `invalid inputs for ${plan.workflowId} (${plan.documentPath}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
          Failure.invalidInput,
          { problems },
        );
      };
      if (sizeOf(input.inputs) > MAX_INPUT_BYTES)
        refuse([`inputs: larger than ${MAX_INPUT_BYTES} bytes of JSON`]);
      const workflow = plan.document.workflows.find((w) => w.workflowId === plan.workflowId);
      if (!workflow) return refuse([`workflow ${plan.workflowId} is missing from its plan`]);

      // Temporal's CLI and Web UI send `null` or nothing when no input is given: treat as {}.
      const given = input.inputs === undefined || input.inputs === null ? {} : input.inputs;
      const prepared = prepareInputs(workflow, given, plan.document);
      if (!prepared.ok) {
        return refuse(prepared.diagnostics.map((d) => d.message));
      }
      // prepareInputs has checked the input's run options: layering cannot fail.
      return {
        plan: { ...plan, options: layerRunOptions(plan.options, prepared.runOptions) },
        inputs: prepared.inputs,
        memoInputs: memoInputs(prepared.inputs),
      };
    },
  };
}
