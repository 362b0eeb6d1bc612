/**
 * Identifiers: unique workflowIds, stepIds (per workflow) and source names, in the form the
 * specification recommends (runtime expressions like `$steps.<id>` cannot name other ids).
 */
import type { CheckContext } from './check-context.js';
import { stepsOf, workflowsOf } from './check-context.js';

/** The specification's recommended form for ids and names (a SHOULD, hence a warning). */
const ID_FORM = /^[A-Za-z0-9_-]+$/;

/** Reports duplicate and ill-formed ids. */
export function checkIds({ doc, reporter }: CheckContext): void {
  const sourceNames = new Set<string>();
  doc.sourceDescriptions.forEach((source, index) => {
    const at = { segments: ['sourceDescriptions', index, 'name'] };
    if (sourceNames.has(source.name))
      reporter.error(
        'arazzo/duplicate-source-name',
        `source description name "${source.name}" is used more than once`,
        at,
      );
    sourceNames.add(source.name);
    if (!ID_FORM.test(source.name))
      reporter.warning('arazzo/id-form', `source name "${source.name}" should match [A-Za-z0-9_-]+`, at);
  });
  const workflowIds = new Set<string>();
  for (const { workflow, segments } of workflowsOf(doc)) {
    const at = { segments: [...segments, 'workflowId'], workflowId: workflow.workflowId };
    if (workflowIds.has(workflow.workflowId))
      reporter.error(
        'arazzo/duplicate-workflow-id',
        `workflowId "${workflow.workflowId}" is used more than once`,
        at,
      );
    workflowIds.add(workflow.workflowId);
    if (!ID_FORM.test(workflow.workflowId))
      reporter.warning(
        'arazzo/id-form',
        `workflowId "${workflow.workflowId}" should match [A-Za-z0-9_-]+`,
        at,
      );
  }
  const stepIds = new Map<number, Set<string>>();
  for (const { workflow, index, step, stepSegments } of stepsOf(doc)) {
    const seen = stepIds.get(index) ?? new Set<string>();
    stepIds.set(index, seen);
    const at = {
      segments: [...stepSegments, 'stepId'],
      workflowId: workflow.workflowId,
      stepId: step.stepId,
    };
    if (seen.has(step.stepId))
      reporter.error(
        'arazzo/duplicate-step-id',
        `stepId "${step.stepId}" is used more than once in workflow "${workflow.workflowId}"`,
        at,
      );
    seen.add(step.stepId);
    if (!ID_FORM.test(step.stepId))
      reporter.warning('arazzo/id-form', `stepId "${step.stepId}" should match [A-Za-z0-9_-]+`, at);
  }
}
