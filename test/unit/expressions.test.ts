/**
 * Focused tests for runtime expressions where the corpus shape does not fit: error objects,
 * positions in larger texts, immutability, and the workflow-sandbox constraints.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ExpressionContext } from '../../src/arazzo/context.js';
import { ArazzoError, ArazzoExpressionError } from '../../src/arazzo/errors.js';
import {
  collectExpressions,
  evaluateExpression,
  parseExpression,
  parseExpressionAt,
  parseWholeExpression,
  resolveValue,
  splitTemplate,
  startsExpression,
} from '../../src/arazzo/expressions/index.js';
import { setByPointer } from '../../src/arazzo/json-pointer.js';
import type { JsonValue } from '../../src/arazzo/model.js';

const ctx: ExpressionContext = {
  inputs: { connectionId: 'c-1', jobType: 'sync' },
  steps: { triggerJob: { outputs: { jobId: 42 } } },
  response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { status: 'running' } },
};

void describe('ArazzoExpressionError', () => {
  void it('carries code, expression, position and is an ArazzoError', () => {
    let caught: unknown;
    try {
      parseExpression('$steps.pollJob.status');
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ArazzoExpressionError);
    assert.ok(caught instanceof ArazzoError);
    assert.equal(caught.code, 'ARAZZO_EXPRESSION');
    assert.equal(caught.name, 'ArazzoExpressionError');
    assert.equal(caught.expression, '$steps.pollJob.status');
    assert.equal(caught.position, '$steps.pollJob.'.length);
  });
});

void describe('evaluateExpression', () => {
  void it('accepts a parsed node and gives the same result as the text', () => {
    const node = parseExpression('$steps.triggerJob.outputs.jobId');
    assert.deepEqual(
      evaluateExpression(node, ctx),
      evaluateExpression('$steps.triggerJob.outputs.jobId', ctx),
    );
    assert.deepEqual(evaluateExpression(node, ctx), { ok: true, value: 42 });
  });

  void it('throws ArazzoExpressionError for bad text, never for missing data', () => {
    assert.throws(() => evaluateExpression('$nope', ctx), ArazzoExpressionError);
    const empty: ExpressionContext = { inputs: {}, steps: {} };
    for (const text of [
      '$url',
      '$method',
      '$statusCode',
      '$request.body',
      '$response.header.x',
      '$outputs.a',
      '$workflows.w.inputs.a',
      '$sourceDescriptions.s.url',
      '$components.inputs.a',
      '$request.query.q',
    ]) {
      const result = evaluateExpression(text, empty);
      assert.equal(result.ok, false, text);
      if (!result.ok) assert.ok(result.reason.startsWith(`${text}: `), result.reason);
    }
  });
});

void describe('parseExpressionAt', () => {
  void it('stops at operators in condition mode', () => {
    const text = "$response.body#/status=='running'";
    const { node, end } = parseExpressionAt(text, 0, 'condition');
    assert.equal(end, '$response.body#/status'.length);
    assert.equal(node.type, 'body');
  });

  void it('stops at } in embedded mode and reports positions in the whole text', () => {
    const text = 'id={$inputs.connectionId}';
    assert.equal(parseExpressionAt(text, 4, 'embedded').end, text.length - 1);
    assert.throws(
      () => parseExpressionAt('x {$steps.a.b}', 3, 'embedded'),
      (error: unknown) => error instanceof ArazzoExpressionError && error.position === 12,
    );
  });

  void it('lets a whole-string pointer contain spaces', () => {
    assert.deepEqual(parseExpression('$response.body#/a b'), {
      type: 'body',
      source: 'response',
      pointer: '/a b',
      navigation: [],
      text: '$response.body#/a b',
    });
  });
});

void describe('startsExpression and parseWholeExpression', () => {
  void it('treats "$" plus a letter as an expression start only', () => {
    assert.equal(startsExpression('$inputs.a', 0), true);
    assert.equal(startsExpression('$100', 0), false);
    assert.equal(startsExpression('$', 0), false);
    assert.equal(startsExpression('a$b', 1), true);
  });

  void it('returns undefined for literals and broken expressions', () => {
    assert.equal(parseWholeExpression('$100'), undefined);
    assert.equal(parseWholeExpression('$inputs.a b'), undefined);
    assert.equal(parseWholeExpression('$inputs.a')?.type, 'inputs');
  });
});

void describe('splitTemplate', () => {
  void it('returns text, expression and error parts with brace spans', () => {
    const parts = splitTemplate('a {$inputs.x} b {$bad} c');
    assert.deepEqual(
      parts.map((part) => part.kind),
      ['text', 'expression', 'text', 'error', 'text'],
    );
    const expression = parts[1];
    assert.ok(expression?.kind === 'expression');
    assert.equal(expression.start, 2);
    assert.equal(expression.end, 13);
  });
});

void describe('resolveValue', () => {
  void it('returns a copy and never mutates its input', () => {
    const payload: JsonValue = { connectionId: '$inputs.connectionId', nested: ['$inputs.jobType'] };
    const before = JSON.stringify(payload);
    const result = resolveValue(payload, ctx);
    assert.deepEqual(result, { ok: true, value: { connectionId: 'c-1', nested: ['sync'] } });
    assert.equal(JSON.stringify(payload), before);
  });

  void it('keeps a "__proto__" key as data, not as a prototype', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": "$inputs.connectionId"}}') as JsonValue;
    const result = resolveValue(payload, ctx);
    assert.ok(result.ok);
    const value = result.value as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(value, '__proto__'));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

void describe('collectExpressions', () => {
  void it('marks embedded expressions', () => {
    const found = collectExpressions({ a: '$inputs.x', b: 'v={$inputs.y}' });
    assert.deepEqual(
      found.map((f) => [f.text, f.embedded]),
      [
        ['$inputs.x', false],
        ['$inputs.y', true],
      ],
    );
  });
});

void describe('setByPointer', () => {
  void it('shares untouched branches but never the changed path', () => {
    const doc = { a: { b: 1 }, c: { d: 2 } };
    const out = setByPointer(doc, '/a/b', 3) as typeof doc;
    assert.equal(out.c, doc.c);
    assert.notEqual(out.a, doc.a);
    assert.equal(doc.a.b, 1);
  });
});

void describe('workflow sandbox constraints', () => {
  const root = new URL('../../src/arazzo/', import.meta.url);
  const files = [
    'errors.ts',
    'json-pointer.ts',
    ...readdirSync(new URL('expressions/', root)).map((f) => `expressions/${f}`),
    ...readdirSync(new URL('criteria/', root)).map((f) => `criteria/${f}`),
  ].filter((f) => f.endsWith('.ts'));

  for (const file of files) {
    void it(`${file} uses no Node built-ins or non-deterministic APIs`, () => {
      const source = readFileSync(new URL(file, root), 'utf8');
      assert.doesNotMatch(source, /from ['"](node:|fs|path|crypto|os|http|https|child_process)['"/]/);
      assert.doesNotMatch(source, /\beval\(|new Function\b|Date\.now|Math\.random|new Date\(/);
      assert.doesNotMatch(source, /^export \*/m);
    });
  }

  void it('jsonpath-rfc9535 imports nothing outside itself', () => {
    const dist = new URL('../../node_modules/jsonpath-rfc9535/dist/esm/', import.meta.url);
    const walk = (dir: URL): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? walk(new URL(`${entry.name}/`, dir))
          : entry.name.endsWith('.js')
            ? [new URL(entry.name, dir).pathname]
            : [],
      );
    const sources = walk(dist);
    assert.ok(sources.length > 10);
    for (const file of sources) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        assert.ok(match[1]?.startsWith('.'), `${file} imports ${match[1]}`);
      }
      assert.doesNotMatch(source, /\beval\(|new Function\b|require\(/, file);
    }
  });
});
