/**
 * Runtime expressions in parameter values, request bodies and outputs: each one parses, and what
 * it names exists (steps and their declared outputs, inputs, workflows, sources, components).
 */
import { collectExpressions } from '../../arazzo/expressions/index.js';
import type { ExpressionNode } from '../../arazzo/expressions/index.js';
import type { JsonValue, Workflow } from '../../arazzo/model.js';
import { isReusable } from '../../arazzo/model.js';
import type { CheckContext } from './check-context.js';
import { workflowsOf } from './check-context.js';
import { componentMap } from '../components.js';
import { declaredInputs } from '../inputs/inputs-schema.js';
import { isRecord } from '../openapi/openapi-refs.js';

/** Where an expression is, and the workflow/step whose names it may use. */
interface Scope {
  workflow?: Workflow;
  stepId?: string;
}

/** Reports broken expressions and references to things that do not exist. */
export function checkExpressions(ctx: CheckContext): void {
  for (const { workflow, segments } of workflowsOf(ctx.doc)) {
    const scope = { workflow };
    (workflow.parameters ?? []).forEach((p, i) => {
      if (!isReusable(p)) checkValue(ctx, p.value, [...segments, 'parameters', i, 'value'], scope);
    });
    checkValue(ctx, (workflow.outputs ?? {}) as JsonValue, [...segments, 'outputs'], scope);
    workflow.steps.forEach((step, i) => {
      const at = [...segments, 'steps', i];
      const stepScope = { workflow, stepId: step.stepId };
      (step.parameters ?? []).forEach((p, j) => {
        const value = p.value;
        if (value !== undefined) checkValue(ctx, value, [...at, 'parameters', j, 'value'], stepScope);
      });
      if (step.requestBody) {
        if (step.requestBody.payload !== undefined)
          checkValue(ctx, step.requestBody.payload, [...at, 'requestBody', 'payload'], stepScope);
        (step.requestBody.replacements ?? []).forEach((r, j) =>
          checkValue(ctx, r.value, [...at, 'requestBody', 'replacements', j, 'value'], stepScope),
        );
      }
      checkValue(ctx, (step.outputs ?? {}) as JsonValue, [...at, 'outputs'], stepScope);
    });
  }
  const parameters = componentMap(ctx.doc, 'parameters') ?? {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (isRecord(parameter) && parameter.value !== undefined) {
      checkValue(ctx, parameter.value as JsonValue, ['components', 'parameters', name, 'value'], {});
    }
  }
}

function checkValue(
  ctx: CheckContext,
  value: JsonValue,
  segments: Array<string | number>,
  scope: Scope,
): void {
  for (const found of collectExpressions(value)) {
    const at = {
      segments: [...segments, ...found.path],
      ...(scope.workflow ? { workflowId: scope.workflow.workflowId } : {}),
      ...(scope.stepId !== undefined ? { stepId: scope.stepId } : {}),
    };
    if (found.error) {
      ctx.reporter.error(
        'arazzo/expression-invalid',
        `runtime expression "${found.text}" is invalid at offset ${found.error.position}: ${found.error.message}`,
        at,
      );
    } else if (found.node) {
      const problem = checkReference(ctx, found.node, scope);
      if (problem) ctx.reporter.add(problem.severity, problem.code, problem.message, at);
    }
  }
}

/** The problem with what an expression names, if any. Also used for criteria contexts. */
export function checkReference(
  ctx: CheckContext,
  node: ExpressionNode,
  scope: Scope,
): { severity: 'error' | 'warning'; code: string; message: string } | undefined {
  const { doc } = ctx;
  switch (node.type) {
    case 'steps': {
      if (!scope.workflow) return undefined; // components are shared: no workflow to check against
      const step = scope.workflow.steps.find((s) => s.stepId === node.stepId);
      if (!step)
        return {
          severity: 'error',
          code: 'arazzo/step-reference-missing',
          message: `"${node.text}": step "${node.stepId}" does not exist in workflow "${scope.workflow.workflowId}"`,
        };
      if (!Object.hasOwn(step.outputs ?? {}, node.name)) {
        return {
          severity: 'error',
          code: 'arazzo/step-output-missing',
          message: `"${node.text}": step "${node.stepId}" declares no output "${node.name}"`,
        };
      }
      return undefined;
    }
    case 'inputs': {
      if (!scope.workflow) return undefined;
      const declared = declaredInputs(doc, scope.workflow);
      if (declared.open || declared.properties.has(node.name)) return undefined;
      return {
        severity: 'warning',
        code: 'arazzo/input-undeclared',
        message: `"${node.text}": input "${node.name}" is not declared in the inputs schema of workflow "${scope.workflow.workflowId}"`,
      };
    }
    case 'workflows': {
      const workflow = doc.workflows.find((w) => w.workflowId === node.workflowId);
      if (!workflow)
        return {
          severity: 'error',
          code: 'arazzo/workflow-reference-missing',
          message: `"${node.text}": workflow "${node.workflowId}" does not exist`,
        };
      if (node.field === 'outputs' && !Object.hasOwn(workflow.outputs ?? {}, node.name)) {
        return {
          severity: 'error',
          code: 'arazzo/workflow-output-missing',
          message: `"${node.text}": workflow "${node.workflowId}" declares no output "${node.name}"`,
        };
      }
      return undefined;
    }
    case 'sourceDescriptions':
      return doc.sourceDescriptions.some((s) => s.name === node.sourceName)
        ? undefined
        : {
            severity: 'error',
            code: 'arazzo/source-missing',
            message: `"${node.text}": source description "${node.sourceName}" is not declared`,
          };
    case 'components':
      return Object.hasOwn(componentMap(doc, node.kind) ?? {}, node.name)
        ? undefined
        : {
            severity: 'error',
            code: 'arazzo/component-missing',
            message: `"${node.text}": component is not defined`,
          };
    default:
      return undefined;
  }
}
