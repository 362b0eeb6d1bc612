/**
 * Run inputs: defaults applied, types and required fields enforced with messages naming the
 * workflow and the field, run options taken out of the reserved key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArazzoDocument, Workflow } from '../../src/arazzo/model.js';
import { prepareInputs } from '../../src/catalog/index.js';
import { compileInputsValidator } from '../../src/catalog/inputs/inputs-validator.js';

const workflow: Workflow = {
  workflowId: 'trigger-sync-and-poll',
  inputs: {
    type: 'object',
    required: ['connectionId'],
    properties: {
      connectionId: { type: 'string' },
      jobType: { type: 'string', enum: ['sync', 'reset', 'refresh', 'clear'], default: 'sync' },
    },
  },
  steps: [{ stepId: 's', operationId: 'getJob' }],
};

function messages(result: ReturnType<typeof prepareInputs>): string[] {
  assert.equal(result.ok, false);
  return result.ok ? [] : result.diagnostics.map((d) => d.message);
}

void describe('prepareInputs', () => {
  void it('applies schema defaults', () => {
    const result = prepareInputs(workflow, { connectionId: 'c1' });
    assert.deepEqual(result, { ok: true, inputs: { connectionId: 'c1', jobType: 'sync' }, runOptions: {} });
  });

  void it('refuses a field the workflow does not declare (a typo would be ignored silently)', () => {
    const result = prepareInputs(workflow, {
      connectionId: 'c1',
      connectionID: 'c2',
      __proto__: { polluted: true },
    });
    assert.equal(result.ok, false);
    const messages = result.ok ? [] : result.diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.ok(
      messages.some((m) =>
        /^inputs\/unknown-field .*connectionID: not an input of this workflow \(inputs: connectionId, jobType\)/.test(
          m,
        ),
      ),
      messages.join('\n'),
    );
  });

  void it('keeps extra fields when the schema allows them', () => {
    const open = { ...workflow, inputs: { ...(workflow.inputs ?? {}), additionalProperties: true } };
    const result = prepareInputs(open, { connectionId: 'c1', note: 'extra' });
    assert.deepEqual(result, {
      ok: true,
      inputs: { connectionId: 'c1', note: 'extra', jobType: 'sync' },
      runOptions: {},
    });
  });

  void it('does not mutate the caller object', () => {
    const inputs = { connectionId: 'c1' };
    prepareInputs(workflow, inputs);
    assert.deepEqual(inputs, { connectionId: 'c1' });
  });

  void it('rejects a missing required field and a wrong type, naming workflow and field', () => {
    assert.deepEqual(messages(prepareInputs(workflow, {})), [
      'workflow trigger-sync-and-poll: inputs.connectionId: is required',
    ]);
    assert.deepEqual(messages(prepareInputs(workflow, { connectionId: 42 })), [
      'workflow trigger-sync-and-poll: inputs.connectionId: must be string',
    ]);
    const result = prepareInputs(workflow, { connectionId: 'c', jobType: 'full' });
    assert.equal(result.ok ? '' : result.diagnostics[0]?.code, 'inputs/enum');
    assert.equal(result.ok ? '' : result.diagnostics[0]?.path, '$.jobType');
  });

  void it('rejects non-object inputs', () => {
    for (const bad of [null, [], 'c1', 3, undefined]) {
      const result = prepareInputs(workflow, bad);
      assert.equal(
        result.ok ? '' : result.diagnostics[0]?.code,
        'inputs/not-object',
        `accepted ${JSON.stringify(bad)}`,
      );
    }
  });

  void it('takes run options out of the reserved key and checks them', () => {
    const result = prepareInputs(workflow, {
      connectionId: 'c1',
      'x-temporal': { waitTimeoutSeconds: 30 },
    });
    assert.deepEqual(result, {
      ok: true,
      inputs: { connectionId: 'c1', jobType: 'sync' },
      runOptions: { waitTimeoutSeconds: 30 },
    });
    const bad = prepareInputs(workflow, { connectionId: 'c1', 'x-temporal': { waitTimeout: 30 } });
    assert.equal(bad.ok ? '' : bad.diagnostics[0]?.code, 'inputs/run-options-invalid');
  });

  void it('reserved key is removed even when the schema forbids extra fields', () => {
    const closed: Workflow = { ...workflow, inputs: { ...workflow.inputs, additionalProperties: false } };
    assert.equal(prepareInputs(closed, { connectionId: 'c1', 'x-temporal': {} }).ok, true);
    assert.deepEqual(messages(prepareInputs(closed, { connectionId: 'c1', other: 1 })), [
      'workflow trigger-sync-and-poll: inputs.other: is not allowed by the inputs schema',
    ]);
  });

  void it('follows $ref to components inputs', () => {
    const document = {
      arazzo: '1.0.1',
      info: { title: 't', version: '1' },
      sourceDescriptions: [],
      workflows: [],
      components: {
        inputs: {
          job: {
            type: 'object',
            required: ['jobId'],
            properties: { jobId: { type: 'integer', default: 1 } },
          },
        },
      },
    } as unknown as ArazzoDocument;
    const refWorkflow: Workflow = { workflowId: 'w', inputs: { $ref: '#/components/inputs/job' }, steps: [] };
    assert.deepEqual(messages(prepareInputs(refWorkflow, { jobId: 'x' }, document)), [
      'workflow w: inputs.jobId: must be integer',
    ]);
    assert.equal(prepareInputs(refWorkflow, { jobId: 7 }, document).ok, true);
  });

  void it('checks each schema against the 2020-12 meta-schema, with the format checks, and compiles each on its own', () => {
    const doc = { arazzo: '1.0.1', workflows: [] } as unknown as ArazzoDocument;
    const inputs = (schema: Record<string, unknown>): Workflow => ({
      workflowId: 'w',
      inputs: schema as Workflow['inputs'],
      steps: [],
    });
    assert.throws(
      () => compileInputsValidator(doc, inputs({ type: 'object', properties: { n: { type: 'nope' } } })),
      /^Error: schema is invalid: data\/properties\/n\/type must be equal to one of the allowed values/,
    );
    assert.throws(
      () =>
        compileInputsValidator(doc, inputs({ $schema: 'https://example.com/unknown-meta', type: 'object' })),
      /no schema with key or ref "https:\/\/example.com\/unknown-meta"/,
    );
    // Two schemas with one $id compile side by side (each in its own instance), defaults applied.
    const first = compileInputsValidator(
      doc,
      inputs({ $id: 'https://example.com/same', properties: { a: { default: 1 } } }),
    );
    const second = compileInputsValidator(
      doc,
      inputs({ $id: 'https://example.com/same', properties: { b: { default: 2 } } }),
    );
    const a: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    assert.equal(first(a) && second(b), true);
    assert.deepEqual([a, b], [{ a: 1 }, { b: 2 }]);
    assert.equal(
      compileInputsValidator(doc, inputs({ type: 'string', format: 'uuid' }))('not-a-uuid'),
      false,
    );
  });
});
