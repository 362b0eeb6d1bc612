/**
 * The RFC 9535 logical-expression subset that seed documents write as a whole `jsonpath`
 * condition (`$.status == 'running' || $.status == 'pending'`): `$`-rooted singular paths,
 * literals, comparisons, `&&`, `||`, `!`, parentheses, and existence tests.
 */
import type { ComparisonOperator, LogicalOperator } from './condition-ast.js';

/** One singular-query segment: `.name` / `['name']`, or `[n]` (negative counts from the end). */
export type PathSegment = { kind: 'name'; name: string } | { kind: 'index'; index: number };

export type Comparable =
  { type: 'literal'; value: null | boolean | number | string } | { type: 'path'; segments: PathSegment[] };

export type LogicalNode =
  | { type: 'logical'; operator: LogicalOperator; left: LogicalNode; right: LogicalNode }
  | { type: 'not'; operand: LogicalNode }
  | { type: 'comparison'; operator: ComparisonOperator; left: Comparable; right: Comparable }
  /** A path on its own: true when it selects a node. */
  | { type: 'test'; segments: PathSegment[] };
