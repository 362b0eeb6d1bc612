/**
 * Runs the data-driven corpus in test/corpus/: one JSON file per group, one `it` per case.
 * Shared expression contexts live in test/corpus/contexts.json and are referenced by name.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ExpressionContext } from '../../src/arazzo/context.js';
import {
  checkCriterion,
  classifyJsonPath,
  evaluateCriterion,
  parseCondition,
} from '../../src/arazzo/criteria/index.js';
import { ArazzoConditionError, ArazzoExpressionError } from '../../src/arazzo/errors.js';
import {
  collectExpressions,
  evaluateExpression,
  parseExpression,
  renderTemplate,
  resolveValue,
} from '../../src/arazzo/expressions/index.js';
import type { Resolution } from '../../src/arazzo/expressions/index.js';
import { getByPointer, parsePointer, setByPointer } from '../../src/arazzo/json-pointer.js';
import type { Criterion, JsonValue } from '../../src/arazzo/model.js';

const corpusDir = new URL('../corpus/', import.meta.url);

type Case = { id: string; description: string } & Record<string, unknown>;

function load(name: string): Case[] {
  const cases = JSON.parse(readFileSync(new URL(name, corpusDir), 'utf8')) as Case[];
  assert.ok(Array.isArray(cases) && cases.length > 0, `${name} must be a non-empty array`);
  return cases;
}

const contexts = JSON.parse(readFileSync(new URL('contexts.json', corpusDir), 'utf8')) as Record<
  string,
  ExpressionContext
>;

/** `ctx` names a shared context or is inline; `body` is shorthand for a 200 response with that body. */
function contextOf(c: Case): ExpressionContext {
  let ctx: ExpressionContext = { inputs: {}, steps: {} };
  if (typeof c.ctx === 'string') {
    const shared = contexts[c.ctx];
    assert.ok(shared, `${c.id}: unknown shared context "${c.ctx}"`);
    ctx = shared;
  } else if (c.ctx !== undefined) {
    ctx = c.ctx as ExpressionContext;
  }
  if ('body' in c) ctx = { ...ctx, response: { statusCode: 200, headers: {}, body: c.body as JsonValue } };
  return ctx;
}

function assertResolution(c: Case, result: Resolution): void {
  if ('expected' in c) {
    assert.ok(result.ok, `${c.id}: expected a value, got reason: ${result.ok ? '' : result.reason}`);
    assert.deepEqual(result.value, c.expected);
  } else if ('unresolved' in c) {
    assert.equal(
      result.ok,
      false,
      `${c.id}: expected no value, got ${JSON.stringify(result.ok && result.value)}`,
    );
    if (!result.ok)
      assert.ok(
        result.reason.includes(c.unresolved as string),
        `reason "${result.reason}" lacks "${String(c.unresolved)}"`,
      );
  } else {
    assert.fail(`${c.id}: case has neither "expected" nor "unresolved"`);
  }
}

function assertThrows(
  c: Case,
  run: () => unknown,
  type: typeof ArazzoExpressionError | typeof ArazzoConditionError,
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof type, `${c.id}: expected ${type.name}, got ${String(error)}`);
    assert.ok(
      error.message.includes(c.error as string),
      `message "${error.message}" lacks "${String(c.error)}"`,
    );
    if (typeof c.position === 'number') assert.equal(error.position, c.position);
    return true;
  });
}

