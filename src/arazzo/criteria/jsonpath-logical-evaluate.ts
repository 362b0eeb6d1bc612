/**
 * Evaluates the RFC 9535 logical-expression form against a context value, with RFC 9535
 * comparison semantics (§2.3.5.2.2): exact, case-sensitive, no type coercion; a path that selects
 * nothing equals only another path that selects nothing.
 */
import type { JsonValue } from '../model.js';
import type { ComparisonOperator } from './condition-ast.js';
import { jsonEquals } from './json-equals.js';
import type { Comparable, LogicalNode, PathSegment } from './jsonpath-logical-ast.js';

/** True iff the logical expression holds with `$` bound to `root`. */
export function evaluateJsonPathLogical(node: LogicalNode, root: JsonValue): boolean {
  switch (node.type) {
    case 'logical': {
      const left = evaluateJsonPathLogical(node.left, root);
      return node.operator === '&&'
        ? left && evaluateJsonPathLogical(node.right, root)
        : left || evaluateJsonPathLogical(node.right, root);
    }
    case 'not':
      return !evaluateJsonPathLogical(node.operand, root);
    case 'test':
      return select(root, node.segments) !== undefined;
    case 'comparison':
      return compare(node.operator, comparableValue(node.left, root), comparableValue(node.right, root));
  }
}

/** `undefined` stands for RFC 9535's "Nothing" (an empty nodelist). */
function comparableValue(comparable: Comparable, root: JsonValue): JsonValue | undefined {
  return comparable.type === 'literal' ? comparable.value : select(root, comparable.segments);
}

function select(root: JsonValue, segments: PathSegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const segment of segments) {
    if (current === undefined) return undefined;
    if (segment.kind === 'name') {
      const holder: JsonValue = current;
      current =
        holder !== null &&
        typeof holder === 'object' &&
        !Array.isArray(holder) &&
        Object.prototype.hasOwnProperty.call(holder, segment.name)
          ? holder[segment.name]
          : undefined;
    } else {
      current = Array.isArray(current)
        ? current[segment.index < 0 ? current.length + segment.index : segment.index]
        : undefined;
    }
  }
  return current;
}

function compare(operator: ComparisonOperator, a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  switch (operator) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
      return less(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>':
      return less(b, a);
    case '>=':
      return less(b, a) || equal(a, b);
  }
}

function equal(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return jsonEquals(a, b);
}

/** RFC 9535: only numbers and strings are ordered; strings by Unicode scalar values. */
function less(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) < 0;
  return false;
}

function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = ((left[i] as string).codePointAt(0) ?? 0) - ((right[i] as string).codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
