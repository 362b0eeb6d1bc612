/**
 * Arazzo versions: what a document may use for the version it declares, and what this runner
 * does not run yet.
 *
 * Arazzo 1.1.0 (OAI/Arazzo-Specification, versions/1.1.0.md) adds `$self`, AsyncAPI source
 * descriptions and steps (`channelPath`, `action`, `correlationId`), step `timeout` and
 * `dependsOn`, `querystring` and `channel` parameters, Selector Objects (parameter values, outputs,
 * payload replacements) and `targetSelectorType`. In a document that declares `arazzo: 1.0.x` they
 * are errors (`arazzo/version-feature`). In a 1.1 document the HTTP parts run; AsyncAPI steps get
 * `arazzo/asyncapi-unsupported` and the other 1.1 additions `arazzo/not-supported`, each naming the
 * step, so a document is refused before any request rather than run with a field ignored.
 */
import type { Parameter } from '../../arazzo/model.js';
import { isReusable } from '../../arazzo/model.js';
import type { CheckContext } from './check-context.js';
import { stepsOf, workflowsOf } from './check-context.js';
import { checkReceiveStep } from './check-receive.js';

const QUALIFIED = /^\$sourceDescriptions\.([^.]+)\./;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A Selector Object (1.1.0): `{context, selector, type}`. */
function isSelector(value: unknown): boolean {
  return isObject(value) && typeof value.selector === 'string' && value.context !== undefined;
}

