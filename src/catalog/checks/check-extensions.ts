/**
 * This project's extensions: run options (`x-temporal`) on the document, workflows and steps,
 * and `x-temporal-resource` / `x-temporal-observes` / `x-temporal-credentials` in the OpenAPI
 * descriptions the steps use (reported against the OpenAPI file, where the fix belongs). The old
 * names (`x-arazzo-temporal*`, a prefix Arazzo 1.0.1 reserves for the OAI) still work, with a
 * warning naming the new one (src/arazzo/extensions.ts).
 */
import {
  CREDENTIALS_EXTENSION,
  findExtension,
  legacyExtensionName,
  OBSERVES_EXTENSION,
} from '../../arazzo/extensions.js';
import type { CheckContext } from './check-context.js';
import { stepsOf, workflowsOf } from './check-context.js';
import type { Diagnostic } from '../diagnostic.js';
import { formatJsonPath } from '../json-path.js';
import type { OpenApiOperation } from '../openapi/openapi-operations.js';
import { resolveStepOperation } from '../openapi/resolve-operation.js';
import { parseResourceSpec, RESOURCE_EXTENSION } from '../openapi/resource-spec.js';
import { checkRunOptions, RUN_OPTIONS_KEY } from '../../arazzo/options.js';

const DEPRECATED = 'arazzo/extension-deprecated';

function deprecation(name: string): string {
  return `${legacyExtensionName(name)} uses the prefix x-arazzo, which Arazzo 1.0.1 reserves for the OpenAPI Initiative; rename it ${name} (the old name is still read)`;
}

/** Reports invalid run options, invalid resource extensions and old extension names. */
export function checkExtensions(ctx: CheckContext): void {
  const owners = [
    { owner: ctx.doc as unknown, segments: [] as Array<string | number>, ids: {} },
    ...workflowsOf(ctx.doc).map((w) => ({
      owner: w.workflow as unknown,
      segments: w.segments,
      ids: { workflowId: w.workflow.workflowId },
    })),
  ];
  for (const { owner, segments, ids } of owners) {
    const found = findExtension(owner, RUN_OPTIONS_KEY);
    if (!found) continue;
    if (found.legacy)
      ctx.reporter.warning(DEPRECATED, deprecation(RUN_OPTIONS_KEY), {
        segments: [...segments, found.key],
        preferKey: true,
        ...ids,
      });
    for (const problem of checkRunOptions(found.value).problems) {
      ctx.reporter.error('arazzo/run-options-invalid', problem.message, {
        segments: [...segments, found.key, ...(problem.key !== undefined ? [problem.key] : [])],
        preferKey: problem.key !== undefined,
        ...ids,
      });
    }
  }
  for (const at of stepsOf(ctx.doc)) {
    const found = findExtension(at.step, RUN_OPTIONS_KEY);
    if (found?.legacy)
      ctx.reporter.warning(DEPRECATED, deprecation(RUN_OPTIONS_KEY), {
        segments: [...at.stepSegments, found.key],
        preferKey: true,
        workflowId: at.workflow.workflowId,
        stepId: at.step.stepId,
      });
  }
  const seen = new Set<string>();
  for (const at of stepsOf(ctx.doc)) {
    const resolution = resolveStepOperation(ctx.loaded, at.step);
    if (!resolution?.ok) continue;
    const { sourceName, operation } = resolution.value;
    const key = `${operation.operation.file} ${formatJsonPath(operation.operation.segments)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ids = { workflowId: at.workflow.workflowId, stepId: at.step.stepId };
    const inOpenApi = (
      severity: Diagnostic['severity'],
      code: string,
      message: string,
      file: string,
      segments: Array<string | number>,
    ): void => {
      const source = operation.api.files.get(file);
      ctx.reporter.diagnostics.push({
        severity,
        code,
        message,
        file,
        ...(source?.positionOf(segments, severity === 'warning') ?? { line: 1, column: 1 }),
        path: formatJsonPath(segments),
        ...ids,
      });
    };
    const resource = findExtension(operation.operation.value, RESOURCE_EXTENSION);
    for (const problem of parseResourceSpec(sourceName, operation).problems) {
      const segments = [
        ...operation.operation.segments,
        resource?.key ?? RESOURCE_EXTENSION,
        ...problem.segments,
      ];
      inOpenApi(
        'error',
        'openapi/resource-invalid',
        `${RESOURCE_EXTENSION}: ${problem.message}`,
        operation.operation.file,
        segments,
      );
    }
    for (const name of [RESOURCE_EXTENSION, OBSERVES_EXTENSION]) {
      const found = findExtension(operation.operation.value, name);
      if (found?.legacy)
        inOpenApi('warning', DEPRECATED, deprecation(name), operation.operation.file, [
          ...operation.operation.segments,
          found.key,
        ]);
    }
    warnLegacyCredentials(operation, seen, inOpenApi);
  }
}

/** `info.x-arazzo-temporal-credentials`, once per OpenAPI description. */
function warnLegacyCredentials(
  operation: OpenApiOperation,
  seen: Set<string>,
  report: (
    severity: Diagnostic['severity'],
    code: string,
    message: string,
    file: string,
    segments: Array<string | number>,
  ) => void,
): void {
  const file = operation.api.root;
  if (seen.has(`credentials ${file}`)) return;
  seen.add(`credentials ${file}`);
  const found = findExtension(operation.api.document.info, CREDENTIALS_EXTENSION);
  if (found?.legacy)
    report('warning', DEPRECATED, deprecation(CREDENTIALS_EXTENSION), file, ['info', found.key]);
}
