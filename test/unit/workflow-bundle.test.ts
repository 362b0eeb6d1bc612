/**
 * The workflow code, the pure Arazzo core included, bundles for Temporal's deterministic sandbox:
 * no Node built-ins, no HTTP client, no activity implementations get in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../src/worker/setup.js';
import {
  bundleWorkflows,
  dropSourcesFromMap,
  limitWorkflowStacks,
} from '../../src/worker/workflow-bundle.js';

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

describe('dropSourcesFromMap', () => {
  const inlineMap = (code: string) =>
    JSON.parse(Buffer.from(code.slice(code.lastIndexOf('base64,') + 7), 'base64').toString()) as Record<
      string,
      unknown
    >;

  it('keeps the mappings, sources and names, and leaves the sources text out', () => {
    const map = { version: 3, sources: ['a.ts'], names: ['x'], mappings: 'AAAA', sourcesContent: ['let x;'] };
    const code = `var x = 1;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
    const lean = dropSourcesFromMap(code);
    assert.ok(lean.startsWith('var x = 1;\n//# sourceMappingURL=data:application/json;base64,'));
    assert.deepEqual(inlineMap(lean), { version: 3, sources: ['a.ts'], names: ['x'], mappings: 'AAAA' });
  });

  it('is what the shipped bundle carries: a map that still points into the sources', async () => {
    const { code } = await bundleWorkflows({ workflowsPath: workflowsPath(), logger: undefined });
    const map = inlineMap(code);
    assert.equal(map.sourcesContent, undefined);
    assert.ok((map.sources as string[]).some((s) => s.includes('src/arazzo/machine/machine.ts')));
    assert.ok((map.mappings as string).length > 100_000);
  });
});
