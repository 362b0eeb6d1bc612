// openapi/airbyte-openapi.yml is structurally OpenAPI 3.1, and every answer the simulator can give
// (every operation, every status) is declared there and matches the declared schema.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { parse } from 'yaml';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';
import type { OperationId, ScriptedFault } from '../../simulator/types.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
  ajv: Ajv2020,
) => void;

type Json = Record<string, unknown>;
const OPENAPI_FILE = new URL('../../openapi/airbyte-openapi.yml', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a local `$ref` (`#/a/b`), with JSON Pointer unescaping. */
function follow(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are allowed: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = node[key];
  }
  return node;
}

function tryFollow(doc: Json, ref: string): unknown {
  try {
    return follow(doc, ref);
  } catch {
    return undefined;
  }
}

/** A copy of `node` with every local `$ref` inlined (the description has no recursive schemas). */
function inline(doc: Json, node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(doc, n, seen));
  if (!isObject(node)) return node;
  if (typeof node['$ref'] === 'string') {
    const ref = node['$ref'];
    if (seen.includes(ref)) throw new Error(`Recursive $ref ${ref}`);
    return inline(doc, follow(doc, ref), [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(doc, v, seen)]));
}

interface Operation {
  method: string;
  path: string;
  operationId: string;
  value: Json;
  pathItem: Json;
}

function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc['paths'] as Json)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const value = item[method];
      if (isObject(value))
        out.push({ method, path, operationId: String(value['operationId']), value, pathItem: item });
    }
  }
  return out;
}

