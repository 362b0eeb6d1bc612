/**
 * Choosing the action after a step: merge workflow-level and step-level actions, then take the
 * first whose criteria all pass.
 */
import type { ExpressionContext } from '../context.js';
import { evaluateCriteria } from '../criteria/index.js';
import type { ArazzoDocument, FailureAction, ReusableObject, SuccessAction, Workflow } from '../model.js';
import { isReusable } from '../model.js';

type AnyAction = SuccessAction | FailureAction;

/** Resolves `{reference: $components.successActions.x}` against the document's components. */
function resolveReusableAction<T extends AnyAction>(
  document: ArazzoDocument,
  entry: T | ReusableObject,
  kind: 'successActions' | 'failureActions',
): T | undefined {
  if (!isReusable(entry)) return entry;
  const prefix = `$components.${kind}.`;
  if (!entry.reference.startsWith(prefix)) return undefined;
  const found = document.components?.[kind]?.[entry.reference.slice(prefix.length)];
  return found as T | undefined;
}

/**
 * The actions that apply to a step, in the order they are tried.
 * Spec: workflow-level actions apply to every step; a step action with the same name overrides the
 * workflow's, but a step cannot remove one. Step actions come first.
 */
export function mergeActions<T extends AnyAction>(
  document: ArazzoDocument,
  workflow: Workflow,
  stepActions: Array<T | ReusableObject> | undefined,
  kind: 'successActions' | 'failureActions',
): T[] {
  const own = (stepActions ?? [])
    .map((a) => resolveReusableAction<T>(document, a, kind))
    .filter((a): a is T => a !== undefined);
  const names = new Set(own.map((a) => a.name));
  const inherited = ((workflow[kind] ?? []) as Array<T | ReusableObject>)
    .map((a) => resolveReusableAction<T>(document, a, kind))
    .filter((a): a is T => a !== undefined && !names.has(a.name));
  return [...own, ...inherited];
}

/** Spec: "the first action whose criteria are all met is executed"; no criteria means it always applies. */
export function firstMatchingAction<T extends AnyAction>(
  actions: T[],
  context: ExpressionContext,
  skip: (action: T) => boolean = () => false,
): T | undefined {
  return actions.find((action) => !skip(action) && evaluateCriteria(action.criteria, context).passed);
}
