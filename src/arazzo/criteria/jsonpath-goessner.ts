/**
 * `jsonpath` criteria with version `draft-goessner-dispatch-jsonpath-00` (Arazzo 1.0.1 and 1.1.0,
 * Criterion Expression Type Object): Stefan Goessner's original JSONPath, whose filters are
 * `[?(@.price < 10)]` script expressions, evaluated with jsonpath-plus (maintained by the JSONPath
 * author's co-contributors; pure JavaScript). Its `eval: 'safe'` mode runs filters with its own
 * expression interpreter (jsep), never `eval`, `Function` or Node's `vm`, so it is deterministic and
 * fits Temporal's workflow sandbox; script evaluation of other kinds is refused. The condition
 * passes when the query selects at least one node, as for RFC 9535 queries.
 */
import { JSONPath } from 'jsonpath-plus';
import type { JsonValue } from '../model.js';

export const GOESSNER_VERSION = 'draft-goessner-dispatch-jsonpath-00';

export type GoessnerOutcome = { ok: true; value: boolean } | { ok: false; error: string };

/** Runs a Goessner JSONPath condition against the context value. Never throws. */
export function evaluateGoessnerJsonPath(condition: string, context: JsonValue): GoessnerOutcome {
  if (context === null) return { ok: false, error: 'the jsonpath context is null' };
  if (!condition.trimStart().startsWith('$'))
    return { ok: false, error: `JSONPath "${condition}" must start with $` };
  try {
    const found: unknown = JSONPath({
      path: condition,
      json: context as object,
      eval: 'safe',
      wrap: true,
      ignoreEvalErrors: false,
    });
    return { ok: true, value: Array.isArray(found) && found.length > 0 };
  } catch (error) {
    return {
      ok: false,
      error: `JSONPath (Goessner) "${condition}" failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