/** Partial deep match: every key in `expected` must equal the same key in `actual`. */
function assertSubset(actual: unknown, expected: unknown, where: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object`);
    for (const [key, value] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

/** Runs a criterion case: `expected` (pass/fail, no error), `error` (fails with that error). */
function assertCriterion(c: Case, criterion: Criterion): void {
  const result = evaluateCriterion(criterion, contextOf(c));
  if ('error' in c) {
    assert.equal(result.passed, false, `${c.id}: expected failure with an error`);
    assert.ok(
      result.error?.includes(c.error as string),
      `error "${result.error}" lacks "${String(c.error)}"`,
    );
  } else {
    assert.equal(typeof c.expected, 'boolean', `${c.id}: "expected" must be a boolean`);
    assert.equal(result.error, undefined, `${c.id}: unexpected error ${result.error}`);
    assert.equal(result.passed, c.expected);
  }
  if (Array.isArray(c.check)) {
    const issues = checkCriterion(criterion);
    for (const want of c.check as Array<{ severity: string; message: string }>) {
      assert.ok(
        issues.some((issue) => issue.severity === want.severity && issue.message.includes(want.message)),
        `${c.id}: no ${want.severity} containing "${want.message}" in ${JSON.stringify(issues)}`,
      );
    }
    if ((c.check as unknown[]).length === 0)
      assert.deepEqual(issues, [], `${c.id}: expected no static issues`);
  }
}

const groups: Record<string, (c: Case) => void> = {
  'expressions.json': (c) => {
    const text = c.expression as string;
    if ('error' in c) {
      assertThrows(c, () => parseExpression(text), ArazzoExpressionError);
      return;
    }
    if (c.node !== undefined) assertSubset(parseExpression(text), c.node, c.id);
    assertResolution(c, evaluateExpression(text, contextOf(c)));
  },
  'templates.json': (c) => {
    if ('render' in c) assertResolution(c, renderTemplate(c.render as string, contextOf(c)));
    else if ('resolve' in c) assertResolution(c, resolveValue(c.resolve as JsonValue, contextOf(c)));
    else if ('collect' in c) {
      const found = collectExpressions(c.collect as JsonValue);
      const want = c.expected as Array<{
        text: string;
        path: Array<string | number>;
        error?: string;
        type?: string;
      }>;
      assert.equal(found.length, want.length, `${c.id}: found ${JSON.stringify(found.map((f) => f.text))}`);
      want.forEach((w, i) => {
        const f = found[i];
        assert.ok(f);
        assert.equal(f.text, w.text);
        assert.deepEqual(f.path, w.path);
        if (w.error !== undefined)
          assert.ok(f.error?.message.includes(w.error), `${c.id}: error ${f.error?.message}`);
        else assert.equal(f.error, undefined, `${c.id}: unexpected error ${f.error?.message}`);
        if (w.type !== undefined) assert.equal(f.node?.type, w.type);
      });
    } else assert.fail(`${c.id}: needs render, resolve or collect`);
  },
  'pointers.json': (c) => {
    const pointer = c.pointer as string;
    switch (c.op) {
      case 'parse':
        if ('error' in c) assertThrows(c, () => parsePointer(pointer), ArazzoExpressionError);
        else assert.deepEqual(parsePointer(pointer), c.expected);
        return;
      case 'get':
        assertResolution(c, getByPointer(c.document as JsonValue, pointer));
        return;
      case 'set': {
        const document = c.document as JsonValue;
        const before = JSON.stringify(document);
        if ('error' in c)
          assertThrows(c, () => setByPointer(document, pointer, c.value as JsonValue), ArazzoExpressionError);
        else assert.deepEqual(setByPointer(document, pointer, c.value as JsonValue), c.expected);
        assert.equal(JSON.stringify(document), before, `${c.id}: setByPointer mutated its input`);
        return;
      }
      default:
        assert.fail(`${c.id}: unknown op ${String(c.op)}`);
    }
  },
  'conditions.json': (c) => {
    const condition = c.condition as string;
    if ('syntaxError' in c) {
      assertThrows({ ...c, error: c.syntaxError }, () => parseCondition(condition), ArazzoConditionError);
      const result = evaluateCriterion({ condition }, contextOf(c));
      assert.equal(result.passed, false);
      assert.ok(
        result.error?.includes(c.syntaxError as string),
        `${c.id}: evaluation error "${result.error}"`,
      );
      return;
    }
    assertCriterion(c, (c.criterion as Criterion | undefined) ?? { condition });
  },
  'jsonpath.json': (c) => {
    const condition = c.condition as string;
    if (typeof c.form === 'string') assert.equal(classifyJsonPath(condition).kind, c.form, `${c.id}: form`);
    const criterion: Criterion = (c.criterion as Criterion | undefined) ?? {
      condition,
      context: (c.context as string | undefined) ?? '$response.body',
      type: 'jsonpath',
    };
    assertCriterion(c, criterion);
  },
  'xpath.json': (c) => {
    assertCriterion(c, c.criterion as Criterion);
  },
  'regex.json': (c) => {
    const criterion: Criterion = (c.criterion as Criterion | undefined) ?? {
      condition: c.condition as string,
      context: c.context as string,
      type: 'regex',
    };
    assertCriterion(c, criterion);
  },
};

const seen = new Set<string>();
let total = 0;
for (const [file, run] of Object.entries(groups)) {
  const cases = load(file);
  total += cases.length;
  void describe(file.replace(/\.json$/, ''), () => {
    for (const c of cases) {
      assert.ok(
        typeof c.id === 'string' && typeof c.description === 'string',
        `${file}: case without id/description`,
      );
      assert.ok(!seen.has(c.id), `duplicate corpus id ${c.id}`);
      seen.add(c.id);
      void it(`${c.id}: ${c.description}`, () => run(c));
    }
  });
}

void describe('corpus', () => {
  void it('has at least 220 cases', () => {
    assert.ok(total >= 220, `only ${total} cases`);
  });
});
