/**
 * Rewrites a JSONPath logical-form condition as the equivalent-in-spirit `simple` condition, for
 * the validator's suggestion (`$.status == 'running'` on context `$response.body` becomes
 * `$response.body#/status == 'running'`). Simple conditions compare strings case-insensitively,
 * so this is a hint to show a person, not a transformation applied at run time.
 */
import { escapePointerToken } from '../json-pointer.js';
import { parseExpression } from '../expressions/index.js';
import type { ExpressionNode } from '../expressions/index.js';
import type { Comparable, LogicalNode, PathSegment } from './jsonpath-logical-ast.js';

/** The simple-condition spelling, or undefined when the context or a path cannot be expressed. */
export function suggestSimpleCondition(node: LogicalNode, context: string): string | undefined {
  let contextNode: ExpressionNode;
  try {
    contextNode = parseExpression(context);
  } catch {
    return undefined;
  }
  if (!('navigation' in contextNode)) return undefined;
  const base = contextNode;
  const toOperand = (segments: PathSegment[]): string | undefined => {
    if (segments.some((segment) => segment.kind === 'index' && segment.index < 0)) return undefined;
    if (base.navigation.length > 0) {
      if (segments.some((segment) => segment.kind === 'name' && !/^[A-Za-z0-9_-]+$/.test(segment.name)))
        return undefined;
      return base.text + segments.map((s) => (s.kind === 'index' ? `[${s.index}]` : `.${s.name}`)).join('');
    }
    if (segments.length === 0) return base.text;
    const prefix = base.pointer === undefined ? base.text : base.text.slice(0, base.text.lastIndexOf('#'));
    const tokens = segments.map(
      (s) => `/${escapePointerToken(s.kind === 'index' ? String(s.index) : s.name)}`,
    );
    return `${prefix}#${base.pointer ?? ''}${tokens.join('')}`;
  };
  return print(node, 0, toOperand);
}

type OperandPrinter = (segments: PathSegment[]) => string | undefined;

function precedence(node: LogicalNode): number {
  if (node.type === 'logical') return node.operator === '||' ? 1 : 2;
  return node.type === 'not' ? 4 : 3;
}

function print(node: LogicalNode, minimum: number, operand: OperandPrinter): string | undefined {
  let text: string | undefined;
  switch (node.type) {
    case 'logical': {
      const own = precedence(node);
      const left = print(node.left, own, operand);
      const right = print(node.right, own, operand);
      text = left !== undefined && right !== undefined ? `${left} ${node.operator} ${right}` : undefined;
      break;
    }
    case 'not': {
      // In simple conditions "!" binds tighter than "==", so a negated comparison needs parentheses.
      const inner = print(node.operand, 4, operand);
      text = inner === undefined ? undefined : `!${inner}`;
      break;
    }
    case 'test': {
      const path = operand(node.segments);
      text = path === undefined ? undefined : `${path} != null`;
      break;
    }
    case 'comparison': {
      const left = printComparable(node.left, operand);
      const right = printComparable(node.right, operand);
      text = left !== undefined && right !== undefined ? `${left} ${node.operator} ${right}` : undefined;
      break;
    }
  }
  if (text === undefined) return undefined;
  return precedence(node) < minimum ? `(${text})` : text;
}

function printComparable(comparable: Comparable, operand: OperandPrinter): string | undefined {
  if (comparable.type === 'path') return operand(comparable.segments);
  const value = comparable.value;
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}