/** Reports version mismatches and 1.1 features this runner does not run. */
export function checkVersions(ctx: CheckContext): void {
  const { doc, reporter } = ctx;
  const version = typeof doc.arazzo === 'string' ? doc.arazzo : '';
  const is10 = version.startsWith('1.0.');
  const newer = (
    segments: Array<string | number>,
    what: string,
    ids: { workflowId?: string; stepId?: string } = {},
  ): boolean => {
    if (!is10) return false;
    reporter.error(
      'arazzo/version-feature',
      `${what} is Arazzo 1.1; this document declares arazzo: ${version} (declare 1.1.0 to use it)`,
      { segments, preferKey: true, ...ids },
    );
    return true;
  };
  if (doc.$self !== undefined) newer(['$self'], '$self');
  const asyncSources = new Set<string>();
  const httpSources = new Set(
    doc.sourceDescriptions.filter((s) => (s.type ?? 'openapi') === 'openapi').map((s) => s.name),
  );
  doc.sourceDescriptions.forEach((source, index) => {
    if (source.type !== 'asyncapi') return;
    asyncSources.add(source.name);
    newer(['sourceDescriptions', index, 'type'], 'an AsyncAPI source description');
  });

  for (const { workflow, step, stepSegments } of stepsOf(doc)) {
    const ids = { workflowId: workflow.workflowId, stepId: step.stepId };
    const raw = step as unknown as Record<string, unknown>;
    // 1.1.0 Step Object, dependsOn: a local stepId, `$workflows.<workflowId>.steps.<stepId>` or
    // `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>` (the OAI schema's three forms).
    if (Array.isArray(raw.dependsOn)) {
      (raw.dependsOn as unknown[]).forEach((target, index) => {
        if (typeof target !== 'string') return;
        const at = { segments: [...stepSegments, 'dependsOn', index], ...ids };
        if (target.startsWith('$')) {
          if (
            !/^\$workflows\.[^.]+\.steps\.[^.]+$|^\$sourceDescriptions\.[^.]+\.[^.]+\.steps\.[^.]+$/.test(
              target,
            )
          )
            reporter.error(
              'arazzo/depends-on-invalid',
              `step "${step.stepId}" depends on "${target}"; write a stepId, $workflows.<workflowId>.steps.<stepId> or $sourceDescriptions.<name>.<workflowId>.steps.<stepId>`,
              at,
            );
        } else if (!workflow.steps.some((s) => s.stepId === target))
          reporter.error(
            'arazzo/depends-on-missing',
            `step "${step.stepId}" depends on step "${target}", which is not in workflow "${workflow.workflowId}"`,
            at,
          );
      });
    }
    const qualified =
      typeof step.operationId === 'string' ? QUALIFIED.exec(step.operationId)?.[1] : undefined;
    const unqualifiedAsync =
      typeof step.operationId === 'string' &&
      qualified === undefined &&
      asyncSources.size > 0 &&
      doc.sourceDescriptions.every((s) => s.type === 'asyncapi' || s.type === 'arazzo');
    const asyncField = (['channelPath', 'action', 'correlationId'] as const).find(
      (k) => raw[k] !== undefined,
    );
    if (
      asyncField !== undefined &&
      newer([...stepSegments, asyncField], `"${asyncField}" (AsyncAPI steps)`, ids)
    )
      continue;
    if (checkAsyncShape(ctx, raw, stepSegments, ids, asyncSources, httpSources)) continue;
    if (checkReceiveStep(ctx, raw, stepSegments, ids, asyncSources)) continue;
    if (
      asyncField !== undefined ||
      (qualified !== undefined && asyncSources.has(qualified)) ||
      unqualifiedAsync
    ) {
      const action =
        typeof raw.action === 'string' ? `${raw.action}s a message` : 'uses an AsyncAPI operation';
      reporter.error(
        'arazzo/asyncapi-unsupported',
        `step "${step.stepId}" ${action} (Arazzo 1.1 AsyncAPI step); AsyncAPI steps are not supported yet by this runner, only HTTP (OpenAPI) operations and workflows`,
        {
          segments: [...stepSegments, asyncField ?? 'operationId'],
          preferKey: asyncField !== undefined,
          ...ids,
        },
      );
      continue;
    }
    for (const field of ['timeout', 'dependsOn'] as const) {
      if (raw[field] === undefined) continue;
      if (!newer([...stepSegments, field], `step "${field}"`, ids))
        reporter.error(
          'arazzo/not-supported',
          `step "${step.stepId}": "${field}" (Arazzo 1.1) is not supported yet by this runner`,
          { segments: [...stepSegments, field], preferKey: true, ...ids },
        );
    }
    checkParameters(step.parameters, [...stepSegments, 'parameters'], ids, newer, ctx);
    checkOutputs(step.outputs, [...stepSegments, 'outputs'], ids, newer, ctx);
    (step.requestBody?.replacements ?? []).forEach((replacement, index) => {
      const r = replacement as unknown as Record<string, unknown>;
      const at = [...stepSegments, 'requestBody', 'replacements', index];
      if (
        r.targetSelectorType !== undefined &&
        !newer([...at, 'targetSelectorType'], '"targetSelectorType"', ids)
      ) {
        const type = isObject(r.targetSelectorType) ? r.targetSelectorType.type : r.targetSelectorType;
        if (type !== 'jsonpointer')
          unsupported(ctx, [...at, 'targetSelectorType'], `a ${String(type)} replacement target`, ids);
      }
      if (isSelector(r.value) && !newer([...at, 'value'], 'a Selector Object', ids))
        unsupported(ctx, [...at, 'value'], 'a Selector Object value', ids);
    });
  }
  for (const { workflow, segments } of workflowsOf(doc)) {
    const ids = { workflowId: workflow.workflowId };
    checkParameters(workflow.parameters, [...segments, 'parameters'], ids, newer, ctx);
    checkOutputs(workflow.outputs, [...segments, 'outputs'], ids, newer, ctx);
  }
}

/**
 * The shape rules of 1.1.0 AsyncAPI steps (Step Object: `action` "Only applicable for asyncapi
 * steps", `correlationId` "Only applicable to asyncapi steps with action receive", `channelPath`
 * names an AsyncAPI source); a document that breaks them is invalid, not merely unsupported.
 * Returns true when it reported a problem.
 */
