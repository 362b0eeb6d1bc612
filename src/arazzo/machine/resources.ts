/**
 * The server-side resources (Airbyte jobs) a run tracks: created or adopted by a step, observed by
 * a read, cancelled at most once. Pure: the driver sends the requests these functions choose.
 */
import type { ExpressionContext } from '../context.js';
import { getByPointer } from '../json-pointer.js';
import type { JsonValue } from '../model.js';
import type { ExecutionPlan, OperationPlan } from '../plan.js';
import { buildExtensionRequest } from '../request/index.js';
import type { AdoptRequest, RunState, StepResponse, TrackedResource } from './state.js';

/**
 * Whether a resource in `status` still runs, the one rule of adoption, conflict waits and cancels:
 * with terminal statuses declared, anything not terminal is active (so statuses the server added
 * later, Airbyte's `queued`, still count); without them (absent or an empty list, which declares
 * nothing), only `activeStatuses` are.
 */
export function isActiveStatus(
  status: string,
  spec: Pick<AdoptRequest, 'activeStatuses' | 'terminalStatuses'>,
): boolean {
  if (spec.terminalStatuses?.length) return !spec.terminalStatuses.includes(status);
  return spec.activeStatuses.includes(status);
}

/** Updates tracked resources from a response, and starts tracking one the step created. */
export function trackResources(
  plan: ExecutionPlan,
  state: RunState,
  stepId: string,
  operation: OperationPlan | undefined,
  response: StepResponse,
  context: ExpressionContext,
): { resources: TrackedResource[]; notes: string[] } {
  const notes: string[] = [];
  const statusOf = (spec: { statusPointer: string }) => {
    const status = getByPointer(response.body, spec.statusPointer);
    return status.ok && typeof status.value === 'string' ? status.value : undefined;
  };
  const resources = state.resources.map((resource) => {
    const spec = plan.operations[resource.operation]?.resource;
    if (!spec) return resource;
    const id = getByPointer(response.body, spec.idPointer);
    if (!id.ok || JSON.stringify(id.value) !== JSON.stringify(resource.id)) return resource;
    const status = statusOf(spec);
    if (status === undefined) return resource;
    return { ...resource, status, seenBy: stepId, terminal: spec.terminalStatuses.includes(status) };
  });

  const spec = operation?.resource;
  if (spec && operation && response.statusCode >= 200 && response.statusCode < 300) {
    const id = getByPointer(response.body, spec.idPointer);
    if (id.ok) {
      const status = statusOf(spec);
      const cancelOperation = spec.cancel && plan.operations[spec.cancel.operation];
      const cancel =
        cancelOperation && spec.cancel
          ? buildExtensionRequest(cancelOperation, spec.cancel.parameters, context)
          : undefined;
      if (cancel && !cancel.ok)
        notes.push(`step ${stepId}: cannot build the cancel request: ${cancel.message}`);
      const readOperation = spec.read && plan.operations[spec.read.operation];
      const read =
        readOperation && spec.read
          ? buildExtensionRequest(readOperation, spec.read.parameters, context)
          : undefined;
      if (read && !read.ok) notes.push(`step ${stepId}: cannot build the read request: ${read.message}`);
      const tracked: TrackedResource = {
        kind: spec.kind,
        stepId,
        operation: operation.key,
        id: id.value,
        ...(status ? { status } : {}),
        terminal: status !== undefined && spec.terminalStatuses.includes(status),
        ...(cancel?.ok ? { cancel: cancel.value } : {}),
        ...(read?.ok ? { read: read.value } : {}),
        ...(response.adopted ? { adopted: response.adopted.reason } : {}),
      };
      if (response.adopted) {
        notes.push(
          `step ${stepId}: adopted existing ${spec.kind} ${JSON.stringify(id.value)} (${response.adopted.reason})`,
        );
      }
      const others = resources.filter((r) => !sameResource(r, operation.key, id.value));
      resources.splice(0, resources.length, ...others, tracked);
    }
  }

  // A read of a resource this run did not create (wait-for-job): tracked for the failure policy, never cancelled.
  const observedKey = operation?.observes;
  const observedSpec = observedKey === undefined ? undefined : plan.operations[observedKey]?.resource;
  if (observedKey && observedSpec && response.statusCode >= 200 && response.statusCode < 300) {
    const id = getByPointer(response.body, observedSpec.idPointer);
    if (id.ok && !resources.some((r) => sameResource(r, observedKey, id.value))) {
      const status = statusOf(observedSpec);
      resources.push({
        kind: observedSpec.kind,
        stepId,
        operation: observedKey,
        id: id.value,
        ...(status ? { status } : {}),
        terminal: status !== undefined && observedSpec.terminalStatuses.includes(status),
      });
    }
  }
  for (const resource of resources) {
    const rspec = plan.operations[resource.operation]?.resource;
    if (
      rspec &&
      resource.status !== undefined &&
      !resource.terminal &&
      !rspec.activeStatuses.includes(resource.status)
    ) {
      notes.push(
        `${resource.kind} ${String(resource.id)} reports unknown status '${resource.status}': treated as still running`,
      );
    }
  }
  return { resources, notes };
}

