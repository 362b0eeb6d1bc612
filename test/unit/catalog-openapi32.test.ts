/**
 * OpenAPI 3.2 sources (versions/3.2.0.md of OAI/OpenAPI-Specification): the QUERY method,
 * `additionalOperations`, `in: querystring` parameters (found, checked, and serialized into the
 * request URL), and the new security fields accepted without diagnostics; 3.0/3.1 unchanged.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { OperationPlan } from '../../src/arazzo/plan.js';
import { buildHttpRequest } from '../../src/arazzo/request/index.js';
import { buildStepRequest } from '../../src/arazzo/request/index.js';
import { buildUrl } from '../../src/activities/exchange.js';
import {
  buildExecutionPlan,
  formatDiagnostic,
  loadArazzoDocument,
  validateDocument,
} from '../../src/catalog/index.js';
import type { Diagnostic } from '../../src/catalog/index.js';

const folder = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi32');
const doc = join(folder, 'openapi-32.arazzo.yaml');

function spell(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.line} ${d.path}`;
}

async function planOf(): Promise<Record<string, OperationPlan>> {
  return buildExecutionPlan(await loadArazzoDocument(doc), 'search-and-link').operations;
}

/** A one-step document against the 3.2 description, written to a temporary folder. */
async function stepDocument(step: string, openapi = join(folder, 'jobs-3.2.yml')): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi32-'));
  const file = join(dir, 'one.arazzo.yaml');
  await writeFile(
    file,
    [
      'arazzo: 1.0.1',
      'info:',
      '  title: one step',
      '  version: 1.0.0',
      'sourceDescriptions:',
      '  - name: jobsApi',
      `    url: ${JSON.stringify(openapi)}`,
      '    type: openapi',
      'workflows:',
      '  - workflowId: one',
      '    steps:',
      step,
      '',
    ].join('\n'),
  );
  return file;
}

