/**
 * The adoption request of a create call: how the activity finds an existing resource (an Airbyte
 * job) instead of creating a duplicate, built from the operation's `ResourceSpec.adopt` and the
 * run options against the same context as the create request itself.
 */
import type { ExpressionContext } from '../context.js';
import { resolveValue } from '../expressions/index.js';
import type { AdoptRequest } from '../machine/state.js';
import type { JsonValue } from '../model.js';
import type { ExecutionPlan, OperationPlan } from '../plan.js';
import type { HttpRequestSpec } from './serialize.js';
import { buildExtensionRequest, requestView, type Built } from './step-request.js';

/**
 * The adopt request of a call to `operation`, or `undefined` when the operation adopts nothing or
 * its lookup cannot be built (the create is then sent without adoption, as before adoption
 * existed). A `match` value that cannot be resolved is an error of the step (`field` names it).
 */
export function buildAdoptRequest(
  plan: ExecutionPlan,
  operation: OperationPlan,
  request: HttpRequestSpec,
  context: ExpressionContext,
): Built<AdoptRequest | undefined> {
  const adoptSpec = operation.resource?.adopt;
  if (!adoptSpec || !operation.resource) return { ok: true, value: undefined };
  const withRequest = { ...context, request: requestView(request) };
  const lookupOperation = plan.operations[adoptSpec.operation];
  const lookup = lookupOperation && buildExtensionRequest(lookupOperation, adoptSpec.parameters, withRequest);
  if (!lookup?.ok) return { ok: true, value: undefined };
  // The candidate fields that must equal ours (`/jobType` = the job type we ask for), resolved
  // against the create request so a reset is never adopted as our sync.
  const match: Record<string, JsonValue> = {};
  for (const [pointer, expression] of Object.entries(adoptSpec.match ?? {})) {
    const value = resolveValue(expression, withRequest);
    if (!value.ok) return { ok: false, field: `adopt.match["${pointer}"]`, message: value.reason };
    match[pointer] = value.value;
  }
  const settle = plan.options.createSettleSeconds;
  return {
    ok: true,
    value: {
      lookup: lookup.value,
      itemsPointer: adoptSpec.itemsPointer,
      idPointer: operation.resource.idPointer,
      statusPointer: operation.resource.statusPointer,
      activeStatuses: operation.resource.activeStatuses,
      terminalStatuses: operation.resource.terminalStatuses,
      conflictStatuses: adoptSpec.conflictStatuses,
      onConflict: plan.options.onConflict,
      ...(adoptSpec.createdAtPointer ? { createdAtPointer: adoptSpec.createdAtPointer } : {}),
      ...(adoptSpec.match ? { match } : {}),
      ...(adoptSpec.conflictMatch ? { conflictMatch: adoptSpec.conflictMatch } : {}),
      ...(adoptSpec.unorderedFallback ? { unorderedFallback: adoptSpec.unorderedFallback } : {}),
      ...(typeof settle === 'number' && settle > 0 ? { settleSeconds: settle } : {}),
    },
  };
}
