/**
 * Recursive-descent parser for Arazzo 1.0.1 runtime expressions, plus the project's leniency
 * (`.name` / `[n]` navigation after a value-bearing expression).
 *
 * The same parser reads an expression that is a whole string, one embedded in a template
 * (`{$...}`), and one that is an operand of a simple condition; the `mode` says which characters
 * end it, because the ABNF's `name = *( CHAR )` would otherwise swallow the rest of the text.
 */
import { ArazzoExpressionError } from '../errors.js';
import { parsePointer } from '../json-pointer.js';
import type { ComponentKind, ExpressionNode, MessageSource, NavigationStep, Selection } from './ast.js';

/** Where an expression sits, which decides what ends it. */
export type ScanMode = 'whole' | 'embedded' | 'condition';

const COMPONENT_KINDS: readonly ComponentKind[] = [
  'inputs',
  'parameters',
  'successActions',
  'failureActions',
];
const ROOTS =
  'url, method, statusCode, self, request, response, message, inputs, outputs, steps, workflows, sourceDescriptions, components';

/** RFC 7230 `tchar`, which the ABNF uses for header names. */
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** Characters that separate the parts of an expression and so never belong to a name. */
const STRUCTURAL = new Set(['.', '[', ']', '#', '{', '}']);
const CONDITION_TERMINATORS = new Set(['=', '!', '<', '>', '&', '|', '(', ')', '}', ',']);
const WHITESPACE = /\s/;

/**
 * Parses a string that must be exactly one runtime expression.
 *
 * @throws ArazzoExpressionError with the position of the first problem.
 */
export function parseExpression(text: string): ExpressionNode {
  const { node, end } = parseExpressionAt(text, 0, 'whole');
  if (end !== text.length) {
    throw syntaxError(text, end, `unexpected ${describeChar(text[end])} after the expression`);
  }
  return node;
}

/**
 * Parses one runtime expression starting at `start` (which must be a `$`) and returns where it
 * ends. Used by templates and condition parsers; positions in errors are indices into `source`.
 *
 * @throws ArazzoExpressionError on bad syntax.
 */
export function parseExpressionAt(
  source: string,
  start: number,
  mode: ScanMode,
): { node: ExpressionNode; end: number } {
  const parser = new ExpressionParser(source, start, mode);
  const node = parser.parseRoot();
  return { node, end: parser.pos };
}

/**
 * True when `text` at `index` looks like the start of an expression (`$` then a letter). Strings
 * such as `$100` or `$` alone are literal text, not broken expressions.
 */
export function startsExpression(text: string, index: number): boolean {
  return text[index] === '$' && /[A-Za-z]/.test(text[index + 1] ?? '');
}

class ExpressionParser {
  pos: number;

  constructor(
    private readonly source: string,
    private readonly start: number,
    private readonly mode: ScanMode,
  ) {
    this.pos = start;
  }

  parseRoot(): ExpressionNode {
    if (this.peek() !== '$') this.fail('a runtime expression starts with "$"');
    this.pos++;
    const rootStart = this.pos;
    while (/[A-Za-z]/.test(this.peek() ?? '')) this.pos++;
    const root = this.source.slice(rootStart, this.pos);
    switch (root) {
      case 'url':
      case 'method':
      case 'statusCode':
      case 'self':
        this.expectNoSelection(`$${root}`);
        return { type: root, text: this.text() };
      case 'request':
      case 'response':
      case 'message':
        return this.parseMessage(root);
      case 'inputs':
      case 'outputs': {
        this.expect('.', `"." and an ${root === 'inputs' ? 'input' : 'output'} name after "$${root}"`);
        const name = this.readName(`a name after "$${root}."`);
        const selection = this.parseSelection();
        return { type: root, name, ...selection, text: this.text() };
      }
      case 'steps':
        return this.parseSteps();
      case 'workflows':
        return this.parseWorkflows();
      case 'sourceDescriptions':
        return this.parseSourceDescriptions();
      case 'components':
        return this.parseComponents();
      default:
        this.pos = rootStart;
        return this.fail(`unknown runtime expression "$${root}" (expected one of ${ROOTS})`);
    }
  }

