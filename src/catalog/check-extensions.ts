/**
 * This project's extensions: run options (`x-temporal`) on the document and workflows,
 * and `x-temporal-resource` on the OpenAPI operations the steps call (reported against
 * the OpenAPI file, where the fix belongs).
 */
import type { CheckContext } from './check-context.js';
import { stepsOf, workflowsOf } from './check-context.js';
import { formatJsonPath } from './json-path.js';
import { resolveStepOperation } from './resolve-operation.js';
import { parseResourceSpec, RESOURCE_EXTENSION } from './resource-spec.js';
import { parseRunOptions, RUN_OPTIONS_KEY } from './run-options.js';

/** Reports invalid run options and invalid resource extensions. */
export function checkExtensions(ctx: CheckContext): void {
  const owners = [
    {
      value: (ctx.doc as unknown as Record<string, unknown>)[RUN_OPTIONS_KEY],
      segments: [] as Array<string | number>,
      workflowId: undefined,
    },
    ...workflowsOf(ctx.doc).map((w) => ({
      value: w.workflow[RUN_OPTIONS_KEY],
      segments: w.segments,
      workflowId: w.workflow.workflowId,
    })),
  ];
  for (const owner of owners) {
    for (const problem of parseRunOptions(owner.value).problems) {
      const segments = [
        ...owner.segments,
        RUN_OPTIONS_KEY,
        ...(problem.key !== undefined ? [problem.key] : []),
      ];
      ctx.reporter.error('arazzo/run-options-invalid', problem.message, {
        segments,
        preferKey: problem.key !== undefined,
        ...(owner.workflowId !== undefined ? { workflowId: owner.workflowId } : {}),
      });
    }
  }
  const seen = new Set<string>();
  for (const at of stepsOf(ctx.doc)) {
    const resolution = resolveStepOperation(ctx.loaded, at.step);
    if (!resolution?.ok) continue;
    const { sourceName, operation } = resolution.value;
    const key = `${operation.operation.file} ${formatJsonPath(operation.operation.segments)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = operation.api.files.get(operation.operation.file);
    for (const problem of parseResourceSpec(sourceName, operation).problems) {
      const segments = [...operation.operation.segments, RESOURCE_EXTENSION, ...problem.segments];
      const position = source?.positionOf(segments) ?? { line: 1, column: 1 };
      ctx.reporter.diagnostics.push({
        severity: 'error',
        code: 'openapi/resource-invalid',
        message: `${RESOURCE_EXTENSION}: ${problem.message}`,
        file: operation.operation.file,
        ...position,
        path: formatJsonPath(segments),
        workflowId: at.workflow.workflowId,
        stepId: at.step.stepId,
      });
    }
  }
}
