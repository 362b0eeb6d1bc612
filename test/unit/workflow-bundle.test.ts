/**
 * The workflow code, the pure Arazzo core included, bundles for Temporal's deterministic sandbox:
 * no Node built-ins, no HTTP client, no activity implementations get in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../src/worker/setup.js';
import { limitWorkflowStacks } from '../../src/worker/workflow-bundle.js';

describe('workflow bundle', () => {
  it('bundles with bundleWorkflowCode and contains the Arazzo core but no I/O modules', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    assert.match(code, /src\/arazzo\/machine\/machine\.ts/);
    assert.match(code, /src\/arazzo\/criteria\//);
    assert.match(code, /jsonpath-rfc9535/);
    // xpath and Goessner JSONPath criteria: pure-JS engines, jsonpath-plus in its browser build (no vm).
    assert.match(code, /node_modules\/fontoxpath\//);
    assert.match(code, /node_modules\/@xmldom\/xmldom\//);
    assert.match(code, /jsonpath-plus\/dist\/index-browser-esm/);
    assert.doesNotMatch(code, /jsonpath-plus\/dist\/index-node/);
    for (const forbidden of [
      'node_modules/got/',
      'src/activities/http',
      'src/catalog/',
      'node_modules/ajv/',
      'node_modules/yaml/',
    ]) {
      assert.ok(!code.includes(forbidden), `${forbidden} is in the workflow bundle`);
    }
  });
});

describe('limitWorkflowStacks', () => {
  const code = 'var x = 1;\n//# sourceMappingURL=data:application/json;base64,e30=';

  it('sets the stack limit of workflow code before the inline source map, which stays last', () => {
    const limited = limitWorkflowStacks(code, 4);
    assert.ok(limited.startsWith('var x = 1;\n'));
    assert.match(
      limited,
      /;Error\.stackTraceLimit = 4;\n\/\/# sourceMappingURL=data:application\/json;base64,e30=$/,
    );
  });

  it('refuses a bundle without an inline source map (the SDK needs it)', () => {
    assert.throws(() => limitWorkflowStacks('var x = 1;'), /no inline source map/);
  });
});
