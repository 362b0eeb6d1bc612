/**
 * Finds every runtime expression inside a JSON value, for static validation.
 */
import { ArazzoExpressionError } from '../errors.js';
import type { JsonValue } from '../model.js';
import type { ExpressionNode } from './ast.js';
import { parseExpression, startsExpression } from './parse.js';
import { splitTemplate } from './template.js';

/** One expression found in a value: parsed (`node`) or broken (`error`), and where it was. */
export interface CollectedExpression {
  /** The expression text, without the `{}` of an embedded expression. */
  text: string;
  node?: ExpressionNode;
  error?: ArazzoExpressionError;
  /** Keys and indices from the value's root to the string holding the expression. */
  path: (string | number)[];
  /** True when the expression was embedded in a longer string as `{$...}`. */
  embedded: boolean;
}

/**
 * Lists every expression in `value`: strings that are one whole expression, and `{$...}` parts of
 * template strings. A string that starts like an expression (`$` and a letter) but does not
 * parse is reported with its error, unless it is a template, whose parts are reported instead.
 */
export function collectExpressions(value: JsonValue): CollectedExpression[] {
  const found: CollectedExpression[] = [];
  walk(value, [], found);
  return found;
}

function walk(value: JsonValue, path: (string | number)[], found: CollectedExpression[]): void {
  if (typeof value === 'string') {
    collectFromString(value, path, found);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, index], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walk(item, [...path, key], found);
  }
}

function collectFromString(text: string, path: (string | number)[], found: CollectedExpression[]): void {
  let wholeError: ArazzoExpressionError | undefined;
  if (startsExpression(text, 0)) {
    try {
      found.push({ text, node: parseExpression(text), path, embedded: false });
      return;
    } catch (error) {
      if (!(error instanceof ArazzoExpressionError)) throw error;
      wholeError = error;
    }
  }
  const parts = splitTemplate(text).filter((part) => part.kind !== 'text');
  if (parts.length === 0) {
    if (wholeError) found.push({ text, error: wholeError, path, embedded: false });
    return;
  }
  for (const part of parts) {
    if (part.kind === 'expression')
      found.push({ text: part.node.text, node: part.node, path, embedded: true });
    else if (part.kind === 'error') found.push({ text: part.text, error: part.error, path, embedded: true });
  }
}