  private parseMessage(source: MessageSource): ExpressionNode {
    this.expect('.', `"." after "$${source}"`);
    const partStart = this.pos;
    while (/[a-z]/.test(this.peek() ?? '')) this.pos++;
    const part = this.source.slice(partStart, this.pos);
    switch (part) {
      case 'header': {
        this.expect('.', `"." and a header name after "$${source}.header"`);
        const name = this.readWhile((ch) => TCHAR.test(ch) && !this.isTerminator(ch), 'a header name');
        return { type: 'header', source, name, text: this.text() };
      }
      case 'query':
      case 'path': {
        if (source !== 'request') {
          this.pos = partStart;
          return this.fail(
            source === 'response'
              ? `"$response.${part}" does not exist (a response has header and body)`
              : `"$message.${part}" does not exist (a message has header and payload)`,
          );
        }
        this.expect('.', `"." and a parameter name after "$request.${part}"`);
        // Parameter values are strings, so navigation is pointless; let names such as
        // `filter[status]` or `page.size` through whole.
        const name = this.readWhile(
          (ch) => !this.isTerminator(ch) && ch !== '{' && ch !== '}',
          'a parameter name',
        );
        return { type: part, name, text: this.text() };
      }
      case 'payload':
      case 'body': {
        // Arazzo 1.1.0 ABNF: a message has a `payload`, requests and responses a `body`.
        if ((part === 'payload') !== (source === 'message')) {
          this.pos = partStart;
          return this.fail(
            source === 'message'
              ? 'a message has header and payload'
              : `expected header, query, path or body after "$${source}."`,
          );
        }
        const selection = this.parseSelection();
        return { type: 'body', source, ...selection, text: this.text() };
      }
      default:
        this.pos = partStart;
        return this.fail(`expected header, query, path or body after "$${source}."`);
    }
  }

  private parseSteps(): ExpressionNode {
    this.expect('.', '"." and a step id after "$steps"');
    const stepId = this.readName('a step id after "$steps."');
    this.expect('.', `".outputs.<name>" after "$steps.${stepId}"`);
    const fieldStart = this.pos;
    const field = this.readName(`"outputs" after "$steps.${stepId}."`);
    if (field !== 'outputs') {
      this.pos = fieldStart;
      this.fail(`only "$steps.${stepId}.outputs.<name>" is allowed, not "$steps.${stepId}.${field}"`);
    }
    this.expect('.', `"." and an output name after "$steps.${stepId}.outputs"`);
    const name = this.readName(`an output name after "$steps.${stepId}.outputs."`);
    const selection = this.parseSelection();
    return { type: 'steps', stepId, name, ...selection, text: this.text() };
  }

  private parseWorkflows(): ExpressionNode {
    this.expect('.', '"." and a workflow id after "$workflows"');
    const workflowId = this.readName('a workflow id after "$workflows."');
    this.expect('.', `".inputs.<name>" or ".outputs.<name>" after "$workflows.${workflowId}"`);
    const fieldStart = this.pos;
    const field = this.readName(`"inputs" or "outputs" after "$workflows.${workflowId}."`);
    if (field !== 'inputs' && field !== 'outputs') {
      this.pos = fieldStart;
      return this.fail(`expected "inputs" or "outputs" after "$workflows.${workflowId}.", not "${field}"`);
    }
    this.expect('.', `"." and a name after "$workflows.${workflowId}.${field}"`);
    const name = this.readName(`a name after "$workflows.${workflowId}.${field}."`);
    const selection = this.parseSelection();
    return { type: 'workflows', workflowId, field, name, ...selection, text: this.text() };
  }

  private parseSourceDescriptions(): ExpressionNode {
    this.expect('.', '"." and a source description name after "$sourceDescriptions"');
    const sourceName = this.readName('a source description name after "$sourceDescriptions."');
    this.expect('.', `"." and "url" or an operationId/workflowId after "$sourceDescriptions.${sourceName}"`);
    // operationIds may contain dots, so the reference runs to the end of the expression.
    const reference = this.readWhile(
      (ch) => !this.isTerminator(ch) && ch !== '#' && ch !== '{' && ch !== '}',
      `"url" or an operationId/workflowId after "$sourceDescriptions.${sourceName}."`,
    );
    return { type: 'sourceDescriptions', sourceName, reference, text: this.text() };
  }

