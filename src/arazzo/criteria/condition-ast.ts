/**
 * The syntax tree of a `simple` criterion condition (`$statusCode == 200 && $response.body#/ok`).
 * Positions are indices into the condition text.
 */
import type { ExpressionNode } from '../expressions/index.js';

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOperator = '&&' | '||';

interface Span {
  start: number;
  end: number;
}

export type ConditionNode =
  | (Span & { type: 'literal'; value: null | boolean | number | string; quote?: "'" | '"' })
  | (Span & { type: 'expression'; expression: ExpressionNode; braced: boolean })
  | (Span & { type: 'not'; operand: ConditionNode })
  | (Span & { type: 'logical'; operator: LogicalOperator; left: ConditionNode; right: ConditionNode })
  | (Span & { type: 'comparison'; operator: ComparisonOperator; left: ConditionNode; right: ConditionNode });

/** Every runtime expression used as an operand, in source order (for reference checks). */
export function conditionExpressions(node: ConditionNode): ExpressionNode[] {
  switch (node.type) {
    case 'literal':
      return [];
    case 'expression':
      return [node.expression];
    case 'not':
      return conditionExpressions(node.operand);
    case 'logical':
    case 'comparison':
      return [...conditionExpressions(node.left), ...conditionExpressions(node.right)];
  }
}
