/**
 * Remote source descriptions, fetched at catalog load and by `validate` from a real loopback HTTP
 * server: a good description with a relative `$ref` (resolved against its URL), and every way a
 * fetch can go wrong (slow, huge, redirected within and outside the allow-list, redirect loops,
 * HTML, JSON that is not OpenAPI, 404), each a diagnostic at the document's `url` line naming the
 * source, the URL and the reason; plus the switches that refuse remote fetches.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  buildExecutionPlan,
  loadArazzoDocument,
  loadCatalog,
  validateDocument,
} from '../../src/catalog/index.js';
import type { Diagnostic, RemoteSettings } from '../../src/catalog/index.js';
import { runCli } from '../../src/cli/main.js';
import { loadWorkerConfig } from '../../src/config/index.js';
import { loadWorkerCatalog, WorkerSetupError } from '../../src/worker/setup.js';

const OPENAPI = `openapi: 3.1.0
info:
  title: Remote jobs
  version: 1.0.0
servers:
  - url: http://127.0.0.1:1/api
paths:
  /jobs/{jobId}:
    get:
      operationId: getJob
      parameters:
        - $ref: './parts/params.yml#/JobId'
      responses:
        '200':
          description: A job.
`;
const PARAMS = `JobId:
  name: jobId
  in: path
  required: true
  schema:
    type: string
`;

/** A remote Arazzo source whose own OpenAPI source is relative to it. */
const ARAZZO_SOURCE = `arazzo: 1.0.1
info:
  title: Remote flows
  version: 1.0.0
sourceDescriptions:
  - name: jobsApi
    url: ./openapi.yml
    type: openapi
workflows:
  - workflowId: remote-get
    steps:
      - stepId: get
        operationId: getJob
        parameters:
          - name: jobId
            in: path
            value: '7'
`;

let port = 0;
let host = '';
const requests: string[] = [];
/** Path → answer; tests may replace answers. */
let routes: Record<string, (res: ServerResponse) => void> = {};

function yaml(text: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(text);
  };
}

function redirect(location: () => string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(302, { location: location() });
    res.end();
  };
}

function defaultRoutes(): Record<string, (res: ServerResponse) => void> {
  return {
    '/api/openapi.yml': yaml(OPENAPI),
    '/api/parts/params.yml': yaml(PARAMS),
    '/api/broken-ref.yml': yaml(OPENAPI.replace('./parts/params.yml', './parts/nowhere.yml')),
    '/api/local-ref.yml': yaml(OPENAPI.replace('./parts/params.yml', 'file:///etc/hostname')),
    '/api/flows.arazzo.yaml': yaml(ARAZZO_SOURCE),
    '/slow': () => undefined, // never answers
    '/huge': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"openapi": "3.1.0", "x-padding": "');
      for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
      res.end('"}');
    },
    '/redirect-ok': redirect(() => `http://${host}/api/openapi.yml`),
    '/redirect-away': redirect(() => `http://localhost:${port}/api/openapi.yml`),
    '/redirect-loop': redirect(() => `http://${host}/redirect-loop`),
    '/html': (res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Sign in</title>');
    },
    '/not-openapi.json': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{\n  "hello": "world"\n}\n');
    },
  };
}

const server = createServer((req, res) => {
  requests.push(req.url ?? '');
  const route = routes[req.url ?? ''];
  if (route) route(res);
  else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
});

function settings(over: Partial<RemoteSettings> = {}): RemoteSettings {
  return {
    enabled: true,
    allowHosts: [host],
    timeoutMs: 1000,
    maxBytes: 32 * 1024,
    maxRedirects: 2,
    ...over,
  };
}

/** An Arazzo document whose one source is `url` (always at line 7). */
async function documentFor(url: string, folder?: string): Promise<string> {
  const dir = folder ?? (await mkdtemp(join(tmpdir(), 'remote-')));
  const file = join(dir, 'remote.arazzo.yaml');
  await writeFile(
    file,
    `arazzo: 1.0.1
info:
  title: Remote source
  version: 1.0.0
sourceDescriptions:
  - name: jobsApi
    url: ${url}
    type: openapi
workflows:
  - workflowId: get-remote-job
    steps:
      - stepId: get
        operationId: getJob
        parameters:
          - name: jobId
            in: path
            value: '42'
`,
  );
  return file;
}

function spell(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.line} ${d.path}`;
}

async function refusedWith(path: string, over: Partial<RemoteSettings> = {}): Promise<Diagnostic> {
  const url = `http://${host}${path}`;
  const diagnostics = validateDocument(
    await loadArazzoDocument(await documentFor(url), { remote: settings(over) }),
  );
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 1));
  const [d] = diagnostics;
  assert.match(d!.message, /^source "jobsApi": /);
  assert.ok(d!.message.includes(url), d!.message);
  return d!;
}

