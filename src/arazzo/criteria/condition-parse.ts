/**
 * Recursive-descent parser for `simple` criterion conditions. Precedence, loosest first:
 * `||`, `&&`, comparison (not chainable), `!`, operand / parentheses.
 */
import { ArazzoConditionError } from '../errors.js';
import type { ComparisonOperator, ConditionNode } from './condition-ast.js';
import { tokenizeCondition } from './condition-lexer.js';
import type { ConditionToken } from './condition-lexer.js';

const COMPARISON_OPERATORS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

/** A parsed condition plus how it was spelled, for the validator's warnings. */
export interface ParsedCondition {
  node: ConditionNode;
  /** The whole condition was wrapped in `{}` (`{$statusCode == 401}`, as a spec example does). */
  braceWrapped: boolean;
}

/**
 * Parses a simple condition.
 *
 * @throws ArazzoConditionError with the position of the first problem.
 */
export function parseCondition(text: string): ConditionNode {
  return parseConditionDetailed(text).node;
}

/** {@link parseCondition}, also reporting whether the spec example's `{...}` wrapping was used. */
export function parseConditionDetailed(text: string): ParsedCondition {
  try {
    return { node: parseRange(text, 0, text.length), braceWrapped: false };
  } catch (error) {
    // The 1.0.1 spec's components example writes `{$statusCode == 401}`; accept that spelling.
    const open = text.indexOf('{');
    const close = text.lastIndexOf('}');
    const wrapped =
      error instanceof ArazzoConditionError &&
      open >= 0 &&
      text.slice(0, open).trim() === '' &&
      close === text.trimEnd().length - 1 &&
      close > open;
    if (!wrapped) throw error;
    try {
      return { node: parseRange(text, open + 1, close), braceWrapped: true };
    } catch {
      throw error;
    }
  }
}

function parseRange(text: string, from: number, to: number): ConditionNode {
  if (text.slice(from, to).trim() === '') fail(text, from, 'the condition is empty');
  const parser = new ConditionParser(text, tokenizeCondition(text, from, to));
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

class ConditionParser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: ConditionToken[],
  ) {}

  parseOr(): ConditionNode {
    let left = this.parseAnd();
    while (this.isOperator('||')) {
      this.index++;
      const right = this.parseAnd();
      left = { type: 'logical', operator: '||', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') this.fail(token, `unexpected ${describe(token, this.text)}`);
  }

  private parseAnd(): ConditionNode {
    let left = this.parseComparison();
    while (this.isOperator('&&')) {
      this.index++;
      const right = this.parseComparison();
      left = { type: 'logical', operator: '&&', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseComparison(): ConditionNode {
    const left = this.parseUnary();
    const token = this.peek();
    if (token.kind !== 'operator' || !COMPARISON_OPERATORS.includes(token.value)) return left;
    this.index++;
    const right = this.parseUnary();
    const next = this.peek();
    if (next.kind === 'operator' && COMPARISON_OPERATORS.includes(next.value)) {
      this.fail(next, `comparisons cannot be chained; combine them with && or ||`);
    }
    const operator = token.value as ComparisonOperator;
    return { type: 'comparison', operator, left, right, start: left.start, end: right.end };
  }

  private parseUnary(): ConditionNode {
    const token = this.peek();
    if (token.kind === 'operator' && token.value === '!') {
      this.index++;
      const operand = this.parseUnary();
      return { type: 'not', operand, start: token.start, end: operand.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'number':
        return { type: 'literal', value: token.value, start: token.start, end: token.end };
      case 'string':
        return {
          type: 'literal',
          value: token.value,
          quote: token.quote,
          start: token.start,
          end: token.end,
        };
      case 'keyword':
        return { type: 'literal', value: token.value, start: token.start, end: token.end };
      case 'expression':
        return {
          type: 'expression',
          expression: token.node,
          braced: token.braced,
          start: token.start,
          end: token.end,
        };
      case 'operator':
        if (token.value === '(') {
          const inner = this.parseOr();
          const close = this.peek();
          if (!(close.kind === 'operator' && close.value === ')')) {
            this.fail(close, `expected ")" to close the "(" at position ${token.start}`);
          }
          this.index++;
          return { ...inner, start: token.start, end: close.end };
        }
        return this.fail(token, `expected a value but found "${token.value}"`);
      case 'end':
        return this.fail(token, 'expected a value but the condition ended');
    }
  }

  private isOperator(value: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.value === value;
  }

  private peek(): ConditionToken {
    // The lexer always ends the list with an `end` token, and the parser never moves past it.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)] as ConditionToken;
  }

  private fail(token: ConditionToken, problem: string): never {
    return fail(this.text, token.start, problem);
  }
}

function describe(token: ConditionToken, text: string): string {
  return token.kind === 'end' ? 'end of condition' : `"${text.slice(token.start, token.end)}"`;
}

function fail(text: string, position: number, problem: string): never {
  throw new ArazzoConditionError(
    `Invalid condition: ${problem} (at position ${position} in "${text}")`,
    text,
    position,
  );
}
