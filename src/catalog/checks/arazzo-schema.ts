/**
 * A JSON Schema (2020-12) for Arazzo 1.0.x and 1.1.x, written from the specification text rather than taken
 * from the official schema, which rejects spec-valid documents (a `retry` without `retryAfter`, the
 * `{type, version}` criterion form). Cross-field rules (exactly one step target, targets that
 * exist) are semantic checks with better messages, so the schema avoids `oneOf`, whose errors
 * are noise.
 *
 * Arazzo 1.1.0 (OAI/Arazzo-Specification versions/1.1.0.md) adds `$self`, AsyncAPI sources and
 * steps (`channelPath`, `action`, `correlationId`), step `timeout` and `dependsOn`, `querystring`
 * and `channel` parameters, Selector Objects and `targetSelectorType`, and the `jsonpointer`
 * expression type. The schema accepts them in any version; check-versions reports 1.1 fields in a
 * 1.0 document, and what this runner does not run yet, each at the step that uses it.
 */

/** Arazzo objects allow only their fixed fields plus `x-` extensions. */
function fixed(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return {
    type: 'object',
    properties,
    required,
    patternProperties: { '^x-': true },
    additionalProperties: false,
  };
}

const str = { type: 'string' };
const nonEmpty = { type: 'string', minLength: 1 };
const map = (values: unknown) => ({ type: 'object', additionalProperties: values });
const componentKey = { type: 'string', pattern: '^[a-zA-Z0-9.\\-_]+$' };

/** Criterion `type`: a plain type name, or (jsonpath/xpath only) an object naming a version. */
const criterionType = {
  if: { type: 'string' },
  then: { enum: ['simple', 'regex', 'jsonpath', 'xpath'] },
  else: fixed({ type: { enum: ['jsonpath', 'xpath'] }, version: nonEmpty }, ['type', 'version']),
};

/** 1.1.0 Expression Type Object, as a selector type: jsonpath, xpath or jsonpointer, plain or versioned. */
const selectorType = {
  if: { type: 'string' },
  then: { enum: ['jsonpath', 'xpath', 'jsonpointer'] },
  else: fixed({ type: { enum: ['jsonpath', 'xpath', 'jsonpointer'] }, version: nonEmpty }, [
    'type',
    'version',
  ]),
};

/** 1.1.0 Selector Object. */
const selectorObject = fixed({ context: nonEmpty, selector: nonEmpty, type: selectorType }, [
  'context',
  'selector',
  'type',
]);

/** A Reusable Object when it has `reference`, otherwise the inline object `inline`. */
function reusableOr(inline: Record<string, unknown>): Record<string, unknown> {
  return {
    if: { type: 'object', required: ['reference'] },
    then: fixed({ reference: nonEmpty, value: true }, ['reference']),
    else: inline,
  };
}

const actionBase = {
  name: nonEmpty,
  workflowId: nonEmpty,
  stepId: nonEmpty,
  criteria: { type: 'array', items: { $ref: '#/$defs/criterion' } },
};

/** The Ajv options the schema is compiled with (scripts/generate-arazzo-validator.ts). */
export const ARAZZO_SCHEMA_OPTIONS = { strict: false, allErrors: true } as const;

/** The Arazzo 1.0.x document schema. */
export const arazzoDocumentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://arazzo-temporal.local/schemas/arazzo-1.0.json',
  ...fixed(
    {
      arazzo: { type: 'string', pattern: '^1\\.[01]\\.\\d+(-.+)?$' },
      $self: { type: 'string', pattern: '^[^#]*$' },
      info: { $ref: '#/$defs/info' },
      sourceDescriptions: { type: 'array', minItems: 1, items: { $ref: '#/$defs/sourceDescription' } },
      workflows: { type: 'array', minItems: 1, items: { $ref: '#/$defs/workflow' } },
      components: { $ref: '#/$defs/components' },
    },
    ['arazzo', 'info', 'sourceDescriptions', 'workflows'],
  ),
  $defs: {
    info: fixed({ title: str, summary: str, description: str, version: str }, ['title', 'version']),
    sourceDescription: fixed(
      { name: nonEmpty, url: nonEmpty, type: { enum: ['openapi', 'arazzo', 'asyncapi'] } },
      ['name', 'url'],
    ),
    workflow: fixed(
      {
        workflowId: nonEmpty,
        summary: str,
        description: str,
        inputs: { type: 'object' },
        dependsOn: { type: 'array', items: nonEmpty, uniqueItems: true },
        steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' } },
        successActions: { type: 'array', items: reusableOr({ $ref: '#/$defs/successAction' }) },
        failureActions: { type: 'array', items: reusableOr({ $ref: '#/$defs/failureAction' }) },
        outputs: { $ref: '#/$defs/outputs' },
        parameters: { type: 'array', items: reusableOr({ $ref: '#/$defs/parameter' }) },
      },
      ['workflowId', 'steps'],
    ),
    step: fixed(
      {
        stepId: nonEmpty,
        description: str,
        operationId: nonEmpty,
        operationPath: nonEmpty,
        workflowId: nonEmpty,
        channelPath: nonEmpty,
        action: { enum: ['send', 'receive'] },
        correlationId: true,
        timeout: { type: 'integer', minimum: 0 },
        dependsOn: { type: 'array', minItems: 1, uniqueItems: true, items: nonEmpty },
        parameters: { type: 'array', items: reusableOr({ $ref: '#/$defs/parameter' }) },
        requestBody: { $ref: '#/$defs/requestBody' },
        successCriteria: { type: 'array', minItems: 1, items: { $ref: '#/$defs/criterion' } },
        onSuccess: { type: 'array', items: reusableOr({ $ref: '#/$defs/successAction' }) },
        onFailure: { type: 'array', items: reusableOr({ $ref: '#/$defs/failureAction' }) },
        outputs: { $ref: '#/$defs/outputs' },
      },
      ['stepId'],
    ),
    outputs: {
      type: 'object',
      propertyNames: componentKey,
      // 1.1.0: a Selector Object (an object with `selector`); anything else must be an expression string.
      additionalProperties: {
        if: { type: 'object', required: ['selector'] },
        then: selectorObject,
        else: str,
      },
    },
    parameter: fixed(
      {
        name: nonEmpty,
        in: { enum: ['path', 'query', 'header', 'cookie', 'querystring', 'channel'] },
        value: true,
      },
      ['name', 'value'],
    ),
    requestBody: fixed({
      contentType: nonEmpty,
      payload: true,
      replacements: { type: 'array', items: { $ref: '#/$defs/payloadReplacement' } },
    }),
    payloadReplacement: fixed({ target: str, targetSelectorType: selectorType, value: true }, [
      'target',
      'value',
    ]),
    criterion: fixed({ condition: nonEmpty, context: nonEmpty, type: criterionType }, ['condition']),
    successAction: fixed({ ...actionBase, type: { enum: ['end', 'goto'] } }, ['name', 'type']),
    failureAction: fixed(
      {
        ...actionBase,
        type: { enum: ['end', 'goto', 'retry'] },
        retryAfter: { type: 'number', minimum: 0 },
        retryLimit: { type: 'integer', minimum: 0 },
      },
      ['name', 'type'],
    ),
    components: fixed({
      inputs: { ...map({ type: 'object' }), propertyNames: componentKey },
      parameters: { ...map({ $ref: '#/$defs/parameter' }), propertyNames: componentKey },
      successActions: { ...map({ $ref: '#/$defs/successAction' }), propertyNames: componentKey },
      failureActions: { ...map({ $ref: '#/$defs/failureAction' }), propertyNames: componentKey },
    }),
  },
} as const;
