/**
 * Evaluates Criterion objects: one at a time, or a list that is ANDed. Never throws: a criterion
 * that cannot be evaluated fails with the reason in `error` (Arazzo 1.1.0, "Evaluation Errors").
 */
import type { ExpressionContext } from '../context.js';
import { ArazzoError } from '../errors.js';
import {
  evaluateExpression,
  hasEmbeddedExpression,
  parseExpression,
  renderTemplate,
} from '../expressions/index.js';
import type { Criterion, JsonValue } from '../model.js';
import { evaluateCondition } from './condition-evaluate.js';
import { parseCondition } from './condition-parse.js';
import { criterionKind } from './criterion-type.js';
import { evaluateJsonPath } from './jsonpath.js';
import { evaluateGoessnerJsonPath, GOESSNER_VERSION } from './jsonpath-goessner.js';
import { evaluateXPath } from './xpath.js';
import { evaluateRegex } from './regex.js';

export interface CriterionResult {
  passed: boolean;
  error?: string;
}

export interface CriteriaResult {
  passed: boolean;
  /** Every criterion that did not pass, with its index in the list. */
  failures: Array<{ index: number; condition: string; error?: string }>;
}

/** Evaluates one criterion against the context of the current step. */
export function evaluateCriterion(criterion: Criterion, ctx: ExpressionContext): CriterionResult {
  const condition: unknown = criterion.condition;
  if (typeof condition !== 'string') return failed('the criterion has no condition string');
  const kind = criterionKind(criterion);
  switch (kind.kind) {
    case 'unknown':
      return failed(kind.problem);
    case 'simple':
      // A simple condition carries its own runtime expressions; `context` is not used.
      return guard(() => {
        const outcome = evaluateCondition(parseCondition(condition), ctx);
        return outcome.ok ? { passed: outcome.value } : failed(outcome.error);
      });
    case 'regex':
    case 'jsonpath':
    case 'xpath':
      return guard(() => {
        const context = resolveContext(criterion, kind.kind, ctx);
        if (!context.ok) return failed(context.error);
        // 1.1.0: expressions embedded as {$...} are substituted before the condition is run.
        const rendered = hasEmbeddedExpression(condition) ? renderTemplate(condition, ctx) : undefined;
        if (rendered && !rendered.ok) return failed(rendered.reason);
        const text = rendered?.ok ? String(rendered.value) : condition;
        const outcome =
          kind.kind === 'regex'
            ? evaluateRegex(text, context.value)
            : kind.kind === 'xpath'
              ? evaluateXPath(text, context.value)
              : kind.version === GOESSNER_VERSION
                ? evaluateGoessnerJsonPath(text, context.value)
                : evaluateJsonPath(text, context.value);
        return outcome.ok ? { passed: outcome.value } : failed(outcome.error);
      });
  }
}

/**
 * Evaluates a list of criteria, all of which must pass. Every criterion is evaluated so that all
 * failures are reported. An absent or empty list passes.
 */
export function evaluateCriteria(list: Criterion[] | undefined, ctx: ExpressionContext): CriteriaResult {
  const failures: CriteriaResult['failures'] = [];
  (list ?? []).forEach((criterion, index) => {
    const result = evaluateCriterion(criterion, ctx);
    if (result.passed) return;
    const condition =
      typeof criterion.condition === 'string' ? criterion.condition : String(criterion.condition);
    failures.push({ index, condition, ...(result.error !== undefined && { error: result.error }) });
  });
  return { passed: failures.length === 0, failures };
}

function resolveContext(
  criterion: Criterion,
  kind: 'regex' | 'jsonpath' | 'xpath',
  ctx: ExpressionContext,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (typeof criterion.context !== 'string')
    return { ok: false, error: `a ${kind} criterion needs a context` };
  const result = evaluateExpression(parseExpression(criterion.context), ctx);
  return result.ok ? result : { ok: false, error: `context ${result.reason}` };
}

/** Syntax errors surface as ArazzoErrors; they make the criterion fail rather than escape. */
function guard(run: () => CriterionResult): CriterionResult {
  try {
    return run();
  } catch (error) {
    if (error instanceof ArazzoError) return failed(error.message);
    throw error;
  }
}

function failed(error: string): CriterionResult {
  return { passed: false, error };
}