function sameResource(resource: TrackedResource, operation: string, id: JsonValue): boolean {
  return resource.operation === operation && JSON.stringify(resource.id) === JSON.stringify(id);
}

/**
 * Resources created by this run that were last seen still active and were not cancelled yet.
 * With `ownOnly`, a resource attached to after a conflict (Airbyte: a sync that was already
 * running, maybe a scheduled one) is not ours to cancel: it is left out unless `cancelAdopted`.
 * A resource found again after an unknown outcome is ours (the lookup only takes one created
 * after our request went out, of our type).
 */
export function cancellableResources(
  state: RunState,
  policy: { ownOnly: boolean; cancelAdopted: boolean } = { ownOnly: false, cancelAdopted: true },
): TrackedResource[] {
  return state.resources.filter(
    (r) =>
      !r.terminal &&
      !r.cancelSent &&
      r.cancel !== undefined &&
      !(policy.ownOnly && !policy.cancelAdopted && r.adopted === 'conflict'),
  );
}

/**
 * Feeds the answer of the read sent right before a cancel: the resource's status as it is now.
 * Returns the updated state and whether the resource still runs (so the cancel may be sent).
 * An answer without a readable status counts as still running (the cancel is then sent as before).
 */
export function observeBeforeCancel(
  plan: ExecutionPlan,
  state: RunState,
  resource: TrackedResource,
  response: StepResponse,
): { state: RunState; stillActive: boolean } {
  const spec = plan.operations[resource.operation]?.resource;
  if (!spec || response.statusCode < 200 || response.statusCode > 299) return { state, stillActive: true };
  const status = getByPointer(response.body, spec.statusPointer);
  if (!status.ok || typeof status.value !== 'string') return { state, stillActive: true };
  const terminal = spec.terminalStatuses.includes(status.value);
  const updated: RunState = {
    ...state,
    resources: state.resources.map((r) =>
      sameResource(r, resource.operation, resource.id)
        ? { ...r, status: status.value as string, terminal }
        : r,
    ),
  };
  return { state: updated, stillActive: !terminal };
}

/** Marks a resource's cancel request as sent (it is never sent twice). */
export function markCancelSent(
  state: RunState,
  resource: TrackedResource,
  response?: StepResponse,
  plan?: ExecutionPlan,
): RunState {
  return {
    ...state,
    resources: state.resources.map((r) => {
      if (!sameResource(r, resource.operation, resource.id)) return r;
      let updated: TrackedResource = { ...r, cancelSent: true };
      const spec = plan?.operations[r.operation]?.resource;
      if (response && spec) {
        const status = getByPointer(response.body, spec.statusPointer);
        if (status.ok && typeof status.value === 'string') {
          updated = {
            ...updated,
            status: status.value,
            terminal: spec.terminalStatuses.includes(status.value),
          };
        }
      }
      return updated;
    }),
  };
}
