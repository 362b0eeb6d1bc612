/**
 * Success and failure actions (workflow-level and per step): Reusable Objects resolve to the
 * right kind of component, and every `goto`/`retry` target exists.
 */
import type { FailureAction, ReusableObject, SuccessAction, Workflow } from '../../arazzo/model.js';
import { isReusable } from '../../arazzo/model.js';
import type { CheckContext } from './check-context.js';
import { workflowsOf } from './check-context.js';
import { resolveComponent } from '../components.js';
import { resolveWorkflowReference } from '../workflow-reference.js';

type ActionList = Array<SuccessAction | FailureAction | ReusableObject> | undefined;

/** An action after resolving Reusable Objects, with the path of the entry it was written at. */
export interface ActionAt {
  action: SuccessAction | FailureAction;
  segments: Array<string | number>;
  /** Where the action's own fields are (the component, when it came from a reference). */
  fieldSegments: Array<string | number>;
}

/** Resolves a list of actions; unresolvable references are skipped (reported by {@link checkActions}). */
export function resolveActions(
  ctx: CheckContext,
  list: ActionList,
  kind: 'successActions' | 'failureActions',
  segments: Array<string | number>,
): ActionAt[] {
  const out: ActionAt[] = [];
  (list ?? []).forEach((entry, i) => {
    const entrySegments = [...segments, i];
    if (!isReusable(entry)) {
      out.push({ action: entry, segments: entrySegments, fieldSegments: entrySegments });
      return;
    }
    const resolved = resolveComponent(ctx.doc, entry.reference, kind);
    if (resolved.ok) {
      out.push({
        action: resolved.value as unknown as SuccessAction,
        segments: entrySegments,
        fieldSegments: ['components', kind, resolved.name],
      });
    }
  });
  return out;
}

/** Reports bad component references and missing action targets. */
export function checkActions(ctx: CheckContext): void {
  for (const { workflow, segments } of workflowsOf(ctx.doc)) {
    checkList(ctx, workflow, undefined, workflow.successActions, 'successActions', [
      ...segments,
      'successActions',
    ]);
    checkList(ctx, workflow, undefined, workflow.failureActions, 'failureActions', [
      ...segments,
      'failureActions',
    ]);
    workflow.steps.forEach((step, i) => {
      checkList(ctx, workflow, step.stepId, step.onSuccess, 'successActions', [
        ...segments,
        'steps',
        i,
        'onSuccess',
      ]);
      checkList(ctx, workflow, step.stepId, step.onFailure, 'failureActions', [
        ...segments,
        'steps',
        i,
        'onFailure',
      ]);
    });
  }
}

function checkList(
  ctx: CheckContext,
  workflow: Workflow,
  stepId: string | undefined,
  list: ActionList,
  kind: 'successActions' | 'failureActions',
  segments: Array<string | number>,
): void {
  const ids = { workflowId: workflow.workflowId, ...(stepId !== undefined ? { stepId } : {}) };
  (list ?? []).forEach((entry, i) => {
    if (!isReusable(entry)) return;
    const resolved = resolveComponent(ctx.doc, entry.reference, kind);
    if (!resolved.ok)
      ctx.reporter.error('arazzo/component-missing', resolved.message, {
        segments: [...segments, i, 'reference'],
        ...ids,
      });
  });
  const names = new Set<string>();
  for (const { action, segments: at } of resolveActions(ctx, list, kind, segments)) {
    if (names.has(action.name))
      ctx.reporter.error(
        'arazzo/duplicate-action-name',
        `action name "${action.name}" is used more than once in this list`,
        { segments: at, ...ids },
      );
    names.add(action.name);
    checkTarget(ctx, workflow, action, at, ids);
  }
}

function checkTarget(
  ctx: CheckContext,
  workflow: Workflow,
  action: SuccessAction | FailureAction,
  segments: Array<string | number>,
  ids: { workflowId: string; stepId?: string },
): void {
  const verb = action.type;
  if (action.stepId !== undefined && action.workflowId !== undefined) {
    ctx.reporter.error(
      'arazzo/action-target-ambiguous',
      `${verb} action "${action.name}" has both stepId and workflowId; give one`,
      { segments: [...segments, 'workflowId'], preferKey: true, ...ids },
    );
    return;
  }
  if (verb === 'goto' && action.stepId === undefined && action.workflowId === undefined) {
    ctx.reporter.error(
      'arazzo/goto-target-required',
      `goto action "${action.name}" needs a stepId or a workflowId`,
      { segments, ...ids },
    );
    return;
  }
  if (verb === 'end' && (action.stepId !== undefined || action.workflowId !== undefined)) {
    ctx.reporter.warning(
      'arazzo/end-target-ignored',
      `end action "${action.name}" ignores its ${action.stepId !== undefined ? 'stepId' : 'workflowId'}`,
      { segments, ...ids },
    );
    return;
  }
  if (action.stepId !== undefined && !workflow.steps.some((s) => s.stepId === action.stepId)) {
    ctx.reporter.error(
      `arazzo/${verb}-target-missing`,
      `${verb} action "${action.name}": step "${action.stepId}" does not exist in workflow "${workflow.workflowId}"`,
      {
        segments: [...segments, 'stepId'],
        ...ids,
      },
    );
  }
  if (action.workflowId !== undefined) {
    const resolved = resolveWorkflowReference(ctx.loaded, action.workflowId);
    if (!resolved.ok && 'message' in resolved) {
      ctx.reporter.error(
        `arazzo/${verb}-workflow-missing`,
        `${verb} action "${action.name}": ${resolved.message}`,
        { segments: [...segments, 'workflowId'], ...ids },
      );
    }
  }
}
