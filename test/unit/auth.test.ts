import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import got from 'got';
import { createAuthorizer, refreshDelaySeconds } from '../../src/activities/auth.js';
import type { Authorizer } from '../../src/activities/auth.js';
import { createRedactor, REDACTED } from '../../src/activities/redact.js';
import { Failure } from '../../src/arazzo/failures.js';

const CLIENT_SECRET = 'cs-auth-test-9f8e7d';

/** A token endpoint on loopback that counts mints and can be told how to answer. */
function startTokenServer(): Promise<{
  url: string;
  mints: Array<{ body: unknown; contentType: string | undefined }>;
  answer: { status: number; ttl: number | undefined; echoSecret: boolean; holdMs: number };
  close(): Promise<void>;
}> {
  const mints: Array<{ body: unknown; contentType: string | undefined }> = [];
  const answer = { status: 200, ttl: 900 as number | undefined, echoSecret: false, holdMs: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body: unknown = JSON.parse(raw);
      mints.push({ body, contentType: req.headers['content-type'] });
      const reply = (): void => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        if (answer.status !== 200) {
          res.end(
            JSON.stringify({ message: answer.echoSecret ? `bad secret ${CLIENT_SECRET}` : 'nope', body }),
          );
          return;
        }
        res.end(
          JSON.stringify({
            access_token: `token-${mints.length}`,
            token_type: 'Bearer',
            expires_in: answer.ttl,
          }),
        );
      };
      if (answer.holdMs > 0) setTimeout(reply, answer.holdMs);
      else reply();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/applications/token`,
        mints,
        answer,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

describe('createAuthorizer: client credentials', () => {
  let server: Awaited<ReturnType<typeof startTokenServer>>;
  let clock = 0;
  const authorizer = (): Authorizer =>
    createAuthorizer(
      { type: 'clientCredentials', clientId: 'client-1', clientSecret: CLIENT_SECRET, tokenUrl: server.url },
      { got, redactor: createRedactor([CLIENT_SECRET]), now: () => clock, timeoutMs: 5000 },
    );

  before(async () => {
    server = await startTokenServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.mints.length = 0;
    Object.assign(server.answer, { status: 200, ttl: 900, echoSecret: false, holdMs: 0 });
    clock = 1_000_000;
  });

  it('mints with a JSON body (client_id, client_secret, grant-type) and caches the token', async () => {
    const auth = authorizer();
    assert.equal(await auth.header(), 'Bearer token-1');
    assert.equal(await auth.header(), 'Bearer token-1');
    assert.equal(server.mints.length, 1);
    assert.deepEqual(server.mints[0]?.body, {
      client_id: 'client-1',
      client_secret: CLIENT_SECRET,
      'grant-type': 'client_credentials',
    });
    assert.match(server.mints[0]?.contentType ?? '', /^application\/json/);
  });

  it('concurrent callers share one in-flight mint', async () => {
    server.answer.holdMs = 50;
    const auth = authorizer();
    const headers = await Promise.all([auth.header(), auth.header(), auth.header(), auth.header()]);
    assert.deepEqual(new Set(headers), new Set(['Bearer token-1']));
    assert.equal(server.mints.length, 1);
  });

  it('refreshes 60 s before expiry across a sequence of calls', async () => {
    const auth = authorizer();
    assert.equal(await auth.header(), 'Bearer token-1');
    clock += 839_000;
    assert.equal(await auth.header(), 'Bearer token-1');
    clock += 2_000;
    assert.equal(await auth.header(), 'Bearer token-2');
    assert.equal(server.mints.length, 2);
  });

  it('refreshes short-lived tokens at half-life', async () => {
    server.answer.ttl = 60;
    const auth = authorizer();
    await auth.header();
    clock += 29_000;
    assert.equal(await auth.header(), 'Bearer token-1');
    clock += 2_000;
    assert.equal(await auth.header(), 'Bearer token-2');
  });

  it('assumes a 3-minute token when expires_in is missing', async () => {
    server.answer.ttl = undefined;
    const auth = authorizer();
    await auth.header();
    clock += 119_000;
    assert.equal(await auth.header(), 'Bearer token-1');
    clock += 2_000;
    assert.equal(await auth.header(), 'Bearer token-2');
  });

  it('invalidate drops only the rejected token, so stale 401s cause one re-mint', async () => {
    const auth = authorizer();
    const first = await auth.header();
    assert.equal(first, 'Bearer token-1');
    assert.equal(auth.invalidate(first ?? ''), true);
    assert.equal(await auth.header(), 'Bearer token-2');
    // A second caller reporting the same old token must not throw away the new one.
    auth.invalidate(first ?? '');
    assert.equal(await auth.header(), 'Bearer token-2');
    assert.equal(server.mints.length, 2);
  });

  it('rejected credentials fail non-retryably without the secret in the message', async () => {
    server.answer.status = 401;
    server.answer.echoSecret = true;
    const error = await authorizer()
      .header()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.type, Failure.authenticationFailed);
    assert.equal(error.nonRetryable, true);
    assert.doesNotMatch(`${error.message} ${JSON.stringify(error.details)}`, new RegExp(CLIENT_SECRET));
    assert.match(error.message, /401/);
  });

  it('a token endpoint 503 is retryable', async () => {
    server.answer.status = 503;
    await assert.rejects(
      authorizer().header(),
      (e: unknown) => e instanceof ApplicationFailure && e.nonRetryable === false,
    );
  });

  it('a failed mint is not cached: the next call tries again', async () => {
    server.answer.status = 503;
    const auth = authorizer();
    await assert.rejects(auth.header());
    server.answer.status = 200;
    assert.equal(await auth.header(), 'Bearer token-2');
  });

  it('an unreachable token endpoint is a retryable transport error', async () => {
    const auth = createAuthorizer(
      {
        type: 'clientCredentials',
        clientId: 'c',
        clientSecret: CLIENT_SECRET,
        tokenUrl: 'http://127.0.0.1:1/token',
      },
      { got, redactor: createRedactor([CLIENT_SECRET]), timeoutMs: 2000 },
    );
    await assert.rejects(
      auth.header(),
      (e: unknown) =>
        e instanceof ApplicationFailure && e.type === Failure.tokenRequestFailed && !e.nonRetryable,
    );
  });
});

describe('createAuthorizer: static credentials', () => {
  const deps = { got, redactor: createRedactor(), timeoutMs: 1000 };

  it('sends a bearer token, basic credentials, or nothing; none can be re-minted', async () => {
    const bearer = createAuthorizer({ type: 'bearer', token: 'abc' }, deps);
    assert.equal(await bearer.header(), 'Bearer abc');
    assert.equal(bearer.invalidate('Bearer abc'), false);
    const basic = createAuthorizer({ type: 'basic', username: 'airbyte', password: 'password' }, deps);
    assert.equal(await basic.header(), `Basic ${Buffer.from('airbyte:password').toString('base64')}`);
    assert.equal(basic.invalidate('x'), false);
    assert.equal(await createAuthorizer({ type: 'none' }, deps).header(), undefined);
  });

  it('refreshDelaySeconds: 60 s early for long tokens, half-life for short ones', () => {
    assert.equal(refreshDelaySeconds(900), 840);
    assert.equal(refreshDelaySeconds(180), 120);
    assert.equal(refreshDelaySeconds(100), 50);
    assert.equal(refreshDelaySeconds(10), 5);
  });
});

describe('createRedactor', () => {
  it('replaces configured secrets in their raw, URL-encoded and JSON-escaped forms', () => {
    const redactor = createRedactor(['p@ss "word"/x']);
    const text = redactor.text(
      `a p@ss "word"/x b ${encodeURIComponent('p@ss "word"/x')} c ${JSON.stringify('p@ss "word"/x')}`,
    );
    assert.doesNotMatch(text, /p@ss|p%40ss|word/);
    assert.equal(text.split(REDACTED).length - 1, 3);
  });

  it('replaces secrets added later (minted tokens)', () => {
    const redactor = createRedactor();
    redactor.add('minted-token-xyz');
    assert.equal(redactor.text('got minted-token-xyz'), `got ${REDACTED}`);
  });

  it('redacts secret-shaped text whatever the value', () => {
    const redactor = createRedactor();
    const text = redactor.text(
      'Authorization: Bearer abc.def-ghi {"access_token":"t1","client_secret":"s1"} https://h/x?access_token=t2&a=1 basic Zm9vOmJhcg==',
    );
    for (const leaked of ['abc.def', 't1', 's1', 't2', 'Zm9vOmJhcg'])
      assert.ok(!text.includes(leaked), `${leaked} in ${text}`);
    assert.ok(text.includes('a=1'));
  });

  it('redacts secret fields and values in nested objects and errors, without mutating them', () => {
    const redactor = createRedactor(['hunter22']);
    const input = {
      headers: { Authorization: 'Bearer x' },
      nested: [{ password: 'p', note: 'pw hunter22' }],
      error: new Error('hunter22!'),
    };
    const out = redactor.value(input) as unknown as Record<string, unknown>;
    assert.equal(JSON.stringify(out).includes('hunter22'), false);
    assert.equal((out['headers'] as Record<string, unknown>)['Authorization'], REDACTED);
    assert.equal(input.headers.Authorization, 'Bearer x');
    assert.equal(redactor.message(new Error('x hunter22')), `x ${REDACTED}`);
  });

  it('ignores very short secrets that would blank ordinary words', () => {
    assert.equal(createRedactor(['ab']).text('tab'), 'tab');
  });
});
