/**
 * Parser for the RFC 9535 logical-expression form of `jsonpath` conditions (see
 * `jsonpath-logical-ast.ts`). Follows RFC 9535's `logical-expr` grammar restricted to `$`-rooted
 * singular queries; anything else is reported with a hint to write a strict query instead.
 */
import { ArazzoConditionError } from '../errors.js';
import type { ComparisonOperator } from './condition-ast.js';
import type { Comparable, LogicalNode, PathSegment } from './jsonpath-logical-ast.js';

const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['==', '!=', '<=', '>=', '<', '>'];
/** RFC 9535 §2.5.1.1 member-name-shorthand: name-first then name-chars. */
const NAME_FIRST = /[A-Za-z_\u0080-\uffff]/;
const NAME_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;
/** RFC 9535 §2.3.5.1 number. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** RFC 9535 blank space. */
const BLANK = /[ \t\n\r]/;
const STRICT_HINT = 'write a strict RFC 9535 query such as $[?...] instead';

/**
 * Parses a logical expression over `$`-rooted singular paths.
 *
 * @throws ArazzoConditionError with the position of the first problem.
 */
export function parseJsonPathLogical(text: string): LogicalNode {
  const parser = new LogicalParser(text);
  const node = parser.parseOr();
  parser.skipBlank();
  if (!parser.atEnd()) parser.fail(`unexpected "${text[parser.pos]}"`);
  return node;
}

class LogicalParser {
  pos = 0;

  constructor(private readonly text: string) {}

  parseOr(): LogicalNode {
    let left = this.parseAnd();
    while (this.eat('||')) left = { type: 'logical', operator: '||', left, right: this.parseAnd() };
    return left;
  }

  skipBlank(): void {
    while (BLANK.test(this.text[this.pos] ?? '')) this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: string, at = this.pos): never {
    throw new ArazzoConditionError(
      `Invalid JSONPath logical expression: ${problem} (at position ${at} in "${this.text}")`,
      this.text,
      at,
    );
  }

  private parseAnd(): LogicalNode {
    let left = this.parseBasic();
    while (this.eat('&&')) left = { type: 'logical', operator: '&&', left, right: this.parseBasic() };
    return left;
  }

  /** RFC 9535 basic-expr: paren-expr / comparison-expr / test-expr. */
  private parseBasic(): LogicalNode {
    this.skipBlank();
    if (this.eat('!')) {
      this.skipBlank();
      // RFC 9535 only negates a parenthesised expression or an existence test.
      if (this.eat('(')) return { type: 'not', operand: this.parseParenRest() };
      if (this.text[this.pos] === '$')
        return { type: 'not', operand: { type: 'test', segments: this.parsePath() } };
      return this.fail('"!" must be followed by "(" or a $ path');
    }
    if (this.eat('(')) return this.parseParenRest();
    const startOfLeft = this.pos;
    const left = this.parseComparable();
    this.skipBlank();
    const operator = COMPARISON_OPERATORS.find((op) => this.text.startsWith(op, this.pos));
    if (operator) {
      this.pos += operator.length;
      this.skipBlank();
      const right = this.parseComparable();
      return { type: 'comparison', operator, left, right };
    }
    if (left.type === 'path') return { type: 'test', segments: left.segments };
    return this.fail('a literal on its own is not a test; compare it with something', startOfLeft);
  }

  private parseParenRest(): LogicalNode {
    const inner = this.parseOr();
    this.skipBlank();
    if (!this.eat(')')) this.fail('expected ")"');
    return inner;
  }

  private parseComparable(): Comparable {
    this.skipBlank();
    const ch = this.text[this.pos];
    if (ch === '$') return { type: 'path', segments: this.parsePath() };
    if (ch === '@') return this.fail(`"@" only exists inside a filter [?...]; ${STRICT_HINT}`);
    if (ch === "'" || ch === '"') return { type: 'literal', value: this.parseString(ch) };
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number && number.index === this.pos) {
      this.pos += number[0].length;
      return { type: 'literal', value: Number(number[0]) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos) && !NAME_CHAR.test(this.text[this.pos + word.length] ?? '')) {
        this.pos += word.length;
        return { type: 'literal', value };
      }
    }
    if (/[a-z]/.test(ch ?? '')) {
      const word = /^[a-z][a-z0-9_]*/.exec(this.text.slice(this.pos))?.[0] ?? '';
      if (this.text[this.pos + word.length] === '(') {
        return this.fail(
          `function extensions such as ${word}() are not supported in this form; ${STRICT_HINT}`,
        );
      }
    }
    return this.fail(
      ch === undefined ? 'expected a value but the condition ended' : `expected a value, found "${ch}"`,
    );
  }

  /** A `$`-rooted singular query: `.name`, `['name']`, `["name"]`, `[n]`. */
  private parsePath(): PathSegment[] {
    this.pos++; // the "$"
    const segments: PathSegment[] = [];
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === '.') {
        if (this.text[this.pos + 1] === '.' || this.text[this.pos + 1] === '*') {
          this.fail(`only singular paths ($.a, $['a'], $[0]) can be compared; ${STRICT_HINT}`, this.pos + 1);
        }
        this.pos++;
        const begin = this.pos;
        if (!NAME_FIRST.test(this.text[this.pos] ?? '')) this.fail('expected a member name after "."');
        while (NAME_CHAR.test(this.text[this.pos] ?? '')) this.pos++;
        segments.push({ kind: 'name', name: this.text.slice(begin, this.pos) });
      } else if (ch === '[') {
        this.pos++;
        this.skipBlank();
        const quote = this.text[this.pos];
        if (quote === "'" || quote === '"') {
          segments.push({ kind: 'name', name: this.parseString(quote) });
        } else {
          const index = /^-?(?:0|[1-9][0-9]*)/.exec(this.text.slice(this.pos))?.[0];
          if (index === undefined || index === '-0') {
            this.fail(`only singular paths ($.a, $['a'], $[0]) can be compared; ${STRICT_HINT}`);
          }
          this.pos += index.length;
          segments.push({ kind: 'index', index: Number(index) });
        }
        this.skipBlank();
        if (!this.eat(']')) this.fail(`expected "]"; only singular paths can be compared, ${STRICT_HINT}`);
      } else {
        return segments;
      }
    }
  }

  /** RFC 9535 string literal with JSON-style escapes (`\'` inside single quotes). */
  private parseString(quote: "'" | '"'): string {
    const begin = this.pos;
    this.pos++;
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (ch === quote) {
        this.pos++;
        return value;
      }
      if (ch === '\\') {
        const next = this.text[this.pos + 1];
        const simple: Record<string, string> = {
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
          '/': '/',
          '\\': '\\',
        };
        if (next === quote) value += quote;
        else if (next !== undefined && next in simple) value += simple[next];
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          value += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 4;
        } else this.fail(`invalid escape "\\${next ?? ''}" in a string`);
        this.pos += 2;
        continue;
      }
      value += ch;
      this.pos++;
    }
    return this.fail(`unterminated string starting with ${quote}`, begin);
  }

  private eat(token: string): boolean {
    this.skipBlank();
    if (!this.text.startsWith(token, this.pos)) return false;
    // "!" must not swallow the first character of "!=".
    if (token === '!' && this.text[this.pos + 1] === '=') return false;
    this.pos += token.length;
    return true;
  }
}
