/**
 * Criteria (success criteria and action criteria): each one is checked by the criteria module,
 * and a `context` expression must name things that exist. Repeated warnings of the same kind in
 * one step are reported once, naming how many criteria share the problem, so a document that
 * writes one non-strict JSONPath form throughout gets one warning per step, not a wall of them.
 */
import { checkCriterion, conditionExpressions, parseCondition } from '../../arazzo/criteria/index.js';
import { parseExpression } from '../../arazzo/expressions/index.js';
import type { ExpressionNode } from '../../arazzo/expressions/index.js';
import type { Criterion, Workflow } from '../../arazzo/model.js';
import { resolveActions } from './check-actions.js';
import type { CheckContext } from './check-context.js';
import { workflowsOf } from './check-context.js';
import { checkReference } from './check-expressions.js';
import { componentMap } from '../components.js';
import { isRecord } from '../openapi/openapi-refs.js';

/** A criterion and where it was written. */
interface CriterionAt {
  criterion: Criterion;
  segments: Array<string | number>;
}

/** A pending warning, grouped by step and kind. */
interface Grouped {
  code: string;
  message: string;
  segments: Array<string | number>;
  count: number;
}

/** Reports invalid criteria and groups repeated warnings per step. */
export function checkCriteria(ctx: CheckContext): void {
  for (const { workflow, segments } of workflowsOf(ctx.doc)) {
    const workflowCriteria = [
      ...actionCriteria(ctx, workflow.successActions, 'successActions', [...segments, 'successActions']),
      ...actionCriteria(ctx, workflow.failureActions, 'failureActions', [...segments, 'failureActions']),
    ];
    checkGroup(ctx, workflowCriteria, workflow, undefined);
    workflow.steps.forEach((step, i) => {
      const at = [...segments, 'steps', i];
      const criteria: CriterionAt[] = [
        ...(step.successCriteria ?? []).map((criterion, j) => ({
          criterion,
          segments: [...at, 'successCriteria', j],
        })),
        ...actionCriteria(ctx, step.onSuccess, 'successActions', [...at, 'onSuccess']),
        ...actionCriteria(ctx, step.onFailure, 'failureActions', [...at, 'onFailure']),
      ];
      checkGroup(ctx, criteria, workflow, step.stepId);
    });
  }
  for (const kind of ['successActions', 'failureActions'] as const) {
    for (const [name, action] of Object.entries(componentMap(ctx.doc, kind) ?? {})) {
      if (!isRecord(action) || !Array.isArray(action.criteria)) continue;
      const criteria = (action.criteria as Criterion[]).map((criterion, j) => ({
        criterion,
        segments: ['components', kind, name, 'criteria', j],
      }));
      checkGroup(ctx, criteria, undefined, undefined);
    }
  }
}

/** Criteria of inline actions (referenced components are checked once, where they are defined). */
function actionCriteria(
  ctx: CheckContext,
  list: Workflow['successActions'] | Workflow['failureActions'],
  kind: 'successActions' | 'failureActions',
  segments: Array<string | number>,
): CriterionAt[] {
  return resolveActions(ctx, list, kind, segments)
    .filter((a) => a.fieldSegments === a.segments)
    .flatMap((a) =>
      (a.action.criteria ?? []).map((criterion, j) => ({
        criterion,
        segments: [...a.segments, 'criteria', j],
      })),
    );
}

/** The workflow and step a diagnostic belongs to, as far as they are known. */
function idsOf(workflow: Workflow | undefined, stepId: string | undefined) {
  return {
    ...(workflow ? { workflowId: workflow.workflowId } : {}),
    ...(stepId !== undefined ? { stepId } : {}),
  };
}

function checkGroup(
  ctx: CheckContext,
  criteria: CriterionAt[],
  workflow: Workflow | undefined,
  stepId: string | undefined,
): void {
  const ids = idsOf(workflow, stepId);
  const warnings = new Map<string, Grouped>();
  for (const { criterion, segments } of criteria) {
    for (const problem of checkCriterion(criterion)) {
      const fieldSegments = [...segments, problem.field];
      if (problem.severity === 'error') {
        ctx.reporter.error(errorCode(criterion, problem.field), problem.message, {
          segments: fieldSegments,
          ...ids,
        });
        continue;
      }
      const code = warningCode(criterion, problem.message);
      const existing = warnings.get(code);
      if (existing) existing.count++;
      else warnings.set(code, { code, message: problem.message, segments: fieldSegments, count: 1 });
    }
    checkReferences(ctx, criterion, segments, workflow, stepId);
  }
  for (const w of warnings.values()) {
    const more =
      w.count > 1
        ? ` (and ${w.count - 1} more ${w.count === 2 ? 'criterion' : 'criteria'} ${stepId !== undefined ? 'in this step' : 'here'})`
        : '';
    ctx.reporter.warning(w.code, `${w.message}${more}`, { segments: w.segments, ...ids });
  }
}

/** Stable codes for the errors the criteria module gives (its messages are for people). */
function errorCode(criterion: Criterion, field: string): string {
  const type = typeof criterion.type === 'object' ? criterion.type.type : criterion.type;
  if (type === 'xpath' && field === 'condition') return 'arazzo/xpath-invalid';
  if (type === 'regex' && field === 'condition') return 'arazzo/regex-invalid';
  return 'arazzo/criterion-invalid';
}

/** Stable codes for the warnings the criteria module gives (its messages are for people). */
function warningCode(criterion: Criterion, message: string): string {
  const type = typeof criterion.type === 'object' ? criterion.type.type : criterion.type;
  if (type === 'jsonpath' && /RFC ?9535|strict/i.test(message)) return 'arazzo/jsonpath-nonstrict';
  return 'arazzo/criterion-warning';
}

/** Expressions a criterion names: its context, and the operands of a simple condition. */
function referencedExpressions(
  criterion: Criterion,
): Array<{ node: ExpressionNode; field: 'context' | 'condition' }> {
  const out: Array<{ node: ExpressionNode; field: 'context' | 'condition' }> = [];
  // Broken text is reported by checkCriterion; here only well-formed expressions are followed.
  if (criterion.context !== undefined) {
    try {
      out.push({ node: parseExpression(criterion.context), field: 'context' });
    } catch {
      /* reported by checkCriterion */
    }
  }
  if (criterion.type === undefined || criterion.type === 'simple') {
    try {
      for (const node of conditionExpressions(parseCondition(criterion.condition)))
        out.push({ node, field: 'condition' });
    } catch {
      /* reported by checkCriterion */
    }
  }
  return out;
}

function checkReferences(
  ctx: CheckContext,
  criterion: Criterion,
  segments: Array<string | number>,
  workflow: Workflow | undefined,
  stepId: string | undefined,
): void {
  const ids = idsOf(workflow, stepId);
  for (const { node, field } of referencedExpressions(criterion)) {
    const problem = checkReference(ctx, node, {
      ...(workflow ? { workflow } : {}),
      ...(stepId !== undefined ? { stepId } : {}),
    });
    if (problem)
      ctx.reporter.add(problem.severity, problem.code, problem.message, {
        segments: [...segments, field],
        ...ids,
      });
  }
}
