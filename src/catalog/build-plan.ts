/**
 * Building the {@link ExecutionPlan} for one workflow: everything the Temporal workflow needs,
 * resolved now so that workflow code never reads files or OpenAPI descriptions.
 */
import { extensionValue } from '../arazzo/extensions.js';
import type {
  ArazzoDocument,
  FailureAction,
  ReusableObject,
  SuccessAction,
  Workflow,
} from '../arazzo/model.js';
import { isReusable } from '../arazzo/model.js';
import type { ExecutionPlan, OperationPlan, RunOptions } from '../arazzo/plan.js';
import { resolveComponent } from './components.js';
import { hasErrors } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { CatalogError } from './errors.js';
import type { LoadedArazzoDocument } from './load.js';
import {
  listOperations,
  operationParameters,
  operationRequestBody,
  operationServerUrl,
} from './openapi/openapi-operations.js';
import type { OpenApiOperation } from './openapi/openapi-operations.js';
import { resolveStepOperation } from './openapi/resolve-operation.js';
import { OBSERVES_EXTENSION, operationKey, parseResourceSpec } from './openapi/resource-spec.js';
import { checkRunOptions, layerRunOptions, RUN_OPTIONS_KEY } from '../arazzo/options.js';
import { validateDocument } from './checks/validate-document.js';

/** Options for {@link buildExecutionPlan}. */
export interface PlanOptions {
  /** Worker-level run option defaults, below the document's and workflow's `x-temporal`. */
  defaults?: Partial<RunOptions>;
  /** Diagnostics already computed for `loaded` (the catalog passes them to avoid validating twice). */
  diagnostics?: Diagnostic[];
}

/**
 * Builds the plan for `workflowId`, including the operations of every workflow it can reach
 * (sub-workflow steps, `goto` a workflow, `dependsOn`) and of resource cancel/adopt operations.
 *
 * @throws CatalogError when the document has errors, the workflow does not exist, or it reaches a
 *   workflow of another Arazzo document (not supported by the runner yet).
 */
export function buildExecutionPlan(
  loaded: LoadedArazzoDocument,
  workflowId: string,
  options: PlanOptions = {},
): ExecutionPlan {
  const diagnostics = options.diagnostics ?? validateDocument(loaded);
  if (hasErrors(diagnostics) || !loaded.document) {
    throw new CatalogError(
      'catalog/document-invalid',
      `${loaded.file} has errors; no plan can be built`,
      diagnostics,
    );
  }
  const doc = loaded.document;
  const workflow = doc.workflows.find((w) => w.workflowId === workflowId);
  if (!workflow)
    throw new CatalogError(
      'catalog/workflow-not-found',
      `workflow "${workflowId}" is not defined in ${loaded.file}`,
    );
  const operations: Record<string, OperationPlan> = {};
  const stepOperations: Record<string, string> = {};
  for (const reached of reachableWorkflows(doc, workflow)) {
    for (const step of reached.steps) {
      // A receive step has no HTTP operation: the notification receiver delivers its message.
      if (step.action === 'receive') continue;
      const resolution = resolveStepOperation(loaded, step);
      if (!resolution) continue;
      if (!resolution.ok)
        throw new CatalogError(
          'catalog/operation-unresolved',
          `step "${reached.workflowId}/${step.stepId}": operation cannot be resolved`,
        );
      const { sourceName, operation } = resolution.value;
      stepOperations[`${reached.workflowId}/${step.stepId}`] = addOperation(
        operations,
        sourceName,
        operation,
      );
    }
  }
  const documentOptions = checkRunOptions(extensionValue(doc, RUN_OPTIONS_KEY)).options;
  const workflowOptions = checkRunOptions(extensionValue(workflow, RUN_OPTIONS_KEY)).options;
  return {
    planVersion: 1,
    documentPath: loaded.file,
    documentHash: loaded.hash,
    // A copy: the plan goes into workflow history and must not change if the catalog's object does.
    document: structuredClone(doc),
    workflowId,
    operations,
    stepOperations,
    sourceUrls: Object.fromEntries(doc.sourceDescriptions.map((s) => [s.name, s.url])),
    options: layerRunOptions(options.defaults, documentOptions, workflowOptions),
  };
}

