/**
 * `jsonpath` criteria, in the two forms this project runs (docs: reference/arazzo.md):
 *
 * 1. Strict (RFC 9535): when `condition` parses as a JSONPath query, it is run with the context
 *    value as its root, and a non-empty nodelist passes.
 * 2. Logical form: otherwise, when `condition` parses as an RFC 9535 logical expression over
 *    `$`-rooted singular paths (`$.status == 'running' || $.status == 'pending'`, as the seed
 *    documents write), it passes iff the expression holds with `$` bound to the context value.
 *
 * Anything else is an error, and the criterion fails. The order matters: a text that is a valid
 * query (`$.status`) is always run strictly, so the rule never changes what a strict runner does.
 */
import { query } from 'jsonpath-rfc9535';
import parseJsonPathQuery from 'jsonpath-rfc9535/parser';
import { ArazzoConditionError } from '../errors.js';
import type { JsonValue } from '../model.js';
import type { LogicalNode } from './jsonpath-logical-ast.js';
import { evaluateJsonPathLogical } from './jsonpath-logical-evaluate.js';
import { parseJsonPathLogical } from './jsonpath-logical-parse.js';

/** Which form a `jsonpath` condition is in. */
export type JsonPathForm =
  { kind: 'query' } | { kind: 'logical'; node: LogicalNode } | { kind: 'invalid'; error: string };

export type JsonPathOutcome =
  { ok: true; value: boolean; form: 'query' | 'logical' } | { ok: false; error: string };

/** Decides how a `jsonpath` condition will be run (see the module comment for the rule). */
export function classifyJsonPath(condition: string): JsonPathForm {
  let queryError: string;
  try {
    parseJsonPathQuery(condition);
    return { kind: 'query' };
  } catch (error) {
    queryError = error instanceof Error ? error.message : String(error);
  }
  try {
    return { kind: 'logical', node: parseJsonPathLogical(condition) };
  } catch (error) {
    if (!(error instanceof ArazzoConditionError)) throw error;
    // Report the logical-form error when the text looks like one (it has operators), else the
    // query parser's, which is more helpful for a malformed query.
    const looksLogical =
      /==|!=|<|>|&&|\|\||^\s*!/.test(condition) && !condition.trimStart().startsWith('$[?');
    return {
      kind: 'invalid',
      error: looksLogical ? error.message : `Invalid JSONPath query "${condition}": ${queryError}`,
    };
  }
}

/** Runs a `jsonpath` condition against the context value. Never throws. */
export function evaluateJsonPath(condition: string, context: JsonValue): JsonPathOutcome {
  // 1.1.0: a null context makes a jsonpath condition fail.
  if (context === null) return { ok: false, error: 'the jsonpath context is null' };
  const form = classifyJsonPath(condition);
  switch (form.kind) {
    case 'invalid':
      return { ok: false, error: form.error };
    case 'logical':
      return { ok: true, value: evaluateJsonPathLogical(form.node, context), form: 'logical' };
    case 'query':
      try {
        return { ok: true, value: query(context, condition).length > 0, form: 'query' };
      } catch (error) {
        return {
          ok: false,
          error: `JSONPath query "${condition}" failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
  }
}
