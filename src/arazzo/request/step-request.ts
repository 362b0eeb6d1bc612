/**
 * Turning a step into an HTTP request: parameters (workflow-level merged under the step's),
 * reusable parameters, payload expressions and replacements, then OpenAPI serialization.
 */
import type { ExpressionContext, RequestView } from '../context.js';
import { resolveValue } from '../expressions/index.js';
import { setByPointer } from '../json-pointer.js';
import type {
  ArazzoDocument,
  JsonValue,
  Parameter,
  ParameterLocation,
  ReusableObject,
  Step,
  Workflow,
} from '../model.js';
import { isReusable } from '../model.js';
import type { ExecutionPlan, OperationParameter, OperationPlan } from '../plan.js';
import { buildHttpRequest, type HttpRequestSpec } from './serialize.js';

export type Built<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

export interface ResolvedParameter {
  name: string;
  in: ParameterLocation;
  value: JsonValue;
}

function resolveReusableParameter(
  document: ArazzoDocument,
  entry: Parameter | ReusableObject,
): Parameter | undefined {
  if (!isReusable(entry)) return entry;
  const prefix = '$components.parameters.';
  if (!entry.reference.startsWith(prefix)) return undefined;
  const found = document.components?.parameters?.[entry.reference.slice(prefix.length)];
  if (!found) return undefined;
  // A reusable object's `value` overrides the component's value.
  return entry.value === undefined ? found : { ...found, value: entry.value };
}

/**
 * The parameters a step sends. Workflow-level parameters apply to every step; a step parameter with
 * the same name and location replaces the workflow's.
 */
export function resolveStepParameters(
  document: ArazzoDocument,
  workflow: Workflow,
  step: Step,
  operation: OperationPlan | undefined,
  context: ExpressionContext,
): Built<ResolvedParameter[]> {
  const declared = [
    ...(workflow.parameters ?? []).map((p, i) => ({ p, field: `workflow.parameters[${i}]` })),
    ...(step.parameters ?? []).map((p, i) => ({ p, field: `parameters[${i}]` })),
  ];
  const byKey = new Map<string, ResolvedParameter>();
  for (const { p, field } of declared) {
    const parameter = resolveReusableParameter(document, p);
    if (!parameter) {
      return {
        ok: false,
        field,
        message: `unresolvable reusable parameter ${(p as ReusableObject).reference}`,
      };
    }
    // For a workflow step, parameters are the sub-workflow's inputs and `in` does not matter.
    // A step names an OpenAPI 3.2 `in: querystring` parameter as a query parameter (Arazzo's `in`
    // has no querystring); the request builder finds the definition by name.
    const location = operation
      ? (parameter.in ?? asArazzoLocation(operation.parameters.find((op) => op.name === parameter.name)?.in))
      : (parameter.in ?? 'query');
    if (!location) {
      // Workflow-level parameters without `in` map to sub-workflow inputs; skip them for operations.
      if (field.startsWith('workflow.')) continue;
      return {
        ok: false,
        field: `${field}.in`,
        message: `parameter ${parameter.name} has no 'in' and the operation does not declare it`,
      };
    }
    // Workflow-level parameters apply only where the operation has such a parameter.
    if (
      field.startsWith('workflow.') &&
      operation &&
      !operation.parameters.some((op) => op.name === parameter.name && asArazzoLocation(op.in) === location)
    ) {
      continue;
    }
    const resolved = resolveValue(parameter.value, context);
    if (!resolved.ok) return { ok: false, field: `${field}.value`, message: resolved.reason };
    byKey.set(`${location}:${parameter.name}`, { name: parameter.name, in: location, value: resolved.value });
  }
  return { ok: true, value: [...byKey.values()] };
}

function asArazzoLocation(location: OperationParameter['in'] | undefined): ParameterLocation | undefined {
  return location === 'querystring' ? 'query' : location;
}

/** The request body of a step: payload expressions resolved, then replacements applied in order. */
export function resolveRequestBody(
  step: Step,
  operation: OperationPlan,
  context: ExpressionContext,
): Built<{ contentType?: string; value: JsonValue } | undefined> {
  const body = step.requestBody;
  if (!body) return { ok: true, value: undefined };
  let payload: JsonValue = null;
  if (body.payload !== undefined) {
    const resolved = resolveValue(body.payload, context);
    if (!resolved.ok) return { ok: false, field: 'requestBody.payload', message: resolved.reason };
    payload = resolved.value;
  }
  for (const [i, replacement] of (body.replacements ?? []).entries()) {
    const value = resolveValue(replacement.value, context);
    if (!value.ok) return { ok: false, field: `requestBody.replacements[${i}].value`, message: value.reason };
    try {
      payload = setByPointer(payload, replacement.target, value.value);
    } catch (error) {
      return { ok: false, field: `requestBody.replacements[${i}].target`, message: (error as Error).message };
    }
  }
  return {
    ok: true,
    value: { contentType: body.contentType ?? operation.requestBody?.contentTypes[0], value: payload },
  };
}

/** Builds the HTTP request of an operation step. */
export function buildStepRequest(
  plan: ExecutionPlan,
  workflow: Workflow,
  step: Step,
  operation: OperationPlan,
  context: ExpressionContext,
): Built<HttpRequestSpec> {
  const parameters = resolveStepParameters(plan.document, workflow, step, operation, context);
  if (!parameters.ok) return parameters;
  const body = resolveRequestBody(step, operation, context);
  if (!body.ok) return body;
  try {
    return { ok: true, value: buildHttpRequest(operation, parameters.value, body.value) };
  } catch (error) {
    return { ok: false, field: 'parameters', message: (error as Error).message };
  }
}

/** Builds a request from an extension's parameter list (cancel, adopt look-up). */
export function buildExtensionRequest(
  operation: OperationPlan,
  parameters: Array<{ name: string; in: ParameterLocation; value: JsonValue }>,
  context: ExpressionContext,
): Built<HttpRequestSpec> {
  const resolved: ResolvedParameter[] = [];
  for (const [i, parameter] of parameters.entries()) {
    const value = resolveValue(parameter.value, context);
    if (!value.ok) return { ok: false, field: `parameters[${i}]`, message: value.reason };
    resolved.push({ name: parameter.name, in: parameter.in, value: value.value });
  }
  try {
    return { ok: true, value: buildHttpRequest(operation, resolved) };
  } catch (error) {
    return { ok: false, field: 'parameters', message: (error as Error).message };
  }
}

/** The request as `$request.*`, `$url` and `$method` see it. */
export function requestView(request: HttpRequestSpec, url = ''): RequestView {
  const body = request.body?.content;
  return {
    url,
    method: request.method,
    headers: request.view.headers,
    query: request.view.query,
    path: request.view.path,
    ...(body === undefined ? {} : { body: body as JsonValue }),
  };
}
