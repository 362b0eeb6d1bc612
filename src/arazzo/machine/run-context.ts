/**
 * The expression context of a run: what `$inputs`, `$steps`, `$workflows`, `$sourceDescriptions`
 * and `$components` see, plus the exchange being judged, and the outputs evaluated against it.
 */
import type { ExpressionContext } from '../context.js';
import { evaluateExpression } from '../expressions/index.js';
import type { JsonObject } from '../model.js';
import type { ExecutionPlan } from '../plan.js';
import type { RunState } from './state.js';

/** The expression context of the run, plus the exchange being judged. */
export function contextFor(
  plan: ExecutionPlan,
  state: RunState,
  exchange: Pick<ExpressionContext, 'request' | 'response' | 'outputs' | 'message'> = {},
): ExpressionContext {
  const sourceDescriptions: NonNullable<ExpressionContext['sourceDescriptions']> = {};
  for (const [name, url] of Object.entries(plan.sourceUrls)) sourceDescriptions[name] = { url, names: [] };
  return {
    inputs: state.inputs,
    steps: state.steps,
    workflows: state.workflows,
    sourceDescriptions,
    ...(typeof plan.document.$self === 'string' ? { self: plan.document.$self } : {}),
    components: (plan.document.components ?? {}) as unknown as JsonObject,
    ...exchange,
  };
}

/** Evaluates an outputs map; an output that cannot be resolved (its step never ran) is absent, not an error. */
export function evaluateOutputs(
  outputs: Record<string, string> | undefined,
  context: ExpressionContext,
): JsonObject {
  const result: JsonObject = {};
  for (const [name, expression] of Object.entries(outputs ?? {})) {
    try {
      const value = evaluateExpression(expression, context);
      if (value.ok) result[name] = value.value;
    } catch {
      // A syntax error was reported by validation before the run; here it just leaves the output absent.
    }
  }
  return result;
}
