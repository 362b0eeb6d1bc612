import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArazzoError } from '../../src/arazzo/errors.js';
import type { JsonValue, ParameterLocation } from '../../src/arazzo/model.js';
import type { OperationParameter, OperationPlan } from '../../src/arazzo/plan.js';
import { buildHttpRequest } from '../../src/arazzo/request/index.js';
import type { HttpRequestSpec } from '../../src/arazzo/request/index.js';
import { ArazzoRequestError } from '../../src/arazzo/errors.js';

function operation(
  path: string,
  parameters: OperationParameter[] = [],
  extra: Partial<OperationPlan> = {},
): OperationPlan {
  return { key: 'api.op', sourceName: 'api', method: 'get', path, parameters, ...extra };
}

function param(
  name: string,
  location: ParameterLocation,
  style: OperationParameter['style'],
  explode: boolean,
  allowReserved?: boolean,
): OperationParameter {
  return {
    name,
    in: location,
    required: location === 'path',
    style,
    explode,
    ...(allowReserved === undefined ? {} : { allowReserved }),
  };
}

const queryString = (spec: HttpRequestSpec): string => spec.query.map(([k, v]) => `${k}=${v}`).join('&');

const STRING: JsonValue = 'blue';
const ARRAY: JsonValue = ['blue', 'black', 'brown'];
const OBJECT: JsonValue = { R: 100, G: 200, B: 150 };

