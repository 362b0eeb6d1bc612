/**
 * Tokens of a `simple` condition. Runtime expressions are read by the expression parser in
 * `condition` mode, which stops at whitespace and operator characters.
 */
import { ArazzoConditionError, ArazzoExpressionError } from '../errors.js';
import { parseExpressionAt } from '../expressions/index.js';
import type { ExpressionNode } from '../expressions/index.js';

export type OperatorText = '==' | '!=' | '<' | '<=' | '>' | '>=' | '!' | '&&' | '||' | '(' | ')';

export type ConditionToken = { start: number; end: number } & (
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string; quote: "'" | '"' }
  | { kind: 'keyword'; value: null | boolean }
  | { kind: 'expression'; node: ExpressionNode; braced: boolean }
  | { kind: 'operator'; value: OperatorText }
  | { kind: 'end' }
);

const OPERATORS: readonly OperatorText[] = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'];
/** JSON number syntax, which Arazzo's data types build on. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Tokenizes `text` between `from` and `to` (positions stay relative to the whole text).
 *
 * @throws ArazzoConditionError on an unknown character, an unterminated string or a bare word;
 *   ArazzoExpressionError errors from operands are rethrown as condition errors.
 */
export function tokenizeCondition(text: string, from = 0, to = text.length): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  let i = from;
  while (i < to) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '$') {
      const { node, end } = readOperand(text, i, 'condition');
      tokens.push({ kind: 'expression', node, braced: false, start: i, end });
      i = end;
      continue;
    }
    if (ch === '{' && text[i + 1] === '$') {
      // `{$statusCode} == 200`: the embedded-expression spelling used as an operand.
      const { node, end } = readOperand(text, i + 1, 'embedded');
      if (text[end] !== '}') fail(text, end, 'expected "}" to close the embedded expression');
      tokens.push({ kind: 'expression', node, braced: true, start: i, end: end + 1 });
      i = end + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const token = readString(text, i, to, ch);
      tokens.push(token);
      i = token.end;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = /[-0-9]/.test(ch) ? NUMBER.exec(text) : null;
    if (number && number.index === i && !/[A-Za-z0-9_.]/.test(text[i + number[0].length] ?? '')) {
      tokens.push({ kind: 'number', value: Number(number[0]), start: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let end = i;
      while (end < to && /[A-Za-z0-9_-]/.test(text[end] as string)) end++;
      const word = text.slice(i, end);
      if (word === 'true' || word === 'false')
        tokens.push({ kind: 'keyword', value: word === 'true', start: i, end });
      else if (word === 'null') tokens.push({ kind: 'keyword', value: null, start: i, end });
      else fail(text, i, `unexpected word "${word}" (strings need single quotes: '${word}')`);
      i = end;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i) && i + op.length <= to);
    if (operator) {
      tokens.push({ kind: 'operator', value: operator, start: i, end: i + operator.length });
      i += operator.length;
      continue;
    }
    if (ch === '=') fail(text, i, 'use "==" to compare ("=" alone is not an operator)');
    if (ch === '&' || ch === '|') fail(text, i, `use "${ch}${ch}" ("${ch}" alone is not an operator)`);
    fail(text, i, `unexpected character "${ch}"`);
  }
  tokens.push({ kind: 'end', start: to, end: to });
  return tokens;
}

function readOperand(
  text: string,
  start: number,
  mode: 'condition' | 'embedded',
): { node: ExpressionNode; end: number } {
  try {
    return parseExpressionAt(text, start, mode);
  } catch (error) {
    if (error instanceof ArazzoExpressionError) {
      throw new ArazzoConditionError(
        `Invalid condition: ${stripPrefix(error.message)}`,
        text,
        error.position,
      );
    }
    throw error;
  }
}

/** Single quotes per the spec (`''` escapes one); double quotes accepted leniently (`\"`, `\\`). */
function readString(text: string, start: number, to: number, quote: "'" | '"'): ConditionToken {
  let value = '';
  let i = start + 1;
  while (i < to) {
    const ch = text[i] as string;
    if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { kind: 'string', value, quote, start, end: i + 1 };
    }
    if (quote === '"' && ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return fail(text, start, `unterminated string starting with ${quote}`);
}

function stripPrefix(message: string): string {
  return message.replace(/^Invalid runtime expression: /, 'invalid runtime expression: ');
}

function fail(text: string, position: number, problem: string): never {
  throw new ArazzoConditionError(
    `Invalid condition: ${problem} (at position ${position} in "${text}")`,
    text,
    position,
  );
}