void describe('remote source descriptions', { timeout: 60_000 }, () => {
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    host = `127.0.0.1:${port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    routes = defaultRoutes();
    requests.length = 0;
  });

  void it('fetches an allowed description and resolves its relative $ref against its URL', async () => {
    const file = await documentFor(`http://${host}/api/openapi.yml`);
    const loaded = await loadArazzoDocument(file, { remote: settings() });
    assert.deepEqual(validateDocument(loaded), []);
    const plan = buildExecutionPlan(loaded, 'get-remote-job');
    assert.deepEqual(plan.operations['jobsApi.getJob']!.parameters, [
      { name: 'jobId', in: 'path', required: true, style: 'simple', explode: false },
    ]);
    assert.deepEqual(requests, ['/api/openapi.yml', '/api/parts/params.yml']);
  });

  void it('follows a redirect to an allowed host', async () => {
    const loaded = await loadArazzoDocument(await documentFor(`http://${host}/redirect-ok`), {
      remote: settings(),
    });
    assert.deepEqual(validateDocument(loaded), []);
    assert.deepEqual(requests, ['/redirect-ok', '/api/openapi.yml', '/api/parts/params.yml']);
  });

  void it('refuses a redirect to a host outside the allow-list, without fetching it', async () => {
    const d = await refusedWith('/redirect-away');
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(
      d.message,
      /redirected to http:\/\/localhost:\d+\/api\/openapi\.yml, which is refused: host "localhost:\d+" is not in the allow-list/,
    );
    assert.deepEqual(requests, ['/redirect-away']);
  });

  void it('stops after the redirect limit', async () => {
    const d = await refusedWith('/redirect-loop');
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(d.message, /more than 2 redirects/);
  });

  void it('gives up on a server that does not answer in time', async () => {
    const d = await refusedWith('/slow', { timeoutMs: 300 });
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(d.message, /no complete answer within 300 ms/);
  });

  void it('stops reading an answer larger than the size limit', async () => {
    const d = await refusedWith('/huge');
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(d.message, /larger than 32768 bytes/);
  });

  void it('refuses an HTML answer (a login page, an error page)', async () => {
    const d = await refusedWith('/html');
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(d.message, /answered text\/html, not a YAML or JSON description/);
  });

  void it('refuses JSON that is not an OpenAPI description, naming the line of the answer', async () => {
    const d = await refusedWith('/not-openapi.json');
    assert.equal(spell(d), 'error arazzo/source-content-invalid 7 $.sourceDescriptions[0].url');
    assert.match(
      d.message,
      /is not an OpenAPI 3\.x description: "openapi" must be 3\.0\.x, 3\.1\.x or 3\.2\.x \(got null\) \(line 1 of the answer\)/,
    );
  });

  void it('reports a 404', async () => {
    const d = await refusedWith('/missing.yml');
    assert.equal(spell(d), 'error arazzo/source-fetch-failed 7 $.sourceDescriptions[0].url');
    assert.match(d.message, /answered HTTP 404/);
  });

  void it('reports a broken relative $ref inside a remote description at its line there', async () => {
    const url = `http://${host}/api/broken-ref.yml`;
    const file = await documentFor(url);
    const diagnostics = validateDocument(await loadArazzoDocument(file, { remote: settings() }));
    assert.deepEqual(
      diagnostics.map((d) => `${d.file} ${spell(d)}`),
      [
        // The parameter's definition is behind the broken ref: the step's jobId looks undeclared too.
        `${file} warning arazzo/parameter-unknown 15 $.workflows[0].steps[0].parameters[0].name`,
        `${url} error openapi/ref-unresolved 12 $.paths['/jobs/{jobId}'].get.parameters[0]`,
      ],
    );
    assert.match(
      diagnostics[1]!.message,
      new RegExp(`http://${host}/api/parts/nowhere\\.yml: answered HTTP 404`),
    );
  });

  void it('refuses hosts outside the allow-list, turned-off fetching and missing configuration without a request', async () => {
    const file = await documentFor(`http://${host}/api/openapi.yml`);
    for (const [remote, reason] of [
      [
        settings({ allowHosts: ['api.example.com', '*.example.org'] }),
        /host "127\.0\.0\.1:\d+" is not in the allow-list/,
      ],
      [settings({ enabled: false }), /remote fetches are turned off/],
      [undefined, /remote fetches are not configured/],
    ] as const) {
      const diagnostics = validateDocument(await loadArazzoDocument(file, remote ? { remote } : {}));
      assert.deepEqual(diagnostics.map(spell), ['error arazzo/source-remote 7 $.sourceDescriptions[0].url']);
      assert.match(diagnostics[0]!.message, reason);
    }
    assert.deepEqual(requests, []);
  });

  void it('never lets a remote description refer to a local file', async () => {
    const url = `http://${host}/api/local-ref.yml`;
    const file = await documentFor(url);
    const diagnostics = validateDocument(await loadArazzoDocument(file, { remote: settings() }));
    assert.ok(
      diagnostics.some(
        (d) =>
          spell(d) === `error openapi/ref-unresolved 12 $.paths['/jobs/{jobId}'].get.parameters[0]` &&
          d.file === url &&
          /not a usable URI reference/.test(d.message),
      ),
      JSON.stringify(diagnostics, null, 1),
    );
  });

  void it('loads a remote Arazzo source and its relative OpenAPI source, and validates a document by URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remote-arazzo-'));
    const file = join(dir, 'uses-remote.arazzo.yaml');
    await writeFile(
      file,
      `arazzo: 1.0.1
info:
  title: Uses a remote Arazzo source
  version: 1.0.0
sourceDescriptions:
  - name: flows
    url: http://${host}/api/flows.arazzo.yaml
    type: arazzo
workflows:
  - workflowId: local
    steps:
      - stepId: run
        workflowId: $sourceDescriptions.flows.remote-get
`,
    );
    const loaded = await loadArazzoDocument(file, { remote: settings() });
    assert.deepEqual(validateDocument(loaded), []);
    const flows = loaded.sources.get('flows');
    assert.equal(flows?.kind, 'arazzo');
    assert.equal(flows.kind === 'arazzo' ? flows.document.sources.get('jobsApi')?.kind : '', 'openapi');
    let out = '';
    const code = await runCli(['validate', `http://${host}/api/flows.arazzo.yaml`], {
      out: { write: (t: string) => (out += t) },
      err: { write: () => undefined },
      env: { ARAZZO_REMOTE_HOSTS: host },
    });
    assert.deepEqual({ code, out }, { code: 0, out: '1 document: 0 errors, 0 warnings\n' });
  });

  void it('the worker catalog fetches with ARAZZO_REMOTE_HOSTS and refuses with ARAZZO_REMOTE_SOURCES=off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remote-worker-'));
    await documentFor(`http://${host}/api/openapi.yml`, dir);
    const config = (env: NodeJS.ProcessEnv) => {
      const loaded = loadWorkerConfig({ ARAZZO_CATALOG: dir, ...env });
      assert.ok(loaded.ok);
      return loaded.config;
    };
    const { catalog } = await loadWorkerCatalog(config({ ARAZZO_REMOTE_HOSTS: host }));
    assert.deepEqual([...catalog.workflows.keys()], ['get-remote-job']);
    requests.length = 0;
    await assert.rejects(
      loadWorkerCatalog(config({ ARAZZO_REMOTE_HOSTS: host, ARAZZO_REMOTE_SOURCES: 'off' })),
      (error: unknown) =>
        error instanceof WorkerSetupError &&
        /remote\.arazzo\.yaml:7:\d+: error \[arazzo\/source-remote\] source "jobsApi": http:\/\/127\.0\.0\.1:\d+\/api\/openapi\.yml is not fetched: remote fetches are turned off/.test(
          error.message,
        ),
    );
    assert.deepEqual(requests, []);
  });

  void it('keeps what the catalog fetched: a later change on the server does not change plans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remote-catalog-'));
    await documentFor(`http://${host}/api/openapi.yml`, dir);
    const catalog = await loadCatalog({ folders: [dir], remote: settings() });
    assert.deepEqual(catalog.diagnostics, []);
    routes['/api/openapi.yml'] = yaml(OPENAPI.replace('/jobs/{jobId}', '/other/{jobId}'));
    assert.equal(catalog.buildPlan('get-remote-job').operations['jobsApi.getJob']!.path, '/jobs/{jobId}');
  });

  void it('validate: fetches from ARAZZO_REMOTE_HOSTS, and --offline refuses', async () => {
    const file = await documentFor(`http://${host}/api/openapi.yml`);
    const cli = async (argv: string[]): Promise<{ code: number; out: string }> => {
      let out = '';
      const code = await runCli(argv, {
        out: { write: (t: string) => (out += t) },
        err: { write: () => undefined },
        env: { ARAZZO_REMOTE_HOSTS: host },
      });
      return { code, out };
    };
    assert.deepEqual(await cli(['validate', file]), { code: 0, out: '1 document: 0 errors, 0 warnings\n' });
    const offline = await cli(['validate', file, '--offline', '--json']);
    assert.equal(offline.code, 1);
    const report = JSON.parse(offline.out) as { diagnostics: Diagnostic[] };
    assert.deepEqual(report.diagnostics.map(spell), [
      'error arazzo/source-remote 7 $.sourceDescriptions[0].url',
    ]);
  });

  void it('worker configuration: ARAZZO_REMOTE_SOURCES and ARAZZO_REMOTE_HOSTS', () => {
    const ok = loadWorkerConfig({ ARAZZO_REMOTE_HOSTS: 'api.example.com, 127.0.0.1:8080,*.example.org' });
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok && ok.config.remoteSources, {
      enabled: true,
      allowHosts: ['api.example.com', '127.0.0.1:8080', '*.example.org'],
    });
    const off = loadWorkerConfig({ ARAZZO_REMOTE_SOURCES: 'off' });
    assert.deepEqual(off.ok && off.config.remoteSources, { enabled: false, allowHosts: [] });
    const bad = loadWorkerConfig({
      ARAZZO_REMOTE_SOURCES: 'maybe',
      ARAZZO_REMOTE_HOSTS: 'https://x.org/path',
    });
    assert.deepEqual(!bad.ok && bad.errors, [
      "ARAZZO_REMOTE_SOURCES: expected on or off, got 'maybe'",
      "ARAZZO_REMOTE_HOSTS: expected host, host:port, *.domain or *, got 'https://x.org/path'",
    ]);
  });
});
