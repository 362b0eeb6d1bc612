/**
 * Two MUSTs of Arazzo 1.0.1 (Step Object) on what a step refers to, each a located error:
 *
 * - `parameters`: "The list MUST NOT include duplicated parameters. A unique parameter is defined
 *   by the combination of a name and in fields." This holds for steps that call another workflow
 *   too (their parameters have no `in`, so the name alone identifies one); operation steps are
 *   checked with the OpenAPI parameters in check-steps.
 * - `operationId`: "If multiple (non `arazzo` type) `sourceDescriptions` are defined, then the
 *   `operationId` MUST be specified using a Runtime Expression (e.g.,
 *   `$sourceDescriptions.<name>.<operationId>`) to avoid ambiguity or potential clashes."
 */
import type { Parameter, Step } from '../../arazzo/model.js';
import { isReusable } from '../../arazzo/model.js';
import type { CheckContext } from './check-context.js';
import { stepsOf } from './check-context.js';
import { resolveComponent } from '../components.js';
import { resolveStepOperation } from '../openapi/resolve-operation.js';
import { checkWrittenParameter, resolveParameters } from './check-steps.js';

/** An operationId written as `$sourceDescriptions.<name>.<operationId>`. */
const QUALIFIED_OPERATION_ID = /^\$sourceDescriptions\.[^.]+\..+$/;

/** Reports duplicate parameters of workflow steps and unqualified operationIds among several sources. */
export function checkStepMusts(ctx: CheckContext): void {
  const apiSources = ctx.doc.sourceDescriptions.filter((s) => (s.type ?? 'openapi') !== 'arazzo');
  for (const { workflow, step, stepSegments } of stepsOf(ctx.doc)) {
    const ids = { workflowId: workflow.workflowId, stepId: step.stepId };
    if (
      typeof step.operationId === 'string' &&
      apiSources.length > 1 &&
      !QUALIFIED_OPERATION_ID.test(step.operationId)
    ) {
      ctx.reporter.error(
        'arazzo/operation-id-unqualified',
        `step "${step.stepId}": with ${apiSources.length} API source descriptions (${apiSources.map((s) => `"${s.name}"`).join(', ')}), operationId "${step.operationId}" must be qualified, e.g. $sourceDescriptions.${apiSources[0]!.name}.${step.operationId} (Arazzo 1.0.1, Step Object)`,
        { segments: [...stepSegments, 'operationId'], ...ids },
      );
    }
    const raw = step as unknown as Record<string, unknown>;
    // AsyncAPI steps (1.1) are checked in check-versions.
    if (raw.action !== undefined || raw.channelPath !== undefined) continue;
    if (step.operationId !== undefined || step.operationPath !== undefined) {
      const resolution = resolveStepOperation(ctx.loaded, step);
      // With the operation at hand, check-steps checks parameters against it; without it (a source
      // that could not be loaded), the rules that need no OpenAPI still hold.
      if (resolution === undefined || !resolution.ok)
        checkOperationStepParameters(ctx, step.parameters, stepSegments, ids);
      continue;
    }
    if (step.workflowId === undefined) continue;
    const seen: Array<{ name: string; in?: string }> = [];
    (step.parameters ?? []).forEach((entry, index) => {
      const parameter = isReusable(entry) ? fromComponent(ctx, entry.reference, entry.value) : entry;
      if (!parameter || typeof parameter.name !== 'string') return;
      if (seen.some((p) => p.name === parameter.name && p.in === parameter.in)) {
        ctx.reporter.error(
          'arazzo/duplicate-parameter',
          `input "${parameter.name}" is given more than once to workflow "${step.workflowId}"`,
          {
            segments: [...stepSegments, 'parameters', index, isReusable(entry) ? 'reference' : 'name'],
            ...ids,
          },
        );
      }
      seen.push({ name: parameter.name, ...(parameter.in !== undefined ? { in: parameter.in } : {}) });
    });
  }
}

/**
 * `in` present and no duplicate name+in, on an operation step whose operation is unavailable: the
 * same rules check-steps applies when it is. Unresolvable references are reported there.
 */
function checkOperationStepParameters(
  ctx: CheckContext,
  list: Step['parameters'],
  stepSegments: Array<string | number>,
  ids: { workflowId: string; stepId: string },
): void {
  const seen: Parameter[] = [];
  for (const written of resolveParameters(ctx, list, [...stepSegments, 'parameters'], undefined)) {
    if (typeof written.parameter.name === 'string') checkWrittenParameter(ctx, written, seen, ids);
  }
}

/** A Reusable Object's parameter; an unresolvable one is reported by check-steps. */
function fromComponent(ctx: CheckContext, reference: string, value: unknown): Parameter | undefined {
  const resolved = resolveComponent(ctx.doc, reference, 'parameters');
  if (!resolved.ok) return undefined;
  return {
    ...(resolved.value as unknown as Parameter),
    ...(value !== undefined ? { value } : {}),
  } as Parameter;
}
