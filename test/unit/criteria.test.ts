/**
 * Focused tests for criteria where the corpus shape does not fit: lists of criteria, static
 * checks, suggestions, error objects, and properties of the comparison semantics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExpressionContext } from '../../src/arazzo/context.js';
import {
  checkCriterion,
  classifyJsonPath,
  conditionExpressions,
  evaluateCriteria,
  evaluateCriterion,
  looseEquals,
  parseCondition,
  parseJsonPathLogical,
  suggestSimpleCondition,
} from '../../src/arazzo/criteria/index.js';
import { ArazzoConditionError, ArazzoError } from '../../src/arazzo/errors.js';
import type { Criterion, JsonValue } from '../../src/arazzo/model.js';

const running: ExpressionContext = {
  inputs: {},
  steps: {},
  response: { statusCode: 200, headers: {}, body: { jobId: 42, status: 'running' } },
};

void describe('evaluateCriteria', () => {
  void it('passes for an absent or empty list', () => {
    assert.deepEqual(evaluateCriteria(undefined, running), { passed: true, failures: [] });
    assert.deepEqual(evaluateCriteria([], running), { passed: true, failures: [] });
  });

  void it('ANDs criteria and reports every failure with its index', () => {
    const list: Criterion[] = [
      { condition: '$statusCode == 200' },
      { condition: '$statusCode == 201' },
      { condition: '$steps.never.outputs.x == 1' },
    ];
    const result = evaluateCriteria(list, running);
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.failures.map((f) => [f.index, f.condition, f.error === undefined]),
      [
        [1, '$statusCode == 201', true],
        [2, '$steps.never.outputs.x == 1', false],
      ],
    );
    assert.match(result.failures[1]?.error ?? '', /step never has not run/);
  });

  void it('passes when every criterion passes (mixed types)', () => {
    const list: Criterion[] = [
      { condition: '$statusCode == 200' },
      { context: '$statusCode', condition: '^2', type: 'regex' },
      { context: '$response.body', condition: "$.status == 'running'", type: 'jsonpath' },
    ];
    assert.deepEqual(evaluateCriteria(list, running), { passed: true, failures: [] });
  });
});

void describe('evaluateCriterion', () => {
  void it('never throws on malformed criteria from YAML', () => {
    const garbage = [
      { condition: 42 },
      { condition: '$statusCode == 200', type: null },
      { condition: '$.a', type: 'jsonpath', context: 7 },
      { condition: '$.a', type: { type: 'jsonpath' }, context: '$response.body' },
    ] as unknown as Criterion[];
    for (const criterion of garbage) {
      const result = evaluateCriterion(criterion, running);
      assert.equal(typeof result.passed, 'boolean');
    }
    assert.match(evaluateCriterion(garbage[0] as Criterion, running).error ?? '', /no condition/);
  });

  void it('ignores context for simple conditions', () => {
    const result = evaluateCriterion(
      { condition: '$statusCode == 200', context: '$steps.never.outputs.x', type: 'simple' },
      running,
    );
    assert.deepEqual(result, { passed: true });
  });

  void it('is deterministic', () => {
    const criterion: Criterion = {
      context: '$response.body',
      condition: "$.status == 'running'",
      type: 'jsonpath',
    };
    assert.deepEqual(evaluateCriterion(criterion, running), evaluateCriterion(criterion, running));
  });
});

void describe('parseCondition', () => {
  void it('throws ArazzoConditionError with code and position', () => {
    assert.throws(
      () => parseCondition("$statusCode == 200 && $response.body#/status = 'x'"),
      (error: unknown) =>
        error instanceof ArazzoConditionError &&
        error instanceof ArazzoError &&
        error.code === 'ARAZZO_CONDITION' &&
        error.position === 45,
    );
  });

  void it('builds a tree with &&, ||, ! and comparison nodes', () => {
    const node = parseCondition("!($statusCode == 200) || $inputs.a && 'x' != null");
    assert.equal(node.type, 'logical');
    assert.ok(node.type === 'logical');
    assert.equal(node.operator, '||');
    assert.equal(node.left.type, 'not');
    assert.ok(node.right.type === 'logical' && node.right.operator === '&&');
  });

  void it('lists the runtime expressions it uses', () => {
    const node = parseCondition('$statusCode == 200 && $steps.a.outputs.b > $inputs.c');
    assert.deepEqual(
      conditionExpressions(node).map((e) => e.text),
      ['$statusCode', '$steps.a.outputs.b', '$inputs.c'],
    );
  });
});

void describe('loose equality', () => {
  const values: JsonValue[] = [
    null,
    true,
    false,
    0,
    1,
    3,
    '3',
    ' 3 ',
    'abc',
    'ABC',
    '',
    'true',
    'FALSE',
    [],
    [1],
    {},
    { a: 1 },
  ];
  void it('is symmetric', () => {
    for (const a of values)
      for (const b of values)
        assert.equal(looseEquals(a, b), looseEquals(b, a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
  void it('null equals only null', () => {
    for (const v of values) assert.equal(looseEquals(null, v), v === null, JSON.stringify(v));
  });
});

void describe('jsonpath form rule', () => {
  void it('classifies strict queries, logical expressions and garbage', () => {
    assert.equal(classifyJsonPath('$.status').kind, 'query');
    assert.equal(classifyJsonPath('$[?count(@.pets) > 0]').kind, 'query');
    assert.equal(classifyJsonPath("$.status == 'running'").kind, 'logical');
    assert.equal(classifyJsonPath('not jsonpath').kind, 'invalid');
  });

  void it('suggests a simple condition for pointer and navigation contexts', () => {
    assert.equal(
      suggestSimpleCondition(parseJsonPathLogical("$.status == 'run'"), '$response.body#/job'),
      "$response.body#/job/status == 'run'",
    );
    assert.equal(
      suggestSimpleCondition(parseJsonPathLogical("$.status == 'run'"), '$response.body.job'),
      "$response.body.job.status == 'run'",
    );
    assert.equal(suggestSimpleCondition(parseJsonPathLogical('$.x[-1] == 1'), '$response.body'), undefined);
    assert.equal(suggestSimpleCondition(parseJsonPathLogical('$.x == 1'), '$statusCode'), undefined);
  });

  void it('suggestions keep precedence and parse as simple conditions', () => {
    const suggestion = suggestSimpleCondition(
      parseJsonPathLogical("($.a == 1 || $.b == 2) && !($.c == 'x') && $.d"),
      '$response.body',
    );
    assert.equal(
      suggestion,
      "($response.body#/a == 1 || $response.body#/b == 2) && !($response.body#/c == 'x') && $response.body#/d != null",
    );
    assert.doesNotThrow(() => parseCondition(suggestion ?? ''));
  });
});

void describe('checkCriterion', () => {
  const messages = (criterion: Criterion) =>
    checkCriterion(criterion).map((i) => `${i.severity}:${i.field}:${i.message}`);

  void it('reports nothing for well-formed criteria', () => {
    assert.deepEqual(checkCriterion({ condition: '$statusCode == 200' }), []);
    assert.deepEqual(checkCriterion({ context: '$statusCode', condition: '^200$', type: 'regex' }), []);
    assert.deepEqual(
      checkCriterion({ context: '$response.body', condition: '$[?count(@.pets) > 0]', type: 'jsonpath' }),
      [],
    );
  });

  void it('reports syntax errors on the condition field', () => {
    const issues = checkCriterion({ condition: '$statusCode = 200' });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.severity, 'error');
    assert.equal(issues[0]?.field, 'condition');
  });

  void it('warns when type is explicit but context is missing for simple', () => {
    assert.ok(
      messages({ condition: '$statusCode == 200', type: 'simple' }).some((m) =>
        m.startsWith('warning:context:'),
      ),
    );
  });

  void it('rejects an empty condition and a non-expression context', () => {
    assert.ok(messages({ condition: '  ' }).some((m) => m.startsWith('error:condition:')));
    assert.ok(
      messages({ condition: '$.a', context: 'body', type: 'jsonpath' }).some((m) =>
        m.startsWith('error:context:'),
      ),
    );
  });

  void it('reports xpath and unknown types on the type field', () => {
    assert.deepEqual(messages({ condition: '/a', context: '$response.body', type: 'xpath' }), []);
    assert.deepEqual(messages({ condition: '/a[', context: '$response.body', type: 'xpath' }).length, 1);
    assert.ok(
      messages({ condition: 'x', type: { type: 'jmespath', version: '1' } as never }).some((m) =>
        m.startsWith('error:type:'),
      ),
    );
  });

  void it('does not compile a regex that has embedded expressions, but checks them', () => {
    assert.deepEqual(
      checkCriterion({ context: '$statusCode', condition: '^({$inputs.p})$', type: 'regex' }),
      [],
    );
  });
});
