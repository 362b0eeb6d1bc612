/**
 * Resolving a workflow named by a step, an action or `dependsOn`: a workflow of this document, or
 * `$sourceDescriptions.<name>.<workflowId>` in an Arazzo source.
 */
import type { Workflow } from '../arazzo/model.js';
import type { LoadedArazzoDocument } from './load.js';

/** A resolved workflow; `local` when it is in the referring document. */
export type WorkflowResolution =
  | { ok: true; workflow: Workflow; local: boolean; document: LoadedArazzoDocument }
  | { ok: false; message: string }
  | { ok: false; unavailable: true };

/** Finds the workflow `reference` names, from the point of view of `loaded`. */
export function resolveWorkflowReference(
  loaded: LoadedArazzoDocument,
  reference: string,
): WorkflowResolution {
  const qualified = /^\$sourceDescriptions\.([^.]+)\.(.+)$/.exec(reference);
  if (!qualified) {
    const workflow = loaded.document?.workflows.find((w) => w.workflowId === reference);
    return workflow
      ? { ok: true, workflow, local: true, document: loaded }
      : { ok: false, message: `workflow "${reference}" is not defined in this document` };
  }
  const [, sourceName = '', workflowId = ''] = qualified;
  const source = loaded.sources.get(sourceName);
  if (!source)
    return { ok: false, message: `"${reference}" names source "${sourceName}", which is not declared` };
  if (source.kind === 'unavailable') return { ok: false, unavailable: true };
  if (source.kind !== 'arazzo')
    return {
      ok: false,
      message: `"${reference}" names source "${sourceName}", which is not an Arazzo document`,
    };
  const workflows = Array.isArray(source.document.document?.workflows)
    ? source.document.document.workflows
    : [];
  const workflow = workflows.find((w) => w.workflowId === workflowId);
  return workflow
    ? { ok: true, workflow, local: false, document: source.document }
    : { ok: false, message: `workflow "${workflowId}" is not defined in source "${sourceName}"` };
}
