/**
 * Strings with embedded runtime expressions (`"Bearer {$steps.login.outputs.token}"`,
 * `{$sourceDescriptions.api.url}#/paths/~1jobs/post`).
 */
import type { ExpressionContext } from '../context.js';
import { ArazzoExpressionError } from '../errors.js';
import type { JsonValue } from '../model.js';
import type { ExpressionNode } from './ast.js';
import { evaluateExpression } from './evaluate.js';
import { parseExpressionAt, startsExpression } from './parse.js';
import { resolved, unresolved } from './resolution.js';
import type { Resolution } from './resolution.js';

/** One piece of a template: literal text, an embedded expression, or a broken one. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'expression'; node: ExpressionNode; start: number; end: number }
  | { kind: 'error'; text: string; error: ArazzoExpressionError; start: number; end: number };

/**
 * Splits a string into literal text and `{$...}` parts. `start`/`end` cover the braces. A `{`
 * not followed by `$` and a letter is literal text, so JSON and regex quantifiers pass through.
 */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '{' && startsExpression(text, i + 1)) {
      const part = readEmbedded(text, i);
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push(part);
      i = part.end;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return parts;
}

/** True when the string contains at least one embedded expression (well-formed or not). */
export function hasEmbeddedExpression(text: string): boolean {
  return splitTemplate(text).some((part) => part.kind !== 'text');
}

/**
 * Renders a template: every `{$...}` is replaced by its value (strings as they are, other scalars
 * stringified, objects and arrays as JSON).
 *
 * @returns the rendered string, or `ok: false` naming the first expression that is malformed or
 *   cannot be resolved.
 */
export function renderTemplate(text: string, ctx: ExpressionContext): Resolution {
  let out = '';
  for (const part of splitTemplate(text)) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'error':
        return unresolved(part.error.message);
      case 'expression': {
        const value = evaluateExpression(part.node, ctx);
        if (!value.ok) return value;
        out += stringifyEmbedded(value.value);
        break;
      }
    }
  }
  return resolved(out);
}

/** How a value appears inside a string: scalars as text, containers as JSON. */
export function stringifyEmbedded(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function readEmbedded(text: string, open: number): Exclude<TemplatePart, { kind: 'text' }> {
  try {
    const { node, end } = parseExpressionAt(text, open + 1, 'embedded');
    if (text[end] !== '}') {
      throw new ArazzoExpressionError(
        `Invalid runtime expression: expected "}" to close the embedded expression opened at position ${open} (at position ${end} in "${text}")`,
        text,
        end,
      );
    }
    return { kind: 'expression', node, start: open, end: end + 1 };
  } catch (error) {
    if (!(error instanceof ArazzoExpressionError)) throw error;
    // Resume after the next "}" so one broken expression does not hide the rest of the string.
    const close = text.indexOf('}', open);
    const end = close === -1 ? text.length : close + 1;
    return {
      kind: 'error',
      text: text.slice(open + 1, close === -1 ? text.length : close),
      error,
      start: open,
      end,
    };
  }
}