  private parseComponents(): ExpressionNode {
    this.expect('.', '"." and a component kind after "$components"');
    const kindStart = this.pos;
    const kind = this.readName('a component kind after "$components."');
    if (!isComponentKind(kind)) {
      this.pos = kindStart;
      return this.fail(`unknown component kind "${kind}" (expected ${COMPONENT_KINDS.join(', ')})`);
    }
    this.expect('.', `"." and a name after "$components.${kind}"`);
    const name = this.readName(`a name after "$components.${kind}."`);
    const selection = this.parseSelection();
    return { type: 'components', kind, name, ...selection, text: this.text() };
  }

  /** `#/json/pointer`, or lenient `.name` / `[n]` steps; the pointer, if any, comes first. */
  private parseSelection(): Selection {
    const navigation: NavigationStep[] = [];
    let pointer: string | undefined;
    if (this.peek() === '#') {
      this.pos++;
      const pointerStart = this.pos;
      // In a whole string the pointer runs to the end: reference tokens may contain spaces.
      while (this.pos < this.source.length) {
        const ch = this.source[this.pos] as string;
        if (this.mode !== 'whole' && this.isTerminator(ch)) break;
        this.pos++;
      }
      pointer = this.source.slice(pointerStart, this.pos);
      try {
        parsePointer(pointer);
      } catch (error) {
        const inner = error instanceof ArazzoExpressionError ? error.position : 0;
        this.pos = pointerStart + inner;
        this.fail(error instanceof Error ? error.message : `invalid JSON Pointer "${pointer}"`);
      }
      return { pointer, navigation };
    }
    for (;;) {
      const ch = this.peek();
      if (ch === '.') {
        this.pos++;
        navigation.push({ kind: 'property', name: this.readName('a property name after "."') });
      } else if (ch === '[') {
        this.pos++;
        const digitsStart = this.pos;
        while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
        if (this.pos === digitsStart) this.fail('expected an array index (digits) after "["');
        const index = Number(this.source.slice(digitsStart, this.pos));
        this.expect(']', '"]" after the array index');
        navigation.push({ kind: 'index', index });
      } else if (ch === '#') {
        this.fail(
          'a JSON Pointer ("#/...") must come directly after the expression, before any ".name" or "[n]"',
        );
      } else {
        return { navigation };
      }
    }
  }

  private expectNoSelection(what: string): void {
    const ch = this.peek();
    if (ch === '.' || ch === '[' || ch === '#') {
      this.fail(`"${what}" is a single value and cannot be followed by "${ch}"`);
    }
  }

  private readName(what: string): string {
    return this.readWhile((ch) => !STRUCTURAL.has(ch) && !this.isTerminator(ch), what);
  }

  private readWhile(accept: (ch: string) => boolean, what: string): string {
    const begin = this.pos;
    while (this.pos < this.source.length && accept(this.source[this.pos] as string)) this.pos++;
    if (this.pos === begin) this.fail(`expected ${what}`);
    return this.source.slice(begin, this.pos);
  }

  private isTerminator(ch: string): boolean {
    if (WHITESPACE.test(ch)) return true;
    if (this.mode === 'embedded') return ch === '}';
    if (this.mode === 'condition') return CONDITION_TERMINATORS.has(ch);
    return false;
  }

  private expect(ch: string, what: string): void {
    if (this.peek() !== ch) this.fail(`expected ${what}`);
    this.pos++;
  }

  private peek(): string | undefined {
    return this.source[this.pos];
  }

  private text(): string {
    return this.source.slice(this.start, this.pos);
  }

  private fail(problem: string): never {
    throw syntaxError(this.source, this.pos, problem);
  }
}

function isComponentKind(kind: string): kind is ComponentKind {
  return (COMPONENT_KINDS as readonly string[]).includes(kind);
}

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of text';
  if (WHITESPACE.test(ch)) return 'whitespace';
  return `"${ch}"`;
}

function syntaxError(source: string, position: number, problem: string): ArazzoExpressionError {
  return new ArazzoExpressionError(
    `Invalid runtime expression: ${problem} (at position ${position} in "${source}")`,
    source,
    position,
  );
}