void describe('OpenAPI 3.2 sources', () => {
  void it('load and validate without any diagnostic (query, additionalOperations, querystring, new security fields)', async () => {
    const diagnostics = validateDocument(await loadArazzoDocument(doc));
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
  });

  void it('resolve a QUERY operation by operationId and a custom method by operationPath', async () => {
    const operations = await planOf();
    assert.equal(operations['jobsApi.searchJobs']!.method, 'QUERY');
    assert.equal(operations['jobsApi.searchJobs']!.path, '/jobs');
    assert.deepEqual(operations['jobsApi.searchJobs']!.requestBody, {
      required: true,
      contentTypes: ['application/json'],
    });
    const link = operations['jobsApi.linkJob']!;
    assert.equal(link.method, 'LINK');
    assert.equal(link.path, '/jobs/{jobId}');
    assert.deepEqual(
      link.parameters.map((p) => `${p.in} ${p.name} ${p.required}`),
      ['path jobId true', 'header X-Link-To true'],
    );
  });

  void it('read querystring parameters with the media type of their content', async () => {
    const operations = await planOf();
    assert.deepEqual(operations['jobsApi.listJobs']!.parameters, [
      {
        name: 'filter',
        in: 'querystring',
        required: true,
        style: 'form',
        explode: true,
        contentType: 'application/x-www-form-urlencoded',
      },
    ]);
    assert.equal(operations['jobsApi.exportJobs']!.parameters[0]!.contentType, 'application/json');
  });

  void it('build the whole query string from a form querystring parameter', async () => {
    const listJobs = (await planOf())['jobsApi.listJobs']!;
    const request = buildHttpRequest(listJobs, [
      { name: 'filter', in: 'query', value: { status: 'running', q: 'a + b' } },
    ]);
    assert.equal(request.querystring, 'status=running&q=a+%2B+b');
    assert.deepEqual(request.query, []);
    assert.deepEqual(request.view.query, { status: 'running', q: 'a + b' });
    assert.equal(
      buildUrl('http://127.0.0.1:1/api', request).href,
      'http://127.0.0.1:1/api/jobs?status=running&q=a+%2B+b',
    );
  });

  void it('build the querystring from step and workflow parameters in workflow code (buildStepRequest)', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(doc), 'search-and-link');
    const workflow = plan.document.workflows[0]!;
    const list = workflow.steps.find((s) => s.stepId === 'list')!;
    const context = { inputs: { status: 'running' }, steps: {} };
    const fromStep = buildStepRequest(plan, workflow, list, plan.operations['jobsApi.listJobs']!, context);
    assert.ok(fromStep.ok, JSON.stringify(fromStep));
    assert.equal(fromStep.value.querystring, 'status=running&q=a+%2B+b');
    // A workflow-level parameter applies where the operation has it, querystring included.
    const { parameters: _omit, ...bare } = list;
    const fromWorkflow = buildStepRequest(
      plan,
      { ...workflow, parameters: [{ name: 'filter', in: 'query', value: { status: 'failed' } }] },
      bare,
      plan.operations['jobsApi.listJobs']!,
      context,
    );
    assert.ok(fromWorkflow.ok, JSON.stringify(fromWorkflow));
    assert.equal(fromWorkflow.value.querystring, 'status=failed');
  });

  void it('build a JSON querystring as one percent-encoded string (the 3.2 spec example)', async () => {
    const exportJobs = (await planOf())['jobsApi.exportJobs']!;
    const request = buildHttpRequest(exportJobs, [
      { name: 'selector', value: { numbers: [1, 2], flag: null } },
    ]);
    // versions/3.2.0.md, "A querystring parameter that uses JSON for the entire string".
    assert.equal(request.querystring, '%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D');
    assert.equal(
      buildUrl('http://127.0.0.1:1', request).href,
      'http://127.0.0.1:1/export?%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D',
    );
  });

  void it('refuse a form querystring string that would smuggle a fragment', async () => {
    const listJobs = (await planOf())['jobsApi.listJobs']!;
    assert.throws(
      () => buildHttpRequest(listJobs, [{ name: 'filter', in: 'query', value: 'a=1#frag' }]),
      /querystring parameter "filter" has "#"/,
    );
  });

  void it('demand a required querystring parameter like any required parameter', async () => {
    const file = await stepDocument(['      - stepId: list', '        operationId: listJobs'].join('\n'));
    assert.deepEqual(validateDocument(await loadArazzoDocument(file)).map(spell), [
      'error arazzo/parameter-missing 12 $.workflows[0].steps[0].stepId',
    ]);
  });

  void it('report an operationPath to a custom method the path item does not have, with its line', async () => {
    const file = await stepDocument(
      [
        '      - stepId: copy',
        "        operationPath: '{$sourceDescriptions.jobsApi.url}#/paths/~1jobs~1{jobId}/additionalOperations/COPY'",
      ].join('\n'),
    );
    assert.deepEqual(validateDocument(await loadArazzoDocument(file)).map(spell), [
      'error arazzo/operation-not-found 13 $.workflows[0].steps[0].operationPath',
    ]);
  });

  void it('keep 3.0/3.1 behaviour: a `query` key in a 3.1 path item is not an operation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi31-'));
    const openapi = join(dir, 'api.yml');
    await writeFile(
      openapi,
      [
        'openapi: 3.1.0',
        'info: {title: t, version: "1"}',
        'paths:',
        '  /jobs:',
        '    query:',
        '      operationId: searchJobs',
        '      responses:',
        "        '200': {description: ok}",
        '    additionalOperations:',
        '      LINK:',
        '        operationId: linkJob',
        '        responses:',
        "          '200': {description: ok}",
        '',
      ].join('\n'),
    );
    const file = await stepDocument(
      [
        '      - stepId: search',
        '        operationId: searchJobs',
        '      - stepId: link',
        '        operationId: linkJob',
      ].join('\n'),
      openapi,
    );
    assert.deepEqual(validateDocument(await loadArazzoDocument(file)).map(spell), [
      'error arazzo/operation-not-found 13 $.workflows[0].steps[0].operationId',
      'error arazzo/operation-not-found 15 $.workflows[0].steps[1].operationId',
    ]);
  });

  void it('refuse OpenAPI 3.3 and Swagger 2 with the version line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi33-'));
    const openapi = join(dir, 'api.yml');
    await writeFile(openapi, 'info: {title: t, version: "1"}\nopenapi: 3.3.0\npaths: {}\n');
    const file = await stepDocument(['      - stepId: a', '        operationId: x'].join('\n'), openapi);
    const diagnostics = validateDocument(await loadArazzoDocument(file));
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.file === openapi ? 'api.yml' : 'doc'}:${d.line}`),
      ['openapi/unsupported-version api.yml:2'],
    );
    assert.match(diagnostics[0]!.message, /must be 3\.0\.x, 3\.1\.x or 3\.2\.x \(got "3\.3\.0"\)/);
  });
});
