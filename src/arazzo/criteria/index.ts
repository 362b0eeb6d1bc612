/**
 * Arazzo criteria: simple conditions, regex, JSONPath (strict and logical form), static checks.
 * Pure and deterministic; safe to import from Temporal workflow code.
 */
export type { ComparisonOperator, ConditionNode, LogicalOperator } from './condition-ast.js';
export type { ConditionOutcome } from './condition-evaluate.js';
export type { ParsedCondition } from './condition-parse.js';
export type { ConditionToken } from './condition-lexer.js';
export type { CriterionKind } from './criterion-type.js';
export type { CriteriaResult, CriterionResult } from './evaluate-criterion.js';
export type { CriterionIssue } from './check-criterion.js';
export type { JsonPathForm, JsonPathOutcome } from './jsonpath.js';
export type { Comparable, LogicalNode, PathSegment } from './jsonpath-logical-ast.js';
export type { ComparisonResult } from './loose-compare.js';
export type { RegexOutcome } from './regex.js';
export { conditionExpressions } from './condition-ast.js';
export { parseCondition, parseConditionDetailed } from './condition-parse.js';
export { evaluateCondition } from './condition-evaluate.js';
export { compareLoosely, looseEquals, looseOrder, isTruthy } from './loose-compare.js';
export { compileRegex, evaluateRegex } from './regex.js';
export { classifyJsonPath, evaluateJsonPath } from './jsonpath.js';
export { parseJsonPathLogical } from './jsonpath-logical-parse.js';
export { evaluateJsonPathLogical } from './jsonpath-logical-evaluate.js';
export { suggestSimpleCondition } from './suggest-simple.js';
export { criterionKind, JSONPATH_VERSIONS, XPATH_VERSIONS } from './criterion-type.js';
export { evaluateCriterion, evaluateCriteria } from './evaluate-criterion.js';
export { evaluateXPath, xpathSyntaxError } from './xpath.js';
export { evaluateGoessnerJsonPath, GOESSNER_VERSION } from './jsonpath-goessner.js';
export { checkCriterion } from './check-criterion.js';
