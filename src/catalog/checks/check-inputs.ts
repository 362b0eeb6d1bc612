/**
 * Workflow `inputs` schemas: each compiles as JSON Schema 2020-12 and its `$ref`s resolve, so a
 * broken schema is found at load time instead of on the first run.
 */
import type { CheckContext } from './check-context.js';
import { workflowsOf } from './check-context.js';
import { compileInputsValidator } from '../inputs/inputs-validator.js';

/** Reports inputs schemas that do not compile. */
export function checkInputsSchemas(ctx: CheckContext): void {
  for (const { workflow, segments } of workflowsOf(ctx.doc)) {
    if (workflow.inputs === undefined) continue;
    try {
      compileInputsValidator(ctx.doc, workflow);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? '';
      const missingRef = /can't resolve reference (\S+)/.exec(message);
      ctx.reporter.error(
        missingRef ? 'arazzo/component-missing' : 'arazzo/inputs-schema-invalid',
        missingRef
          ? `inputs schema of workflow "${workflow.workflowId}": $ref ${missingRef[1]} does not resolve`
          : `inputs schema of workflow "${workflow.workflowId}" is invalid: ${message}`,
        { segments: [...segments, 'inputs'], preferKey: true, workflowId: workflow.workflowId },
      );
    }
  }
}
