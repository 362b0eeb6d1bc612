/**
 * Arazzo runtime expressions: parse, evaluate, render templates, resolve values, collect for
 * validation. Pure and deterministic; safe to import from Temporal workflow code.
 */
export type {
  ComponentKind,
  ExpressionNode,
  ExpressionType,
  MessageSource,
  NavigationStep,
  Selection,
} from './ast.js';
export type { Resolution } from './resolution.js';
export type { ScanMode } from './parse.js';
export type { TemplatePart } from './template.js';
export type { CollectedExpression } from './collect.js';
export { parseExpression, parseExpressionAt, startsExpression } from './parse.js';
export { evaluateExpression } from './evaluate.js';
export { renderTemplate, splitTemplate, hasEmbeddedExpression, stringifyEmbedded } from './template.js';
export { resolveValue, parseWholeExpression } from './resolve-value.js';
export { collectExpressions } from './collect.js';
export { resolved, unresolved } from './resolution.js';