/** A compact structural check of an OpenAPI 3.1 description; returns the problems found. */
function structuralProblems(doc: Json): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  check(typeof doc['openapi'] === 'string' && /^3\.1\.\d+$/.test(doc['openapi']), 'openapi must be 3.1.x');
  const info = doc['info'];
  check(
    isObject(info) && typeof info['title'] === 'string' && typeof info['version'] === 'string',
    'info.title and info.version are required',
  );
  check(isObject(doc['paths']), 'paths must be an object');
  const servers = Array.isArray(doc['servers']) ? (doc['servers'] as unknown[]) : [];
  check(servers.length > 0, 'servers must not be empty');
  for (const server of servers) {
    if (!isObject(server) || typeof server['url'] !== 'string') {
      problems.push('every server needs a url');
      continue;
    }
    const variables = isObject(server['variables']) ? server['variables'] : {};
    for (const name of server['url'].match(/\{([^}]+)\}/g) ?? []) {
      const variable = variables[name.slice(1, -1)];
      check(
        isObject(variable) && typeof variable['default'] === 'string',
        `server variable ${name} needs a default`,
      );
    }
  }
  const components = isObject(doc['components']) ? doc['components'] : {};
  const schemes = isObject(components['securitySchemes']) ? components['securitySchemes'] : {};
  const checkSecurity = (security: unknown, where: string): void => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return void problems.push(`${where}: security must be an array`);
    for (const requirement of security) {
      if (!isObject(requirement)) problems.push(`${where}: a security requirement must be an object`);
      else
        for (const name of Object.keys(requirement))
          check(name in schemes, `${where}: unknown security scheme ${name}`);
    }
  };
  checkSecurity(doc['security'], 'root');
  const ids = new Set<string>();
  for (const path of Object.keys(isObject(doc['paths']) ? doc['paths'] : {}))
    check(path.startsWith('/'), `path ${path} must start with /`);
  for (const op of operations(doc)) {
    const where = `${op.method.toUpperCase()} ${op.path}`;
    check(
      op.operationId !== 'undefined' && !ids.has(op.operationId),
      `${where}: operationId missing or duplicated`,
    );
    ids.add(op.operationId);
    checkSecurity(op.value['security'], where);
    const params = [
      ...((op.pathItem['parameters'] as unknown[] | undefined) ?? []),
      ...((op.value['parameters'] as unknown[] | undefined) ?? []),
    ].map((p) => (isObject(p) && typeof p['$ref'] === 'string' ? tryFollow(doc, p['$ref']) : p));
    for (const p of params) {
      check(
        isObject(p) &&
          typeof p['name'] === 'string' &&
          ['path', 'query', 'header', 'cookie'].includes(String(p['in'])),
        `${where}: a parameter needs name and in`,
      );
      check(
        isObject(p) && (isObject(p['schema']) || isObject(p['content'])),
        `${where}: a parameter needs a schema`,
      );
    }
    for (const match of op.path.match(/\{([^}]+)\}/g) ?? []) {
      const name = match.slice(1, -1);
      check(
        params.some((p) => isObject(p) && p['name'] === name && p['in'] === 'path' && p['required'] === true),
        `${where}: path parameter ${name} must be declared with required: true`,
      );
    }
    const body = op.value['requestBody'];
    if (body !== undefined)
      check(isObject(body) && isObject(body['content']), `${where}: requestBody needs content`);
    const responses = op.value['responses'];
    check(isObject(responses) && Object.keys(responses).length > 0, `${where}: responses must not be empty`);
    for (const [code, response] of Object.entries(isObject(responses) ? responses : {})) {
      check(/^([1-5]\d\d|[1-5]XX|default)$/.test(code), `${where}: bad response code ${code}`);
      const resolved =
        isObject(response) && typeof response['$ref'] === 'string'
          ? tryFollow(doc, response['$ref'])
          : response;
      // A dangling $ref is reported once, by the walk below.
      if (resolved === undefined) continue;
      check(
        isObject(resolved) && typeof resolved['description'] === 'string',
        `${where} ${code}: description is required`,
      );
    }
  }
  // Every $ref anywhere must resolve.
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node['$ref'] === 'string') {
        try {
          follow(doc, node['$ref']);
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(doc);
  return problems;
}

interface Captured {
  op: OperationId;
  method: string;
  /** Path relative to the server URL, e.g. `/jobs/12`. */
  path: string;
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
}

/** Checks one answer against the description; returns the problems found. */
function conformanceProblems(doc: Json, ajv: Ajv2020, answer: Captured): string[] {
  const where = `${answer.method} ${answer.path} -> ${answer.status}`;
  const op = operations(doc).find(
    (o) =>
      o.method === answer.method.toLowerCase() &&
      new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(answer.path.split('?')[0] ?? ''),
  );
  if (!op) return [`${where}: no operation for this method and path`];
  if (op.operationId !== answer.op)
    return [`${where}: is ${op.operationId} in the description, ${answer.op} in the simulator`];
  const responses = op.value['responses'] as Json;
  const declared =
    responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? responses['default'];
  if (declared === undefined) return [`${where}: status not declared for ${op.operationId}`];
  const response = inline(doc, declared) as Json;
  const problems: string[] = [];
  for (const [name, header] of Object.entries(isObject(response['headers']) ? response['headers'] : {})) {
    const value = answer.headers.get(name);
    const schema = isObject(header) ? header['schema'] : undefined;
    if (value === null || !isObject(schema)) continue;
    const typed = schema['type'] === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (!ajv.validate(schema, typed)) problems.push(`${where}: header ${name}: ${ajv.errorsText()}`);
  }
  const content = isObject(response['content']) ? response['content'] : undefined;
  if (!content) {
    if (answer.text !== '') problems.push(`${where}: a body was sent but none is declared`);
    return problems;
  }
  const mediaType = answer.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const media = content[mediaType];
  if (!isObject(media)) return [...problems, `${where}: content type "${mediaType}" not declared`];
  let body: unknown = answer.text;
  if (mediaType === 'application/json') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
  }
  if (isObject(media['schema']) && !ajv.validate(media['schema'], body)) {
    problems.push(`${where}: ${ajv.errorsText(ajv.errors, { dataVar: 'body' })}`);
  }
  return problems;
}