/** Adds an operation (and, through its resource extension, the operations that extension names). */
function addOperation(
  operations: Record<string, OperationPlan>,
  sourceName: string,
  operation: OpenApiOperation,
): string {
  const key = operationKey(sourceName, operation);
  if (operations[key]) return key;
  const body = operationRequestBody(operation);
  const serverUrl = operationServerUrl(operation);
  const plan: OperationPlan = {
    key,
    sourceName,
    method: operation.method.toUpperCase(),
    path: operation.path,
    parameters: operationParameters(operation).flatMap((p) => (p.ok ? [p.parameter] : [])),
    ...(operation.operationId !== undefined ? { operationId: operation.operationId } : {}),
    ...(serverUrl !== undefined ? { serverUrl } : {}),
    ...(body ? { requestBody: body } : {}),
  };
  operations[key] = plan;
  const resource = parseResourceSpec(sourceName, operation);
  if (resource.spec) {
    plan.resource = resource.spec;
    for (const related of resource.operations) addOperation(operations, sourceName, related);
  }
  const observed = observedOperation(operation);
  if (observed) plan.observes = addOperation(operations, sourceName, observed);
  return key;
}

/**
 * `x-temporal-observes: <operationId>`: this operation reads what that one creates (Airbyte
 * `getJob` reads a `createJob` job), so a run can track a job it did not start.
 */
function observedOperation(operation: OpenApiOperation): OpenApiOperation | undefined {
  const raw = extensionValue(operation.operation.value, OBSERVES_EXTENSION);
  if (typeof raw !== 'string') return undefined;
  return listOperations(operation.api).find((o) => o.operationId === raw);
}

/** The workflow and every local workflow it can run, in discovery order. */
function reachableWorkflows(doc: ArazzoDocument, start: Workflow): Workflow[] {
  const found = new Map<string, Workflow>([[start.workflowId, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const workflow = queue.shift()!;
    for (const target of referencedWorkflows(doc, workflow)) {
      if (found.has(target)) continue;
      const next = doc.workflows.find((w) => w.workflowId === target);
      if (!next) {
        throw new CatalogError(
          'catalog/cross-document-workflow',
          `workflow "${workflow.workflowId}" uses "${target}" from another document, which the runner does not support yet`,
        );
      }
      found.set(target, next);
      queue.push(next);
    }
  }
  return [...found.values()];
}

function referencedWorkflows(doc: ArazzoDocument, workflow: Workflow): string[] {
  const actions = (
    list: Array<SuccessAction | FailureAction | ReusableObject> | undefined,
    kind: 'successActions' | 'failureActions',
  ): string[] =>
    (list ?? []).flatMap((entry) => {
      const action = isReusable(entry) ? resolved(doc, entry.reference, kind) : entry;
      return action?.workflowId !== undefined ? [action.workflowId] : [];
    });
  return [
    ...(workflow.dependsOn ?? []),
    ...actions(workflow.successActions, 'successActions'),
    ...actions(workflow.failureActions, 'failureActions'),
    ...workflow.steps.flatMap((step) => [
      ...(step.workflowId !== undefined ? [step.workflowId] : []),
      ...actions(step.onSuccess, 'successActions'),
      ...actions(step.onFailure, 'failureActions'),
    ]),
  ];
}

function resolved(
  doc: ArazzoDocument,
  reference: string,
  kind: 'successActions' | 'failureActions',
): SuccessAction | undefined {
  const result = resolveComponent(doc, reference, kind);
  return result.ok ? (result.value as unknown as SuccessAction) : undefined;
}
