/**
 * Poll loops against the OpenAPI response schema. A step whose action jumps back to itself while
 * a response field has certain values (a poll) must handle every value the field can take;
 * otherwise a value nobody listed (Airbyte's `queued`) matches no action and the run silently
 * moves on as if the job had finished.
 */
import type { Criterion, Workflow } from '../../arazzo/model.js';
import { resolveActions } from './check-actions.js';
import type { ActionAt } from './check-actions.js';
import type { CheckContext, StepAt } from './check-context.js';
import { stepsOf } from './check-context.js';
import type { Located } from '../openapi/openapi-refs.js';
import { child, derefValue, isRecord } from '../openapi/openapi-refs.js';
import { successResponseSchema } from '../openapi/openapi-operations.js';
import type { OpenApiOperation } from '../openapi/openapi-operations.js';
import type { OpenApiDescription } from '../openapi/openapi-source.js';
import { readFieldTest } from './poll-conditions.js';
import { resolveStepOperation } from '../openapi/resolve-operation.js';
import { pointerToSegments } from '../json-path.js';

/** Warns about poll loops whose actions do not cover every enum value of the polled field. */
export function checkPollCoverage(ctx: CheckContext): void {
  for (const at of stepsOf(ctx.doc)) {
    const resolution = resolveStepOperation(ctx.loaded, at.step);
    if (!resolution?.ok) continue;
    const operation = resolution.value.operation;
    const lists = [
      {
        field: 'onSuccess',
        kind: 'successActions',
        own: at.step.onSuccess,
        shared: at.workflow.successActions,
      },
      {
        field: 'onFailure',
        kind: 'failureActions',
        own: at.step.onFailure,
        shared: at.workflow.failureActions,
      },
    ] as const;
    for (const list of lists) {
      const segments = [...at.stepSegments, list.field];
      const actions = [
        ...resolveActions(ctx, list.own as Workflow['failureActions'], list.kind, segments),
        ...resolveActions(ctx, list.shared as Workflow['failureActions'], list.kind, [
          ...at.segments,
          list.kind,
        ]),
      ];
      checkList(ctx, at, operation, list.field, segments, actions);
    }
  }
}

function checkList(
  ctx: CheckContext,
  at: StepAt,
  operation: OpenApiOperation,
  field: string,
  segments: Array<string | number>,
  actions: ActionAt[],
): void {
  const loop = actions.find(
    (a) =>
      a.action.type === 'goto' && a.action.stepId === at.step.stepId && (a.action.criteria?.length ?? 0) > 0,
  );
  const loopTest = loop?.action.criteria?.length === 1 ? readFieldTest(loop.action.criteria[0]!) : undefined;
  if (!loopTest) return;
  const covered = new Set<string>();
  for (const { action } of actions) {
    const bound = coveredValues(action.criteria ?? [], loopTest.pointer);
    if (bound === undefined) return; // this action may match anything: coverage cannot be judged
    for (const value of bound) covered.add(value);
  }
  const schema = successResponseSchema(operation);
  const values = schema && enumAt(operation.api, schema, pointerToSegments(loopTest.pointer));
  if (!values) return;
  const missing = values.filter((v) => !covered.has(v));
  if (missing.length === 0) return;
  const isLast = at.stepIndex === at.workflow.steps.length - 1;
  ctx.reporter.warning(
    'arazzo/poll-enum-not-covered',
    `poll step "${at.step.stepId}" loops while ${loopTest.pointer} is ${loopTest.values.map((v) => `'${v}'`).join(', ')}, ` +
      `but no ${field} action handles ${missing.map((v) => `'${v}'`).join(', ')}, which the ${operation.operationId ?? operation.path} response schema allows ` +
      `(enum: ${values.join(', ')}); such a response ${isLast ? 'ends the workflow' : 'continues with the next step'} as if the poll were done`,
    { segments, workflowId: at.workflow.workflowId, stepId: at.step.stepId, preferKey: true },
  );
}

/**
 * Upper bound of the field values for which an action's criteria (ANDed) can pass; undefined
 * when no criterion restricts the field, so the action may match any value.
 */
function coveredValues(criteria: Criterion[], pointer: string): Set<string> | undefined {
  let bound: Set<string> | undefined;
  for (const criterion of criteria) {
    const test = readFieldTest(criterion);
    if (!test || test.pointer !== pointer) continue;
    bound = bound ? new Set(test.values.filter((v) => bound!.has(v))) : new Set(test.values);
  }
  return bound;
}

/** The string `enum` of the property at `segments` below `schema`, through `$ref` and `allOf`. */
function enumAt(api: OpenApiDescription, schema: Located, segments: string[]): string[] | undefined {
  let current: Located | undefined = schema;
  for (const name of segments) {
    current = current && propertySchema(api, current, name);
    if (!current) return undefined;
  }
  const target = current && derefValue(api, current);
  if (!target || !isRecord(target.value)) return undefined;
  const values = target.value.enum;
  return Array.isArray(values) && values.every((v) => typeof v === 'string')
    ? (values as string[])
    : undefined;
}

function propertySchema(api: OpenApiDescription, schema: Located, name: string): Located | undefined {
  const queue: Located[] = [schema];
  for (let visited = 0; queue.length > 0 && visited < 32; visited++) {
    const node = derefValue(api, queue.shift());
    if (!node || !isRecord(node.value)) continue;
    const properties = child(node, 'properties');
    const property = properties && child(properties, name);
    if (property) return property;
    const allOf = child(node, 'allOf');
    if (allOf && Array.isArray(allOf.value)) allOf.value.forEach((_, i) => queue.push(child(allOf, i)!));
  }
  return undefined;
}