function newAjv(): Ajv2020 {
  // OpenAPI adds annotation keywords (example, x-…) that strict mode would reject.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

void describe('openapi/airbyte-openapi.yml', () => {
  let doc: Json;

  before(async () => {
    doc = parse(await readFile(OPENAPI_FILE, 'utf8')) as Json;
  });

  void it('is structurally OpenAPI 3.1', () => {
    assert.deepEqual(structuralProblems(doc), []);
  });

  void it('the structural check finds broken descriptions', () => {
    const broken = structuredClone(doc);
    broken['openapi'] = '3.0.3';
    const jobPath = (broken['paths'] as Json)['/jobs/{jobId}'] as Json;
    delete jobPath['parameters'];
    ((jobPath['get'] as Json)['responses'] as Json)['2xx'] = { description: 'bad code' };
    ((broken['paths'] as Json)['/jobs'] as Json)['put'] = {
      operationId: 'getJob',
      responses: { '200': { $ref: '#/nope' } },
    };
    const problems = structuralProblems(broken).join('\n');
    for (const expected of [
      '3.1.x',
      'path parameter jobId',
      'bad response code 2xx',
      'duplicated',
      'Unresolvable $ref #/nope',
    ]) {
      assert.ok(problems.includes(expected), `expected a problem about ${expected}:\n${problems}`);
    }
  });

  void it('declares the operations with the ids Airbyte uses', () => {
    const byId = new Map(operations(doc).map((o) => [o.operationId, `${o.method.toUpperCase()} ${o.path}`]));
    assert.deepEqual(Object.fromEntries(byId), {
      getHealthCheck: 'GET /health',
      createAccessToken: 'POST /applications/token',
      listJobs: 'GET /jobs',
      createJob: 'POST /jobs',
      getJob: 'GET /jobs/{jobId}',
      cancelJob: 'DELETE /jobs/{jobId}',
    });
    assert.equal((doc['info'] as Json)['x-temporal-credentials'], 'airbyte');
  });

  void it('every schema compiles with Ajv (JSON Schema 2020-12)', () => {
    const ajv = newAjv();
    const schemas = (doc['components'] as Json)['schemas'] as Json;
    for (const [name, schema] of Object.entries(schemas)) {
      assert.doesNotThrow(() => ajv.compile(inline(doc, schema) as Json), name);
    }
  });

  void it('the resource extension on createJob refers to operations and parameters that exist', () => {
    const ops = operations(doc);
    const create = ops.find((o) => o.operationId === 'createJob');
    const resource = create?.value['x-temporal-resource'] as Json;
    assert.equal(resource['kind'], 'job');
    assert.deepEqual(resource['terminalStatuses'], ['succeeded', 'failed', 'cancelled']);
    assert.deepEqual(resource['activeStatuses'], ['pending', 'queued', 'running', 'incomplete']);
    const statuses = (((doc['components'] as Json)['schemas'] as Json)['JobStatusEnum'] as Json)['enum'];
    assert.deepEqual(
      [...(resource['terminalStatuses'] as string[]), ...(resource['activeStatuses'] as string[])].sort(),
      [...(statuses as string[])].sort(),
    );
    for (const part of ['cancel', 'adopt'] as const) {
      const spec = resource[part] as Json;
      const target = ops.find((o) => o.operationId === spec['operationId']);
      assert.ok(target, `${part} operation exists`);
      const declared = [
        ...((target.pathItem['parameters'] as Json[] | undefined) ?? []),
        ...((target.value['parameters'] as Json[] | undefined) ?? []),
      ];
      for (const p of spec['parameters'] as Json[]) {
        assert.ok(
          declared.some((d) => d['name'] === p['name'] && d['in'] === p['in']),
          `${part}: ${String(p['name'])}`,
        );
      }
    }
    assert.deepEqual((resource['adopt'] as Json)['conflictStatuses'], [409]);
  });

  void it('the response check rejects undeclared statuses, content types and bodies', () => {
    const ajv = newAjv();
    const base = {
      op: 'getJob' as const,
      method: 'GET',
      path: '/jobs/1',
      headers: new Headers(),
      contentType: 'application/json',
    };
    assert.match(
      conformanceProblems(doc, ajv, { ...base, status: 418, text: '{}' }).join(),
      /status not declared/,
    );
    assert.match(
      conformanceProblems(doc, ajv, { ...base, status: 200, text: '{"status":"running"}' }).join(),
      /jobId/,
    );
    assert.match(
      conformanceProblems(doc, ajv, { ...base, status: 200, contentType: 'text/plain', text: 'hi' }).join(),
      /content type/,
    );
    const bad = {
      ...base,
      status: 200,
      text: '{"jobId":1,"status":"done","jobType":"sync","startTime":"x","connectionId":"y"}',
    };
    const badProblems = conformanceProblems(doc, ajv, bad).join();
    for (const field of ['/status', '/startTime', '/connectionId'])
      assert.ok(badProblems.includes(field), badProblems);
    assert.match(
      conformanceProblems(doc, ajv, { ...base, op: 'cancelJob', status: 200, text: '{}' }).join(),
      /is getJob/,
    );
  });

  void it('accepts the shapes real Airbyte sends: startTime without zero seconds, "" page links', () => {
    const ajv = newAjv();
    const job = {
      jobId: 1,
      status: 'failed',
      jobType: 'sync',
      startTime: '2024-05-01T10:15Z',
      lastUpdatedAt: '2024-05-01T10:16:05Z',
      duration: 'PT1M5S',
      rowsSynced: 3,
      bytesSynced: 30,
      connectionId: '0b6f5a7e-2f7c-4a53-9a59-5c0f1f0c1a11',
    };
    const base = { headers: new Headers(), contentType: 'application/json', status: 200 };
    assert.deepEqual(
      conformanceProblems(doc, ajv, {
        ...base,
        op: 'getJob',
        method: 'GET',
        path: '/jobs/1',
        text: JSON.stringify(job),
      }),
      [],
    );
    assert.deepEqual(
      conformanceProblems(doc, ajv, {
        ...base,
        op: 'listJobs',
        method: 'GET',
        path: '/jobs',
        text: JSON.stringify({ data: [], next: '', previous: '' }),
      }),
      [],
    );
    assert.notDeepEqual(
      conformanceProblems(doc, ajv, {
        ...base,
        op: 'listJobs',
        method: 'GET',
        path: '/jobs',
        text: JSON.stringify({ data: [], next: 'not a link', previous: '' }),
      }),
      [],
    );
  });
});

void describe('every simulator answer conforms to openapi/airbyte-openapi.yml', () => {
  let doc: Json;
  let ajv: Ajv2020;
  let sim: Simulator;
  let cloudLike: Simulator;
  const answers: Captured[] = [];

  const token = 'conformance-token';
  const auth = { authorization: `Bearer ${token}` };

  async function send(
    target: Simulator,
    op: OperationId,
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Captured> {
    const response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        ...auth,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const answer: Captured = {
      op,
      method,
      path,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
      text: await response.text(),
    };
    // The simulator's own routing must agree with the operation the description gives this path.
    assert.equal(target.requests().at(-1)?.operationId, op, `${method} ${path}`);
    answers.push(answer);
    return answer;
  }
  const json = (value: unknown): string => JSON.stringify(value);
  const createBody = (connectionId: string, jobType = 'sync'): string => json({ connectionId, jobType });

  before(async () => {
    doc = parse(await readFile(OPENAPI_FILE, 'utf8')) as Json;
    ajv = newAjv();
    sim = await startSimulator({
      clock: 'polls',
      auth: {
        mode: 'client-credentials',
        tokens: [token],
        clients: [{ clientId: 'app', clientSecret: 'secret' }],
      },
    });
    cloudLike = await startSimulator({ clock: 'polls', notFoundStatus: 403, cancelTerminalStatus: 500 });
  });
  after(async () => {
    await sim.close();
    await cloudLike.close();
  });

  void it('createJob', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } });
    const created = await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) });
    assert.equal(created.status, 200);
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) })).status,
      409,
    );
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId, 'clear') })).status,
      200,
    );
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId, 'refresh') })).status,
      422,
    );
    assert.equal((await send(sim, 'createJob', 'POST', '/jobs', { body: '{"connectionId":' })).status, 400);
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody('not-a-uuid') })).status,
      400,
    );
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: json({ connectionId }) })).status,
      400,
    );
    const unknown = createBody('0b6f5a7e-2f7c-4a53-9a59-5c0f1f0c1a11');
    assert.equal((await send(sim, 'createJob', 'POST', '/jobs', { body: unknown })).status, 404);
    assert.equal((await send(cloudLike, 'createJob', 'POST', '/jobs', { body: unknown })).status, 403);
    const noAuth = await send(sim, 'createJob', 'POST', '/jobs', {
      body: createBody(connectionId),
      headers: { authorization: '' },
    });
    assert.equal(noAuth.status, 401);
    // Airbyte's other 409s: an inactive connection, a deleted workflow, a creation timeout.
    for (const state of ['inactive', 'workflow-deleted', 'creation-times-out'] as const) {
      const refused = sim.addConnection({ state });
      const answer = await send(sim, 'createJob', 'POST', '/jobs', {
        body: createBody(refused.connectionId),
      });
      assert.equal(answer.status, 409, state);
    }
    // A sync while one is queued: 200 with that job, `duration` already set (queued is not pending).
    const queued = sim.addConnection({ scenario: { pendingPolls: 0, queuedPolls: 5, runningPolls: 1 } });
    await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(queued.connectionId) });
    const again = await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(queued.connectionId) });
    assert.equal(again.status, 200);
    assert.equal(typeof (JSON.parse(again.text) as { duration?: string }).duration, 'string');
    const stats = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 0, rowsSynced: null } });
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(stats.connectionId) })).status,
      200,
    );
  });

  void it('getJob', async () => {
    const { connectionId } = sim.addConnection({
      scenario: { pendingPolls: 1, queuedPolls: 1, runningPolls: 1, incompletePolls: 1, failedAttempts: 1 },
    });
    const { jobId } = JSON.parse(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) })).text,
    ) as {
      jobId: number;
    };
    const seen = [];
    for (let i = 0; i < 5; i += 1)
      seen.push(JSON.parse((await send(sim, 'getJob', 'GET', `/jobs/${jobId}`)).text).status);
    assert.deepEqual(seen, ['queued', 'running', 'incomplete', 'running', 'succeeded']);
    assert.equal((await send(sim, 'getJob', 'GET', '/jobs/abc')).status, 400);
    assert.equal((await send(sim, 'getJob', 'GET', '/jobs/987654')).status, 404);
    assert.equal((await send(cloudLike, 'getJob', 'GET', '/jobs/987654')).status, 403);
    assert.equal(
      (await send(sim, 'getJob', 'GET', `/jobs/${jobId}`, { headers: { authorization: 'Bearer expired' } }))
        .status,
      401,
    );
  });

  void it('cancelJob', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 3 } });
    const { jobId } = JSON.parse(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) })).text,
    ) as {
      jobId: number;
    };
    assert.equal((await send(sim, 'cancelJob', 'DELETE', `/jobs/${jobId}`)).status, 200);
    assert.equal((await send(sim, 'cancelJob', 'DELETE', `/jobs/${jobId}`)).status, 409);
    assert.equal((await send(sim, 'cancelJob', 'DELETE', '/jobs/x1')).status, 400);
    assert.equal((await send(sim, 'cancelJob', 'DELETE', '/jobs/987654')).status, 404);
    assert.equal(
      (await send(sim, 'cancelJob', 'DELETE', `/jobs/${jobId}`, { headers: { authorization: '' } })).status,
      401,
    );
    const ended = cloudLike.addConnection({ scenario: { pendingPolls: 0, runningPolls: 0 } });
    const done = JSON.parse(
      (await send(cloudLike, 'createJob', 'POST', '/jobs', { body: createBody(ended.connectionId) })).text,
    ) as {
      jobId: number;
    };
    assert.equal((await send(cloudLike, 'cancelJob', 'DELETE', `/jobs/${done.jobId}`)).status, 500);
    assert.equal((await send(cloudLike, 'cancelJob', 'DELETE', '/jobs/987654')).status, 403);
  });

  void it('listJobs', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 0 } });
    for (let i = 0; i < 3; i += 1)
      await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) });
    const page = await send(
      sim,
      'listJobs',
      'GET',
      `/jobs?connectionId=${connectionId}&limit=1&offset=1&orderBy=createdAt|DESC`,
    );
    assert.ok('next' in JSON.parse(page.text) && 'previous' in JSON.parse(page.text));
    // Past the end: an empty page, both links "" (PaginationMapper).
    const empty = JSON.parse(
      (await send(sim, 'listJobs', 'GET', `/jobs?connectionId=${connectionId}&offset=50`)).text,
    ) as { next: string; previous: string; data: unknown[] };
    assert.deepEqual([empty.data.length, empty.next], [0, '']);
    const first = JSON.parse(
      (await send(sim, 'listJobs', 'GET', `/jobs?connectionId=${connectionId}`)).text,
    ) as {
      previous: string;
    };
    assert.equal(first.previous, '');
    // A failed job carries its counts; lower-case directions are refused.
    const failed = sim.addConnection({
      scenario: { pendingPolls: 0, runningPolls: 0, outcome: 'failed', rowsSynced: 3 },
    });
    const failedJob = JSON.parse(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(failed.connectionId) })).text,
    ) as { jobId: number };
    const read = JSON.parse((await send(sim, 'getJob', 'GET', `/jobs/${failedJob.jobId}`)).text) as {
      status: string;
      rowsSynced?: number;
    };
    assert.deepEqual([read.status, read.rowsSynced], ['failed', 3]);
    assert.equal((await send(sim, 'listJobs', 'GET', '/jobs?orderBy=createdAt|desc')).status, 400);
    assert.equal((await send(sim, 'listJobs', 'GET', '/jobs?status=queued')).status, 200);
    assert.equal((await send(sim, 'listJobs', 'GET', '/jobs?limit=500')).status, 400);
    assert.equal(
      (await send(sim, 'listJobs', 'GET', '/jobs', { headers: { authorization: 'Basic eDp5' } })).status,
      401,
    );
  });

  void it('createAccessToken', async () => {
    const mint = (body: string, contentType = 'application/json'): Promise<Captured> =>
      send(sim, 'createAccessToken', 'POST', '/applications/token', {
        body,
        headers: { 'content-type': contentType, authorization: '' },
      });
    assert.equal(
      (await mint(json({ client_id: 'app', client_secret: 'secret', 'grant-type': 'client_credentials' })))
        .status,
      200,
    );
    assert.equal(
      (await mint('client_id=app&client_secret=secret', 'application/x-www-form-urlencoded')).status,
      200,
    );
    assert.equal((await mint(json({ client_id: 'app', client_secret: 'wrong' }))).status, 403);
    assert.equal((await mint(json({ client_id: 'app' }))).status, 400);
    assert.equal((await mint('not json')).status, 400);
  });

  void it('getHealthCheck', async () => {
    assert.equal(
      (await send(sim, 'getHealthCheck', 'GET', '/health', { headers: { authorization: '' } })).status,
      200,
    );
  });

  void it('injected faults on every operation: 429 with and without Retry-After, 500, 502, 503, 504', async () => {
    const { connectionId } = sim.addConnection({ scenario: { pendingPolls: 9 } });
    const { jobId } = JSON.parse(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId) })).text,
    ) as {
      jobId: number;
    };
    const requests: Array<[OperationId, string, string, string?]> = [
      ['createJob', 'POST', '/jobs', createBody(connectionId, 'reset')],
      ['getJob', 'GET', `/jobs/${jobId}`],
      ['cancelJob', 'DELETE', `/jobs/${jobId}`],
      ['listJobs', 'GET', '/jobs'],
      [
        'createAccessToken',
        'POST',
        '/applications/token',
        json({ client_id: 'app', client_secret: 'secret' }),
      ],
      ['getHealthCheck', 'GET', '/health'],
    ];
    const faults: ScriptedFault[] = [
      { fault: 'rateLimit', retryAfterSeconds: 3 },
      { fault: 'rateLimit' },
      { fault: 'status', status: 500 },
      { fault: 'status', status: 502 },
      { fault: 'status', status: 503, retryAfterSeconds: 2 },
      { fault: 'status', status: 504 },
    ];
    for (const [op, method, path, body] of requests) {
      for (const fault of faults) {
        sim.scriptFaults({ ...fault, op });
        const answer = await send(sim, op, method, path, body === undefined ? {} : { body });
        assert.notEqual(answer.status, 200, `${op} ${JSON.stringify(fault)}`);
      }
    }
    sim.scriptFaults({ op: 'createJob', fault: 'status', status: 504, when: 'after' });
    assert.equal(
      (await send(sim, 'createJob', 'POST', '/jobs', { body: createBody(connectionId, 'reset') })).status,
      504,
    );
  });

  void it('all captured answers validate, and every status the simulator produces was seen', () => {
    const problems = answers.flatMap((a) => conformanceProblems(doc, ajv, a));
    assert.deepEqual(problems, []);
    const seen = new Set(answers.map((a) => `${a.op} ${a.status}`));
    const expected: Record<OperationId, number[]> = {
      createJob: [200, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504],
      getJob: [200, 400, 401, 403, 404, 429, 500, 502, 503, 504],
      cancelJob: [200, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504],
      listJobs: [200, 400, 401, 429, 500, 502, 503, 504],
      createAccessToken: [200, 400, 403, 429, 500, 502, 503, 504],
      getHealthCheck: [200, 429, 500, 502, 503, 504],
    };
    const missing = Object.entries(expected).flatMap(([op, statuses]) =>
      statuses.map((s) => `${op} ${s}`).filter((key) => !seen.has(key)),
    );
    assert.deepEqual(missing, []);
  });
});
