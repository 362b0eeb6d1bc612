/**
 * OpenAPI's own rules applied to documents written elsewhere, checked down to the wire: header
 * parameters OpenAPI says to ignore, undeclared parameters and content types (warnings, still
 * sent), `$ref`s loaded only where the workflows reach, and 3.2 requests (QUERY, a custom
 * method, a querystring) sent by the HTTP activity to a real loopback server.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createHttpActivities } from '../../src/activities/http.js';
import type { HttpActivityInput, HttpActivityResult } from '../../src/activities/http.js';
import { buildHttpRequest } from '../../src/arazzo/request/index.js';
import type { RequestParameterInput } from '../../src/arazzo/request/index.js';
import type { JsonValue } from '../../src/arazzo/model.js';
import { buildExecutionPlan, loadArazzoDocument, validateDocument } from '../../src/catalog/index.js';
import type { LoadedArazzoDocument } from '../../src/catalog/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const headerRules = join(fixtures, 'bad-documents/header-rules.arazzo.yaml');
const openapi32 = join(fixtures, 'openapi32/openapi-32.arazzo.yaml');
const TOKEN = 'configured-token-5e11';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The literal parameters a step writes (these fixtures use no runtime expressions). */
function stepParameters(loaded: LoadedArazzoDocument, stepId: string): RequestParameterInput[] {
  const step = loaded.document!.workflows.flatMap((w) => w.steps).find((s) => s.stepId === stepId)!;
  return (step.parameters ?? []).map((p) => {
    const parameter = p as { name: string; in?: 'path' | 'query' | 'header' | 'cookie'; value: JsonValue };
    return { name: parameter.name, ...(parameter.in ? { in: parameter.in } : {}), value: parameter.value };
  });
}

void describe('OpenAPI parameter rules', () => {
  void it('ignores Authorization, Content-Type and Accept header definitions: never required', async () => {
    const loaded = await loadArazzoDocument(headerRules);
    const diagnostics = validateDocument(loaded);
    assert.ok(!diagnostics.some((d) => d.severity === 'error'), JSON.stringify(diagnostics, null, 1));
    const plan = buildExecutionPlan(loaded, 'list-items', { diagnostics });
    assert.deepEqual(
      plan.operations['itemsApi.listItems']!.parameters.map((p) => `${p.in} ${p.name}`),
      ['query limit'],
    );
  });

  void it('loads only the files the workflows reach, never through x- extensions', async () => {
    const loaded = await loadArazzoDocument(headerRules);
    const source = loaded.sources.get('itemsApi');
    assert.equal(source?.kind, 'openapi');
    const files = [...(source.kind === 'openapi' ? source.api.files.keys() : [])].map((f) =>
      f.split(/[\\/]/).pop(),
    );
    // lazy-schemas.yml is reached by listItems' response; the missing files (an unused
    // operation's parameter, an unused schema, two x- extensions) are never read.
    assert.deepEqual(files.sort(), ['headers-and-lazy-refs.yml', 'lazy-schemas.yml']);
    // Path Item $refs are always followed (to list operations): the one missing file tried.
    assert.deepEqual(
      [...(source.kind === 'openapi' ? source.api.failed.keys() : [])].map((f) => f.split(/[\\/]/).pop()),
      ['legacy-paths-that-do-not-exist.yml'],
    );
  });
});

void describe('requests from such documents on a loopback server', () => {
  const seen: Seen[] = [];
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.method === 'LINK' ? 204 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'LINK' ? undefined : '{"ok":true}');
    });
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const call = (sourceName: string, input: HttpActivityInput): Promise<HttpActivityResult> => {
    const activities = createHttpActivities({
      connections: {
        [sourceName]: {
          baseUrl: base,
          auth: { type: 'bearer', token: TOKEN },
          timeoutMs: 5000,
          maxBodyBytes: 65536,
        },
      },
      log: { info: () => undefined, warn: () => undefined },
    });
    return new MockActivityEnvironment().run(activities.callOperation, input);
  };

  void it('sends undeclared parameters where `in` says, Authorization only from the configured credentials', async () => {
    const loaded = await loadArazzoDocument(headerRules);
    const plan = buildExecutionPlan(loaded, 'list-items');
    const request = buildHttpRequest(
      plan.operations['itemsApi.listItems']!,
      stepParameters(loaded, 'listWith'),
    );
    const result = await call('itemsApi', { request });
    assert.equal(result.statusCode, 200);
    const [sent] = seen;
    assert.equal(sent?.url, '/v1/items?page=2');
    assert.equal(sent?.headers['x-api-key'], 'key-from-the-document');
    assert.equal(sent?.headers.accept, 'application/json');
    assert.equal(sent?.headers.authorization, `Bearer ${TOKEN}`);
  });

  void it('sends an undeclared request content type as written', async () => {
    const loaded = await loadArazzoDocument(headerRules);
    const plan = buildExecutionPlan(loaded, 'list-items');
    const request = buildHttpRequest(plan.operations['itemsApi.createItem']!, [], {
      contentType: 'application/merge-patch+json',
      value: { name: 'one' },
    });
    await call('itemsApi', { request });
    assert.equal(seen[0]?.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(JSON.parse(seen[0]!.body), { name: 'one' });
  });

  void it('sends OpenAPI 3.2 requests: QUERY with a body, a custom LINK method, a querystring', async () => {
    const loaded = await loadArazzoDocument(openapi32);
    const plan = buildExecutionPlan(loaded, 'search-and-link');
    const ops = plan.operations;
    await call('jobsApi', {
      request: buildHttpRequest(ops['jobsApi.searchJobs']!, [], {
        contentType: 'application/json',
        value: { status: 'running' },
      }),
    });
    await call('jobsApi', {
      request: buildHttpRequest(ops['jobsApi.linkJob']!, stepParameters(loaded, 'link')),
    });
    await call('jobsApi', {
      request: buildHttpRequest(ops['jobsApi.listJobs']!, [
        { name: 'filter', in: 'query', value: { status: 'running', q: 'a + b' } },
      ]),
    });
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.url} ${s.body}`),
      [
        'QUERY /v1/jobs {"status":"running"}',
        'LINK /v1/jobs/job-1 ',
        'GET /v1/jobs?status=running&q=a+%2B+b ',
      ],
    );
    assert.equal(seen[1]?.headers['x-link-to'], 'job-2');
  });
});
