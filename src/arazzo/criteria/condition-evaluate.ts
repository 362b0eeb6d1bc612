/**
 * Evaluates a parsed `simple` condition. Any evaluation problem (an operand that cannot be
 * resolved, values that cannot be ordered) makes the condition fail with the problem reported,
 * as Arazzo 1.1.0 requires; `&&` and `||` short-circuit like in most languages.
 */
import type { ExpressionContext } from '../context.js';
import { evaluateExpression } from '../expressions/index.js';
import type { JsonValue } from '../model.js';
import type { ConditionNode } from './condition-ast.js';
import { compareLoosely, isTruthy } from './loose-compare.js';

export type ConditionOutcome = { ok: true; value: boolean } | { ok: false; error: string };

/** Evaluates a condition tree to pass/fail, or to the first evaluation error. */
export function evaluateCondition(node: ConditionNode, ctx: ExpressionContext): ConditionOutcome {
  try {
    return { ok: true, value: isTruthy(valueOf(node, ctx)) };
  } catch (error) {
    if (error instanceof EvaluationProblem) return { ok: false, error: error.message };
    throw error;
  }
}

/** Internal signal that unwinds the recursion on the first evaluation problem. */
class EvaluationProblem extends Error {}

function valueOf(node: ConditionNode, ctx: ExpressionContext): JsonValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'expression': {
      const result = evaluateExpression(node.expression, ctx);
      if (!result.ok) throw new EvaluationProblem(result.reason);
      return result.value;
    }
    case 'not':
      return !isTruthy(valueOf(node.operand, ctx));
    case 'logical': {
      const left = isTruthy(valueOf(node.left, ctx));
      if (node.operator === '&&' ? !left : left) return left;
      return isTruthy(valueOf(node.right, ctx));
    }
    case 'comparison': {
      const result = compareLoosely(node.operator, valueOf(node.left, ctx), valueOf(node.right, ctx));
      if (!result.ok) throw new EvaluationProblem(result.reason);
      return result.value;
    }
  }
}
