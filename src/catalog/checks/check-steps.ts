/**
 * Steps: exactly one target (operationId, operationPath or workflowId), and that target exists;
 * for operations, parameters and request body agree with the OpenAPI description; for
 * sub-workflows, parameters match the target's inputs.
 */
import type { Parameter, Workflow } from '../../arazzo/model.js';
import { isReusable } from '../../arazzo/model.js';
import type { CheckContext, StepAt } from './check-context.js';
import { stepsOf } from './check-context.js';
import { resolveComponent } from '../components.js';
import { declaredInputs } from '../inputs/inputs-schema.js';
import {
  contentTypeMatches,
  isIgnoredHeader,
  operationParameters,
  operationRequestBody,
} from '../openapi/openapi-operations.js';
import type { OpenApiOperation } from '../openapi/openapi-operations.js';
import { resolveStepOperation } from '../openapi/resolve-operation.js';
import { resolveWorkflowReference } from '../workflow-reference.js';

/** A parameter after resolving Reusable Objects, with the path it was written at. */
export interface WrittenParameter {
  parameter: Parameter;
  segments: Array<string | number>;
}

/** Reports problems with step targets, parameters and request bodies. */
export function checkSteps(ctx: CheckContext): void {
  for (const at of stepsOf(ctx.doc)) {
    const { step, stepSegments } = at;
    const ids = { workflowId: at.workflow.workflowId, stepId: step.stepId };
    // channelPath: an Arazzo 1.1 AsyncAPI target, refused by check-versions (asyncapi-unsupported).
    const targets = (['operationId', 'operationPath', 'workflowId', 'channelPath'] as const).filter(
      (k) => (step as unknown as Record<string, unknown>)[k] !== undefined,
    );
    if (targets.length !== 1) {
      ctx.reporter.error(
        'arazzo/step-target-count',
        targets.length === 0
          ? `step "${step.stepId}" needs exactly one of operationId, operationPath or workflowId`
          : `step "${step.stepId}" has ${targets.join(' and ')}; exactly one is allowed`,
        {
          segments: targets.length === 0 ? [...stepSegments] : [...stepSegments, targets[1]!],
          preferKey: true,
          ...ids,
        },
      );
      continue;
    }
    if (targets[0] === 'channelPath') continue;
    const stepParameters = resolveParameters(ctx, step.parameters, [...stepSegments, 'parameters'], ids);
    if (step.workflowId !== undefined) {
      checkWorkflowStep(ctx, at, stepParameters);
      continue;
    }
    const resolution = resolveStepOperation(ctx.loaded, step);
    if (!resolution || !resolution.ok) {
      if (resolution && 'code' in resolution) {
        ctx.reporter.error(resolution.code, resolution.message, {
          segments: [...stepSegments, targets[0]!],
          ...ids,
        });
      }
      continue;
    }
    const workflowParameters = resolveParameters(
      ctx,
      at.workflow.parameters,
      [...at.segments, 'parameters'],
      undefined,
    );
    checkOperationParameters(ctx, at, resolution.value.operation, stepParameters, workflowParameters);
    checkRequestBody(ctx, at, resolution.value.operation);
  }
}

/** Resolves Reusable Objects among parameters; unresolvable references are reported once, here. */
export function resolveParameters(
  ctx: CheckContext,
  list: Workflow['parameters'],
  segments: Array<string | number>,
  ids: { workflowId: string; stepId: string } | undefined,
): WrittenParameter[] {
  const out: WrittenParameter[] = [];
  (list ?? []).forEach((entry, i) => {
    const entrySegments = [...segments, i];
    if (!isReusable(entry)) {
      out.push({ parameter: entry, segments: entrySegments });
      return;
    }
    const resolved = resolveComponent(ctx.doc, entry.reference, 'parameters');
    if (!resolved.ok) {
      // Workflow-level parameters are checked once, not once per step.
      if (ids)
        ctx.reporter.error('arazzo/component-missing', resolved.message, {
          segments: [...entrySegments, 'reference'],
          ...ids,
        });
      return;
    }
    const parameter = {
      ...(resolved.value as unknown as Parameter),
      ...(entry.value !== undefined ? { value: entry.value } : {}),
    };
    out.push({ parameter, segments: entrySegments });
  });
  return out;
}

function sameParameter(a: { name: string; in?: string }, b: { name: string; in?: string }): boolean {
  // Arazzo's `in` has no `querystring`: a step passes an OpenAPI 3.2 querystring parameter as query.
  const where = (p: { in?: string }): string | undefined => (p.in === 'querystring' ? 'query' : p.in);
  if (where(a) !== where(b)) return false;
  return a.in === 'header' ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name;
}

/**
 * The rules on a parameter an operation step writes that need no OpenAPI: `in` is present, and no
 * earlier parameter of the step (`seen`, which this extends) has the same name and `in`. False
 * when `in` is missing: nothing else can be said of the parameter.
 */
export function checkWrittenParameter(
  ctx: CheckContext,
  { parameter, segments }: WrittenParameter,
  seen: Parameter[],
  ids: { workflowId: string; stepId: string },
): boolean {
  if (parameter.in === undefined) {
    ctx.reporter.error(
      'arazzo/parameter-in-missing',
      `parameter "${parameter.name}" of an operation step needs "in" (path, query, header or cookie)`,
      { segments, preferKey: true, ...ids },
    );
    return false;
  }
  if (seen.some((p) => sameParameter(p, parameter))) {
    ctx.reporter.error(
      'arazzo/duplicate-parameter',
      `parameter "${parameter.name}" (in ${parameter.in}) is given more than once`,
      { segments: [...segments, 'name'], ...ids },
    );
  }
  seen.push(parameter);
  return true;
}