// The OpenAPI 3.1 "Style Examples" table, for the values color=blue, [blue,black,brown], {R:100,G:200,B:150}.
const PATH_TABLE: Array<[OperationParameter['style'], boolean, string, string, string]> = [
  ['simple', false, 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
  ['simple', true, 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
  ['label', false, '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
  ['label', true, '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
  ['matrix', false, ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
  ['matrix', true, ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
];

const QUERY_TABLE: Array<[OperationParameter['style'], boolean, string | null, string | null, string]> = [
  ['form', false, 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
  ['form', true, 'color=blue', 'color=blue&color=black&color=brown', 'R=100&G=200&B=150'],
  ['spaceDelimited', false, null, 'color=blue%20black%20brown', 'color=R%20100%20G%20200%20B%20150'],
  ['pipeDelimited', false, null, 'color=blue|black|brown', 'color=R|100|G|200|B|150'],
  ['deepObject', true, null, null, 'color[R]=100&color[G]=200&color[B]=150'],
];

describe('buildHttpRequest: OpenAPI style examples', () => {
  for (const [style, explode, primitive, array, object] of PATH_TABLE) {
    it(`path ${style} explode=${explode}`, () => {
      const op = operation('/items/{color}', [param('color', 'path', style, explode)]);
      const build = (value: JsonValue): string =>
        buildHttpRequest(op, [{ name: 'color', in: 'path', value }]).path;
      assert.equal(build(STRING), `/items/${primitive}`);
      assert.equal(build(ARRAY), `/items/${array}`);
      assert.equal(build(OBJECT), `/items/${object}`);
    });
  }

  for (const [style, explode, primitive, array, object] of QUERY_TABLE) {
    it(`query ${style} explode=${explode}`, () => {
      const op = operation('/items', [param('color', 'query', style, explode)]);
      const build = (value: JsonValue): string =>
        queryString(buildHttpRequest(op, [{ name: 'color', in: 'query', value }]));
      if (primitive !== null) assert.equal(build(STRING), primitive);
      if (array !== null) assert.equal(build(ARRAY), array);
      assert.equal(build(OBJECT), object);
    });
  }

  it('header simple, both explode values', () => {
    const plain = operation('/x', [param('X-Color', 'header', 'simple', false)]);
    const exploded = operation('/x', [param('X-Color', 'header', 'simple', true)]);
    const headerOf = (op: OperationPlan, value: JsonValue): string | undefined =>
      buildHttpRequest(op, [{ name: 'X-Color', in: 'header', value }]).headers['x-color'];
    assert.equal(headerOf(plain, STRING), 'blue');
    assert.equal(headerOf(plain, ARRAY), 'blue,black,brown');
    assert.equal(headerOf(plain, OBJECT), 'R,100,G,200,B,150');
    assert.equal(headerOf(exploded, OBJECT), 'R=100,G=200,B=150');
  });

  it('matrix with an empty string is just the name; form with an empty string keeps "color="', () => {
    const matrix = operation('/items/{color}', [param('color', 'path', 'matrix', false)]);
    assert.equal(buildHttpRequest(matrix, [{ name: 'color', in: 'path', value: '' }]).path, '/items/;color');
    const form = operation('/items', [param('color', 'query', 'form', true)]);
    assert.equal(queryString(buildHttpRequest(form, [{ name: 'color', in: 'query', value: '' }])), 'color=');
  });

  it('scalars other than strings serialize as JSON text', () => {
    const op = operation('/jobs/{id}', [
      param('id', 'path', 'simple', false),
      param('limit', 'query', 'form', true),
    ]);
    const spec = buildHttpRequest(op, [
      { name: 'id', in: 'path', value: 42 },
      { name: 'limit', in: 'query', value: 5 },
      { name: 'flag', in: 'query', value: true },
    ]);
    assert.equal(spec.path, '/jobs/42');
    assert.equal(queryString(spec), 'limit=5&flag=true');
  });
});

describe('buildHttpRequest: shape', () => {
  const listJobs = operation(
    '/jobs',
    [
      param('connectionId', 'query', 'form', true),
      param('orderBy', 'query', 'form', true),
      param('limit', 'query', 'form', true),
    ],
    { method: 'get', key: 'airbyte.listJobs', sourceName: 'airbyte' },
  );

  it('fills operation, source, upper-case method and the $request view', () => {
    const spec = buildHttpRequest(listJobs, [
      { name: 'connectionId', in: 'query', value: 'c 1' },
      { name: 'orderBy', in: 'query', value: 'createdAt|DESC' },
      { name: 'X-Trace', in: 'header', value: 'abc' },
    ]);
    assert.equal(spec.operation, 'airbyte.listJobs');
    assert.equal(spec.sourceName, 'airbyte');
    assert.equal(spec.method, 'GET');
    assert.equal(spec.path, '/jobs');
    assert.deepEqual(spec.query, [
      ['connectionId', 'c%201'],
      ['orderBy', 'createdAt%7CDESC'],
    ]);
    assert.deepEqual(spec.view, {
      path: {},
      query: { connectionId: 'c 1', orderBy: 'createdAt|DESC' },
      headers: { 'x-trace': 'abc' },
    });
  });

  it('path view holds the parameter value, not its encoding', () => {
    const op = operation('/jobs/{jobId}', [param('jobId', 'path', 'simple', false)]);
    const spec = buildHttpRequest(op, [{ name: 'jobId', in: 'path', value: 'a/b' }]);
    assert.equal(spec.path, '/jobs/a%2Fb');
    assert.deepEqual(spec.view.path, { jobId: 'a/b' });
  });

  it('repeated query names read as comma-joined values in the view', () => {
    const op = operation('/x', [param('tag', 'query', 'form', true)]);
    assert.deepEqual(buildHttpRequest(op, [{ name: 'tag', in: 'query', value: ['a', 'b'] }]).view.query, {
      tag: 'a,b',
    });
  });

  it('sends a parameter the operation does not define at the location given', () => {
    const spec = buildHttpRequest(listJobs, [
      { name: 'extra', in: 'query', value: 'x' },
      { name: 'X-Extra', in: 'header', value: 'y' },
      { name: 'sess', in: 'cookie', value: 'z' },
    ]);
    assert.deepEqual(spec.query, [['extra', 'x']]);
    assert.deepEqual(spec.headers, { 'x-extra': 'y' });
    assert.deepEqual(spec.cookies, { sess: 'z' });
  });

  it('finds the location of a parameter given without "in"', () => {
    const spec = buildHttpRequest(listJobs, [{ name: 'limit', value: 10 }]);
    assert.deepEqual(spec.query, [['limit', '10']]);
  });

  it('rejects a parameter without "in" that the operation does not define', () => {
    assert.throws(() => buildHttpRequest(listJobs, [{ name: 'nope', value: 1 }]), ArazzoRequestError);
  });

  it('omits null values and empty arrays/objects', () => {
    const spec = buildHttpRequest(listJobs, [
      { name: 'connectionId', in: 'query', value: null },
      { name: 'orderBy', in: 'query', value: [] },
      { name: 'limit', in: 'query', value: {} },
    ]);
    assert.deepEqual(spec.query, []);
  });

  it('matches header parameters case-insensitively and lower-cases their names', () => {
    const op = operation('/x', [param('X-Mode', 'header', 'simple', true)]);
    const spec = buildHttpRequest(op, [{ name: 'x-mode', in: 'header', value: { a: 1 } }]);
    assert.deepEqual(spec.headers, { 'x-mode': 'a=1' });
  });

  it('adds a leading slash to a template without one', () => {
    assert.equal(buildHttpRequest(operation('health'), []).path, '/health');
  });

  it('keeps a JSON body as JSON, defaulting the content type from the operation', () => {
    const op = operation('/jobs', [], {
      method: 'post',
      requestBody: { required: true, contentTypes: ['application/json'] },
    });
    const spec = buildHttpRequest(op, [], { value: { connectionId: 'c', jobType: 'sync' } });
    assert.deepEqual(spec.body, {
      contentType: 'application/json',
      content: { connectionId: 'c', jobType: 'sync' },
    });
    assert.deepEqual(buildHttpRequest(op, [], { contentType: 'application/problem+json', value: [1] }).body, {
      contentType: 'application/problem+json',
      content: [1],
    });
  });

  it('serializes form-encoded bodies (arrays repeat the key, spaces become +)', () => {
    const op = operation('/token', [], { method: 'post' });
    const spec = buildHttpRequest(op, [], {
      contentType: 'application/x-www-form-urlencoded',
      value: { grant: 'client credentials', scope: ['a', 'b&c'], skip: null },
    });
    assert.deepEqual(spec.body, {
      contentType: 'application/x-www-form-urlencoded',
      content: 'grant=client+credentials&scope=a&scope=b%26c',
    });
  });

  it('sends text bodies as strings', () => {
    const op = operation('/t', [], { method: 'post' });
    assert.deepEqual(buildHttpRequest(op, [], { contentType: 'text/plain', value: 'hi' }).body, {
      contentType: 'text/plain',
      content: 'hi',
    });
    assert.deepEqual(buildHttpRequest(op, [], { contentType: 'text/plain', value: { a: 1 } }).body, {
      contentType: 'text/plain',
      content: '{"a":1}',
    });
  });

  it('allowReserved keeps reserved characters raw but still encodes & # + = and bad percent signs', () => {
    const op = operation('/x', [param('u', 'query', 'form', true, true), param('v', 'query', 'form', true)]);
    const spec = buildHttpRequest(op, [
      { name: 'u', in: 'query', value: 'http://h/p?q=1&r#f %41 %zz +' },
      { name: 'v', in: 'query', value: 'http://h/p' },
    ]);
    assert.deepEqual(spec.query, [
      ['u', 'http://h/p?q%3D1%26r%23f%20%41%20%25zz%20%2B'],
      ['v', 'http%3A%2F%2Fh%2Fp'],
    ]);
  });
});

describe('buildHttpRequest: errors and injection attempts', () => {
  const getJob = operation('/jobs/{jobId}', [param('jobId', 'path', 'simple', false)], {
    key: 'airbyte.getJob',
  });
  const pathOf = (value: JsonValue): string =>
    buildHttpRequest(getJob, [{ name: 'jobId', in: 'path', value }]).path;

  it('throws ArazzoRequestError (an ArazzoError with code ARAZZO_REQUEST) for a missing path parameter', () => {
    assert.throws(
      () => buildHttpRequest(getJob, []),
      (error: unknown) =>
        error instanceof ArazzoRequestError &&
        error instanceof ArazzoError &&
        error.code === 'ARAZZO_REQUEST' &&
        error.message.includes('jobId') &&
        error.message.includes('airbyte.getJob'),
    );
  });

  it('treats a null path value as missing and rejects an empty one', () => {
    assert.throws(() => pathOf(null), ArazzoRequestError);
    assert.throws(() => pathOf(''), ArazzoRequestError);
    assert.throws(() => pathOf([]), ArazzoRequestError);
  });

  it('rejects a path parameter that the template does not use', () => {
    assert.throws(
      () =>
        buildHttpRequest(getJob, [
          { name: 'jobId', in: 'path', value: 1 },
          { name: 'other', in: 'path', value: 2 },
        ]),
      ArazzoRequestError,
    );
  });

  const escapes: Array<[string, string]> = [
    ['../admin', '/jobs/..%2Fadmin'],
    ['../../applications/token', '/jobs/..%2F..%2Fapplications%2Ftoken'],
    ['a/b', '/jobs/a%2Fb'],
    ['1?admin=true', '/jobs/1%3Fadmin%3Dtrue'],
    ['1#frag', '/jobs/1%23frag'],
    ['%2e%2e', '/jobs/%252e%252e'],
    ['%2F', '/jobs/%252F'],
    ['http://evil.example/x', '/jobs/http%3A%2F%2Fevil.example%2Fx'],
    ['//evil.example', '/jobs/%2F%2Fevil.example'],
    ['a\\b', '/jobs/a%5Cb'],
    ['a b\r\n', '/jobs/a%20b%0D%0A'],
    ['a..b', '/jobs/a..b'],
  ];
  for (const [value, expected] of escapes) {
    it(`keeps ${JSON.stringify(value)} inside one path segment`, () => {
      const path = pathOf(value);
      assert.equal(path, expected);
      // A WHATWG URL parser (what got uses) must see the same path: nothing normalized away.
      assert.equal(new URL(`http://127.0.0.1/api/v1${path}`).pathname, `/api/v1${path}`);
      assert.equal(path.split('/').length, 3);
    });
  }

  it('keeps "..." (not a dot segment) as an encoded, stable segment', () => {
    assert.equal(pathOf('...'), '/jobs/%2E%2E%2E');
    assert.equal(new URL('http://h/api/jobs/%2E%2E%2E').pathname, '/api/jobs/%2E%2E%2E');
  });

  for (const value of ['..', '.', ['..'], ['.']]) {
    it(`refuses a path value ${JSON.stringify(value)} that would be a dot segment`, () => {
      assert.throws(() => pathOf(value), ArazzoRequestError);
    });
  }

  it('encodes ".." as %2E%2E and still refuses it as a whole segment, because URL parsers decode %2E%2E', () => {
    const twoValues = operation('/a/{x}{y}', [
      param('x', 'path', 'simple', false),
      param('y', 'path', 'simple', false),
    ]);
    assert.throws(
      () =>
        buildHttpRequest(twoValues, [
          { name: 'x', in: 'path', value: '.' },
          { name: 'y', in: 'path', value: '.' },
        ]),
      ArazzoRequestError,
    );
    const suffixed = operation('/files/{name}.json', [param('name', 'path', 'simple', false)]);
    assert.equal(
      buildHttpRequest(suffixed, [{ name: 'name', in: 'path', value: '..' }]).path,
      '/files/%2E%2E.json',
    );
  });

  it('refuses a label value that would make a dot segment', () => {
    const op = operation('/items/{color}', [param('color', 'path', 'label', false)]);
    assert.throws(
      () => buildHttpRequest(op, [{ name: 'color', in: 'path', value: '.' }]),
      ArazzoRequestError,
    );
    assert.throws(() => buildHttpRequest(op, [{ name: 'color', in: 'path', value: '' }]), ArazzoRequestError);
  });

  it('query values cannot add parameters or end the query', () => {
    const op = operation('/jobs', [param('connectionId', 'query', 'form', true)]);
    const spec = buildHttpRequest(op, [{ name: 'connectionId', in: 'query', value: 'c&status=running#x' }]);
    assert.deepEqual(spec.query, [['connectionId', 'c%26status%3Drunning%23x']]);
    const names = buildHttpRequest(op, [{ name: 'a&b=c', in: 'query', value: '1' }]);
    assert.deepEqual(names.query, [['a%26b%3Dc', '1']]);
  });

  for (const value of ['a\r\nx-injected: 1', 'a\nb', 'a\rb', 'a\u0000b', ['ok', 'bad\r\n']]) {
    it(`rejects header value ${JSON.stringify(value)}`, () => {
      const op = operation('/x', [param('X-Value', 'header', 'simple', false)]);
      assert.throws(
        () => buildHttpRequest(op, [{ name: 'X-Value', in: 'header', value }]),
        ArazzoRequestError,
      );
    });
  }

  it('allows a tab in a header value', () => {
    const op = operation('/x');
    assert.equal(
      buildHttpRequest(op, [{ name: 'X-Tab', in: 'header', value: 'a\tb' }]).headers['x-tab'],
      'a\tb',
    );
  });

  it('rejects header and cookie names that are not tokens', () => {
    const op = operation('/x');
    assert.throws(
      () => buildHttpRequest(op, [{ name: 'X-A\r\nB', in: 'header', value: '1' }]),
      ArazzoRequestError,
    );
    assert.throws(
      () => buildHttpRequest(op, [{ name: 'bad name', in: 'header', value: '1' }]),
      ArazzoRequestError,
    );
    assert.throws(
      () => buildHttpRequest(op, [{ name: 'a;b', in: 'cookie', value: '1' }]),
      ArazzoRequestError,
    );
  });

  it('cookie values cannot start another cookie', () => {
    const spec = buildHttpRequest(operation('/x'), [{ name: 'sess', in: 'cookie', value: 'a; admin=1' }]);
    assert.deepEqual(spec.cookies, { sess: 'a%3B%20admin%3D1' });
  });

  it('rejects a body content type with a line break', () => {
    const op = operation('/x', [], { method: 'post' });
    assert.throws(
      () => buildHttpRequest(op, [], { contentType: 'application/json\r\nx: 1', value: {} }),
      ArazzoRequestError,
    );
  });

  it('rejects deepObject with a non-object value', () => {
    const op = operation('/x', [param('f', 'query', 'deepObject', true)]);
    assert.throws(() => buildHttpRequest(op, [{ name: 'f', in: 'query', value: 'x' }]), ArazzoRequestError);
  });

  it('never produces a scheme or host, whatever the template and values', () => {
    const op = operation('/{a}/{b}', [
      param('a', 'path', 'simple', false),
      param('b', 'path', 'simple', false),
    ]);
    const spec = buildHttpRequest(op, [
      { name: 'a', in: 'path', value: 'http:' },
      { name: 'b', in: 'path', value: 'evil.example' },
    ]);
    assert.equal(spec.path, '/http%3A/evil.example');
    assert.equal(new URL(`http://127.0.0.1${spec.path}`).host, '127.0.0.1');
  });
});
