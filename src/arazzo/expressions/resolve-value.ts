/**
 * Resolves parameter values, payloads and replacement values: JSON in which strings may be
 * runtime expressions or templates.
 */
import type { ExpressionContext } from '../context.js';
import { escapePointerToken } from '../json-pointer.js';
import type { JsonValue } from '../model.js';
import type { ExpressionNode } from './ast.js';
import { evaluateExpression } from './evaluate.js';
import { parseExpression, startsExpression } from './parse.js';
import { resolved, unresolved } from './resolution.js';
import type { Resolution } from './resolution.js';
import { hasEmbeddedExpression, renderTemplate } from './template.js';

/**
 * Resolves a value recursively: a string that is exactly one runtime expression becomes the
 * (typed) value it refers to; a string with `{$...}` becomes the rendered string; any other string
 * and all non-strings are literal. Object keys are never resolved.
 *
 * @returns the resolved copy, or `ok: false` with the first failure, prefixed with its location
 *   (e.g. `at /jobType: $inputs.jobType: no input "jobType" was supplied`).
 */
export function resolveValue(value: JsonValue, ctx: ExpressionContext): Resolution {
  return resolveAt(value, ctx, '');
}

/**
 * Parses a string as a whole-string runtime expression, or returns undefined when it is not one
 * (a literal, a template, or text such as `$100`). Strings that start like an expression but do
 * not parse are literals here; {@link collectExpressions} reports them to the validator.
 */
export function parseWholeExpression(text: string): ExpressionNode | undefined {
  if (!startsExpression(text, 0)) return undefined;
  try {
    return parseExpression(text);
  } catch {
    return undefined;
  }
}

function resolveAt(value: JsonValue, ctx: ExpressionContext, where: string): Resolution {
  if (typeof value === 'string') {
    const node = parseWholeExpression(value);
    const result = node
      ? evaluateExpression(node, ctx)
      : hasEmbeddedExpression(value)
        ? renderTemplate(value, ctx)
        : resolved(value);
    return result.ok || where === '' ? result : unresolved(`at ${where}: ${result.reason}`);
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const [index, item] of value.entries()) {
      const r = resolveAt(item, ctx, `${where}/${index}`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return resolved(out);
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      const r = resolveAt(item, ctx, `${where}/${escapePointerToken(key)}`);
      if (!r.ok) return r;
      Object.defineProperty(out, key, {
        value: r.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return resolved(out);
  }
  return resolved(value);
}
