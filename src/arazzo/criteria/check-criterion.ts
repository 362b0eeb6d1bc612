/**
 * Static checks of a Criterion for the document validator: everything that can be known before a
 * run (syntax, regex compilation, context shape, unsupported types), plus portability warnings.
 */
import { ArazzoError } from '../errors.js';
import { parseExpression, splitTemplate } from '../expressions/index.js';
import type { Criterion } from '../model.js';
import type { ConditionNode } from './condition-ast.js';
import { parseConditionDetailed } from './condition-parse.js';
import { JSONPATH_VERSIONS, XPATH_VERSIONS, criterionKind } from './criterion-type.js';
import { GOESSNER_VERSION } from './jsonpath-goessner.js';
import { xpathSyntaxError } from './xpath.js';
import { classifyJsonPath } from './jsonpath.js';
import { compileRegex } from './regex.js';
import { suggestSimpleCondition } from './suggest-simple.js';

export interface CriterionIssue {
  severity: 'error' | 'warning';
  field: 'condition' | 'context' | 'type';
  message: string;
}

/** Checks one criterion without evaluating it. An empty list means nothing to report. */
export function checkCriterion(criterion: Criterion): CriterionIssue[] {
  const issues: CriterionIssue[] = [];
  const error = (field: CriterionIssue['field'], message: string): void => {
    issues.push({ severity: 'error', field, message });
  };
  const warning = (field: CriterionIssue['field'], message: string): void => {
    issues.push({ severity: 'warning', field, message });
  };

  const kind = criterionKind(criterion);
  const condition: unknown = criterion.condition;
  const context: unknown = criterion.context;

  if (typeof condition !== 'string' || condition.trim() === '')
    error('condition', 'condition must be a non-empty string');
  if (context !== undefined) {
    if (typeof context !== 'string') error('context', 'context must be a runtime expression string');
    else {
      try {
        parseExpression(context);
      } catch (problem) {
        error('context', `context must be a runtime expression: ${messageOf(problem)}`);
      }
    }
  }

  switch (kind.kind) {
    case 'unknown':
      error('type', kind.problem);
      return issues;
    case 'xpath':
      if (kind.version !== undefined && !XPATH_VERSIONS.includes(kind.version)) {
        warning('type', `unknown xpath version "${kind.version}" (expected ${XPATH_VERSIONS.join(', ')})`);
      }
      if (context === undefined) error('context', 'an xpath criterion needs a context (e.g. $response.body)');
      if (typeof condition === 'string' && checkEmbedded(condition, error)) {
        const problem = xpathSyntaxError(condition);
        if (problem !== undefined) error('condition', problem);
      }
      return issues;
    case 'simple':
      if (kind.explicit && context === undefined) {
        warning(
          'context',
          'the spec requires a context whenever type is given; simple conditions do not use it',
        );
      }
      if (typeof condition === 'string') checkSimple(condition, error, warning);
      return issues;
    case 'regex':
    case 'jsonpath':
      if (context === undefined)
        error('context', `a ${kind.kind} criterion needs a context (e.g. $response.body)`);
      if (kind.kind === 'jsonpath' && kind.version !== undefined) {
        if (!JSONPATH_VERSIONS.includes(kind.version)) {
          warning(
            'type',
            `unknown jsonpath version "${kind.version}" (expected ${JSONPATH_VERSIONS.join(' or ')})`,
          );
        }
      }
      if (typeof condition !== 'string') return issues;
      if (!checkEmbedded(condition, error)) return issues;
      if (kind.kind === 'regex') {
        const regex = compileRegex(condition);
        if (typeof regex === 'string') error('condition', regex);
      } else {
        // Goessner JSONPath is its own dialect (script filters); RFC 9535 rules do not apply to it.
        if (kind.version !== GOESSNER_VERSION)
          checkJsonPath(condition, typeof context === 'string' ? context : undefined, error, warning);
        else if (!condition.trimStart().startsWith('$'))
          error('condition', `JSONPath "${condition}" must start with $`);
      }
      return issues;
  }
}

type Report = (field: CriterionIssue['field'], message: string) => void;

function checkSimple(condition: string, error: Report, warning: Report): void {
  try {
    const parsed = parseConditionDetailed(condition);
    if (parsed.braceWrapped)
      warning(
        'condition',
        'write the condition without the surrounding {} (simple conditions use runtime expressions directly)',
      );
    if (usesDoubleQuotes(parsed.node)) {
      warning(
        'condition',
        "strings in conditions use single quotes ('running'); double quotes are accepted by this runner only",
      );
    }
  } catch (problem) {
    error('condition', messageOf(problem));
  }
}

/**
 * Embedded `{$...}` parts are substituted at run time, so the final text cannot be checked now;
 * check the expressions themselves. Returns true when there are none and the text can be checked.
 */
function checkEmbedded(condition: string, error: Report): boolean {
  const parts = splitTemplate(condition);
  for (const part of parts) if (part.kind === 'error') error('condition', part.error.message);
  return parts.every((part) => part.kind === 'text');
}

function checkJsonPath(condition: string, context: string | undefined, error: Report, warning: Report): void {
  const form = classifyJsonPath(condition);
  if (form.kind === 'invalid') {
    error('condition', form.error);
    return;
  }
  if (form.kind === 'query') return;
  const simple = context === undefined ? undefined : suggestSimpleCondition(form.node, context);
  const alternatives = [
    ...(simple === undefined ? [] : [`a simple condition: ${simple}`]),
    `the strict query $[?${condition.trim()}] (it selects the context's members when the expression holds, so it passes for a non-empty object), or $[?@.x == ...] on an array context`,
  ];
  warning(
    'condition',
    `"${condition}" is not an RFC 9535 query but a logical expression over the context. This runner evaluates it against the context value; strict runners reject it. Portable spellings: ${alternatives.join('; or ')}.`,
  );
}

function usesDoubleQuotes(node: ConditionNode): boolean {
  switch (node.type) {
    case 'literal':
      return node.quote === '"';
    case 'expression':
      return false;
    case 'not':
      return usesDoubleQuotes(node.operand);
    case 'logical':
    case 'comparison':
      return usesDoubleQuotes(node.left) || usesDoubleQuotes(node.right);
  }
}

function messageOf(problem: unknown): string {
  if (problem instanceof ArazzoError || problem instanceof Error) return problem.message;
  return String(problem);
}
