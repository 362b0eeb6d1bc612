/**
 * What every semantic check receives: the loaded document (schema-valid), its reporter, and
 * helpers to walk workflows and steps with their JSON paths.
 */
import type { ArazzoDocument, Step, Workflow } from '../../arazzo/model.js';
import type { LoadedArazzoDocument } from '../load.js';
import type { Reporter } from '../reporter.js';

/** Input to a semantic check. The document has passed the schema, so its shape can be trusted. */
export interface CheckContext {
  loaded: LoadedArazzoDocument;
  doc: ArazzoDocument;
  reporter: Reporter;
}

/** A workflow with its index (for JSON paths). */
export interface WorkflowAt {
  workflow: Workflow;
  index: number;
  segments: Array<string | number>;
}

/** A step with its workflow and JSON path. */
export interface StepAt extends WorkflowAt {
  step: Step;
  stepIndex: number;
  stepSegments: Array<string | number>;
}

/** Every workflow, with its path. */
export function workflowsOf(doc: ArazzoDocument): WorkflowAt[] {
  return doc.workflows.map((workflow, index) => ({ workflow, index, segments: ['workflows', index] }));
}

/** Every step of every workflow, with its path. */
export function stepsOf(doc: ArazzoDocument): StepAt[] {
  return workflowsOf(doc).flatMap((w) =>
    w.workflow.steps.map((step, stepIndex) => ({
      ...w,
      step,
      stepIndex,
      stepSegments: [...w.segments, 'steps', stepIndex],
    })),
  );
}