function checkOperationParameters(
  ctx: CheckContext,
  at: StepAt,
  operation: OpenApiOperation,
  stepParameters: WrittenParameter[],
  workflowParameters: WrittenParameter[],
): void {
  const ids = { workflowId: at.workflow.workflowId, stepId: at.step.stepId };
  const defined = operationParameters(operation);
  const known = defined.flatMap((d) => (d.ok ? [d.parameter] : []));
  // Unresolvable parameter $refs were reported where they are when the description was loaded
  // (openapi-source.ts loadReached), once, not once per step.
  const seen: Parameter[] = [];
  for (const { parameter, segments } of stepParameters) {
    if (!checkWrittenParameter(ctx, { parameter, segments }, seen, ids)) continue;
    if (parameter.in === 'header' && parameter.name.toLowerCase() === 'authorization') {
      // Sent from the source's configured credentials (src/activities/exchange.ts drops a
      // document's own Authorization so that no secret has to pass through run inputs).
      ctx.reporter.warning(
        'arazzo/parameter-authorization-ignored',
        `step "${at.step.stepId}" passes an Authorization header; it is not sent: the source's configured credentials supply Authorization`,
        { segments: [...segments, 'name'], ...ids },
      );
      continue;
    }
    if (parameter.in === 'header' && isIgnoredHeader(parameter.name)) continue;
    if (!known.some((k) => sameParameter(k, parameter))) {
      // Arazzo 1.0.1 has no rule that a step may only pass declared parameters, and real documents
      // pass headers (X-Api-Key ...) that the description leaves to its security schemes: a
      // warning, and the value is still sent where `in` says (src/arazzo/request.ts).
      const sameName = known.find((k) => k.name.toLowerCase() === parameter.name.toLowerCase());
      const hint = sameName ? `; the operation has "${sameName.name}" in ${sameName.in}` : '';
      ctx.reporter.warning(
        'arazzo/parameter-unknown',
        `${describe(operation)} declares no ${parameter.in} parameter "${parameter.name}"${hint}; it is sent as written`,
        { segments: [...segments, 'name'], ...ids },
      );
    }
  }
  const supplied = [...stepParameters, ...workflowParameters].map((w) => w.parameter);
  for (const required of known.filter((k) => k.required)) {
    // A parameter without `in` was reported above; do not also call the one it meant missing.
    if (
      !supplied.some((p) => sameParameter(p, required) || (p.in === undefined && p.name === required.name))
    ) {
      ctx.reporter.error(
        'arazzo/parameter-missing',
        `step "${at.step.stepId}" does not supply required ${required.in} parameter "${required.name}" of ${describe(operation)}`,
        { segments: [...at.stepSegments, 'stepId'], ...ids },
      );
    }
  }
}

function checkRequestBody(ctx: CheckContext, at: StepAt, operation: OpenApiOperation): void {
  const ids = { workflowId: at.workflow.workflowId, stepId: at.step.stepId };
  const definition = operationRequestBody(operation);
  const body = at.step.requestBody;
  if (body === undefined) {
    if (definition?.required) {
      ctx.reporter.error(
        'arazzo/request-body-missing',
        `${describe(operation)} requires a request body; step "${at.step.stepId}" has none`,
        { segments: [...at.stepSegments, 'stepId'], ...ids },
      );
    }
    return;
  }
  const segments = [...at.stepSegments, 'requestBody'];
  if (!definition) {
    ctx.reporter.error('arazzo/request-body-not-allowed', `${describe(operation)} takes no request body`, {
      segments,
      preferKey: true,
      ...ids,
    });
    return;
  }
  if (body.contentType !== undefined && !contentTypeMatches(body.contentType, definition.contentTypes)) {
    // A warning, like undeclared parameters: the body is sent with the step's content type.
    ctx.reporter.warning(
      'arazzo/content-type-unknown',
      `content type "${body.contentType}" is not declared by ${describe(operation)} (declares: ${definition.contentTypes.join(', ') || 'none'}); it is sent as written`,
      { segments: [...segments, 'contentType'], ...ids },
    );
  }
}

function checkWorkflowStep(ctx: CheckContext, at: StepAt, parameters: WrittenParameter[]): void {
  const ids = { workflowId: at.workflow.workflowId, stepId: at.step.stepId };
  const reference = at.step.workflowId!;
  const resolved = resolveWorkflowReference(ctx.loaded, reference);
  if (!resolved.ok) {
    if ('message' in resolved)
      ctx.reporter.error('arazzo/workflow-missing', `step "${at.step.stepId}": ${resolved.message}`, {
        segments: [...at.stepSegments, 'workflowId'],
        ...ids,
      });
    return;
  }
  const targetDoc = resolved.document.document;
  if (!targetDoc) return;
  const declared = declaredInputs(targetDoc, resolved.workflow);
  for (const { parameter, segments } of parameters) {
    if (!declared.open && !declared.properties.has(parameter.name)) {
      ctx.reporter.warning(
        'arazzo/workflow-input-unknown',
        `workflow "${resolved.workflow.workflowId}" declares no input "${parameter.name}"`,
        { segments: [...segments, 'name'], ...ids },
      );
    }
  }
  for (const name of declared.required) {
    if (!parameters.some((p) => p.parameter.name === name)) {
      ctx.reporter.error(
        'arazzo/workflow-input-missing',
        `step "${at.step.stepId}" does not supply required input "${name}" of workflow "${resolved.workflow.workflowId}"`,
        { segments: [...at.stepSegments, 'workflowId'], ...ids },
      );
    }
  }
}

/** Names an operation in messages: `createJob (POST /jobs)`. */
export function describe(operation: OpenApiOperation): string {
  const where = `${operation.method.toUpperCase()} ${operation.path}`;
  return operation.operationId ? `operation ${operation.operationId} (${where})` : `operation ${where}`;
}