function checkAsyncShape(
  ctx: CheckContext,
  raw: Record<string, unknown>,
  stepSegments: Array<string | number>,
  ids: { workflowId: string; stepId: string },
  asyncSources: Set<string>,
  httpSources: Set<string>,
): boolean {
  const error = (field: string, code: string, message: string): true => {
    ctx.reporter.error(code, `step "${ids.stepId}": ${message}`, {
      segments: [...stepSegments, field],
      preferKey: true,
      ...ids,
    });
    return true;
  };
  if (raw.workflowId !== undefined) {
    const field = (['action', 'correlationId'] as const).find((k) => raw[k] !== undefined);
    if (field !== undefined)
      return error(
        field,
        'arazzo/async-field-misplaced',
        `"${field}" applies only to AsyncAPI steps, not to a step that runs a workflow`,
      );
    return false;
  }
  // An operationId qualified with an OpenAPI source names an HTTP operation: no action there.
  const named =
    typeof raw.operationId === 'string'
      ? /^\$sourceDescriptions\.([^.]+)\./.exec(raw.operationId)?.[1]
      : undefined;
  if (named !== undefined && httpSources.has(named)) {
    const field = (['action', 'correlationId'] as const).find((k) => raw[k] !== undefined);
    if (field !== undefined)
      return error(
        field,
        'arazzo/async-field-misplaced',
        `"${field}" applies only to AsyncAPI steps; source "${named}" is an OpenAPI description`,
      );
  }
  if ((raw.channelPath !== undefined || raw.correlationId !== undefined) && raw.action === undefined)
    return error(
      raw.channelPath !== undefined ? 'channelPath' : 'correlationId',
      'arazzo/async-action-missing',
      'an AsyncAPI step needs "action" (send or receive)',
    );
  if (raw.correlationId !== undefined && raw.action !== 'receive')
    return error(
      'correlationId',
      'arazzo/async-field-misplaced',
      '"correlationId" applies only to steps with action receive',
    );
  if (typeof raw.channelPath === 'string') {
    const source = /^\{?\$sourceDescriptions\.([^.}]+)\./.exec(raw.channelPath)?.[1];
    if (source === undefined || !asyncSources.has(source))
      return error(
        'channelPath',
        'arazzo/channel-path-invalid',
        `channelPath "${raw.channelPath}" must name an AsyncAPI source ({$sourceDescriptions.<name>.url}#/channels/…)`,
      );
  }
  if (raw.action !== undefined || raw.channelPath !== undefined) {
    const params = Array.isArray(raw.parameters) ? (raw.parameters as unknown[]) : [];
    const index = params.findIndex((p) => isObject(p) && p.reference === undefined && p.in === undefined);
    if (index >= 0) {
      ctx.reporter.error(
        'arazzo/parameter-in-missing',
        `step "${ids.stepId}": a parameter of an AsyncAPI step needs "in"`,
        {
          segments: [...stepSegments, 'parameters', index],
          preferKey: true,
          ...ids,
        },
      );
      return true;
    }
  }
  return false;
}

type Newer = (
  segments: Array<string | number>,
  what: string,
  ids?: { workflowId?: string; stepId?: string },
) => boolean;

function unsupported(
  ctx: CheckContext,
  segments: Array<string | number>,
  what: string,
  ids: { workflowId?: string; stepId?: string },
): void {
  const where = ids.stepId !== undefined ? `step "${ids.stepId}"` : `workflow "${ids.workflowId}"`;
  ctx.reporter.error(
    'arazzo/not-supported',
    `${where}: ${what} (Arazzo 1.1) is not supported yet by this runner`,
    {
      segments,
      ...ids,
    },
  );
}

function checkParameters(
  list: unknown[] | undefined,
  segments: Array<string | number>,
  ids: { workflowId?: string; stepId?: string },
  newer: Newer,
  ctx: CheckContext,
): void {
  (list ?? []).forEach((entry, index) => {
    if (isReusable(entry)) return;
    const parameter = entry as Omit<Parameter, 'in'> & { in?: string };
    const at = [...segments, index];
    if (parameter.in === 'querystring' || parameter.in === 'channel') {
      if (!newer([...at, 'in'], `"in: ${parameter.in}"`, ids))
        unsupported(ctx, [...at, 'in'], `a ${parameter.in} parameter`, ids);
    }
    if (isSelector(parameter.value) && !newer([...at, 'value'], 'a Selector Object', ids))
      unsupported(ctx, [...at, 'value'], 'a Selector Object parameter value', ids);
  });
}

function checkOutputs(
  outputs: Record<string, unknown> | undefined,
  segments: Array<string | number>,
  ids: { workflowId?: string; stepId?: string },
  newer: Newer,
  ctx: CheckContext,
): void {
  for (const [name, value] of Object.entries(outputs ?? {})) {
    if (isSelector(value) && !newer([...segments, name], 'a Selector Object', ids))
      unsupported(ctx, [...segments, name], `a Selector Object output ("${name}")`, ids);
  }
}
