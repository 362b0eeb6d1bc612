/**
 * The engine is general: two non-Airbyte Arazzo workflows run end to end on the real Temporal
 * server (a worker with its own catalog folder, test/helpers/stack.ts) against a loopback HTTP
 * server written here after their OpenAPI descriptions.
 *
 * 1. The OAI's OAuth example (examples/1.0.0/oauth.arazzo.yaml and oauth.openapi.yaml from
 *    OAI/Arazzo-Specification, copied verbatim into test/fixtures/general-workflows and compared
 *    with the conformance copy): `refresh-token-flow` runs the `authorization-code-flow`
 *    sub-workflow (GET /authorize, then a form-encoded POST /oauth/token), then refreshes the token;
 *    `client-credentials-flow` gets a token with client credentials.
 * 2. Our Arazzo 1.1.0 pet workflow: Goessner JSONPath on a JSON list, XPath on an XML pet, `$self`.
 *
 * The OAuth example's OpenAPI gives its responses no schema; the example's criteria and outputs
 * say what it expects: /authorize answers JSON with `code` (and `access_token`, which its success
 * criteria demand), /oauth/token answers `access_token`, `refresh_token` and `expires_in`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { startStack, type Stack } from '../helpers/stack.js';

const folder = fileURLToPath(new URL('../fixtures/general-workflows', import.meta.url));
const oaiCopy = fileURLToPath(new URL('../conformance/oai/examples-1.0.0', import.meta.url));

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback server for both APIs; it records what it was asked. */
class ApiServer {
  readonly requests: Recorded[] = [];
  private readonly server: Server;
  private readonly codes = new Map<string, string>();
  private readonly refreshTokens = new Set<string>();
  private issued = 0;
  petStatus = 'available';
  /** When set, the XML form of a pet says this status (the JSON forms keep petStatus). */
  xmlStatus: string | undefined;

  constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    // oauth.openapi.yaml: GET /authorize (client_id, redirect_uri, response_type, scope, state).
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = recorded.query;
      if (q.client_id !== 'client-1' || q.response_type !== 'code' || !q.redirect_uri || !q.state)
        return json(400, { error: 'invalid_request' });
      const code = `code-${++this.issued}`;
      this.codes.set(code, q.redirect_uri);
      return json(200, { code, state: q.state, access_token: 'browser-session' });
    }
    // oauth.openapi.yaml: POST /oauth/token, application/x-www-form-urlencoded.
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
        return json(415, { error: 'unsupported_media_type' });
      const form = Object.fromEntries(new URLSearchParams(recorded.body));
      const tokens = () => {
        const n = ++this.issued;
        const refresh = `refresh-${n}`;
        this.refreshTokens.add(refresh);
        return {
          access_token: `access-${n}`,
          refresh_token: refresh,
          expires_in: 3600,
          token_type: 'Bearer',
        };
      };
      switch (form.grant_type) {
        case 'authorization_code':
          if (form.client_id !== 'client-1' || form.client_secret !== 'secret-1')
            return json(401, { error: 'invalid_client' });
          if (!form.code || this.codes.get(form.code) !== form.redirect_uri)
            return json(400, { error: 'invalid_grant' });
          this.codes.delete(form.code);
          return json(200, tokens());
        case 'refresh_token':
          if (!form.refresh_token || !this.refreshTokens.delete(form.refresh_token))
            return json(400, { error: 'invalid_grant' });
          return json(200, tokens());
        case 'client_credentials':
          if (form.client_id !== 'client-1' || form.client_secret !== 'secret-1')
            return json(401, { error: 'invalid_client' });
          return json(200, { access_token: `access-${++this.issued}`, expires_in: 3600 });
        default:
          return json(400, { error: 'unsupported_grant_type' });
      }
    }
    // pet-store.openapi.yaml: GET /api/pets?status=…, GET /api/pets/{petId} (JSON or XML).
    if (req.method === 'GET' && url.pathname === '/api/pets') {
      const pets = [
        { id: 7, name: 'Rex', status: this.petStatus },
        { id: 8, name: 'Tom', status: 'sold' },
      ];
      return json(
        200,
        pets.filter((p) => !url.searchParams.get('status') || p.status === url.searchParams.get('status')),
      );
    }
    const pet = /^\/api\/pets\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && pet) {
      if (String(req.headers.accept).includes('application/xml')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><pet id="${pet[1]}"><name>Rex</name><status>${this.xmlStatus ?? this.petStatus}</status><tags><tag>dog</tag></tags></pet>`,
        );
        return;
      }
      return json(200, { id: Number(pet[1]), name: 'Rex', status: this.petStatus });
    }
    json(404, { error: 'not found' });
  }
}

let api: ApiServer;
let stack: Stack;
before(async () => {
  api = new ApiServer();
  const url = await api.listen();
  stack = await startStack({
    folders: [folder],
    env: {
      // Their OpenAPI servers (https://auth.example.com, …) point at the loopback server instead.
      ARAZZO_SOURCE_APIM_AUTH_URL: url,
      ARAZZO_SOURCE_PET_STORE_URL: `${url}/api`,
    },
  });
});
after(async () => {
  await stack?.close();
  await api?.close();
});

void describe('general workflows: the OAI OAuth example, verbatim', () => {
  void it('is byte-identical to the conformance suite copy of the OAI file', () => {
    for (const name of ['oauth.arazzo.yaml', 'oauth.openapi.yaml'])
      assert.equal(
        readFileSync(`${folder}/${name}`, 'utf8'),
        readFileSync(`${oaiCopy}/${name}`, 'utf8'),
        name,
      );
  });

  void it('refresh-token-flow runs the authorization-code sub-workflow, then refreshes the token', async () => {
    const before = api.requests.length;
    const handle = await stack.start('refresh-token-flow', {
      my_client_id: 'client-1',
      my_client_secret: 'secret-1',
      my_redirect_uri: 'https://app.example.com/callback',
    });
    const result = (await handle.result()) as Record<string, unknown>;
    const asked = api.requests.slice(before);
    assert.deepEqual(
      asked.map((r) => `${r.method} ${r.path}`),
      ['GET /authorize', 'POST /oauth/token', 'POST /oauth/token'],
    );
    assert.deepEqual(asked[0]!.query, {
      client_id: 'client-1',
      redirect_uri: 'https://app.example.com/callback',
      response_type: 'code',
      scope: 'read',
      state: '12345',
    });
    const exchange = Object.fromEntries(new URLSearchParams(asked[1]!.body));
    assert.equal(exchange.grant_type, 'authorization_code');
    assert.equal(exchange.code, 'code-1');
    const refresh = Object.fromEntries(new URLSearchParams(asked[2]!.body));
    assert.deepEqual(refresh, { grant_type: 'refresh_token', refresh_token: 'refresh-2' });
    assert.deepEqual(result, { access_token: 'access-3', refresh_token: 'refresh-3', expires_in: 3600 });
  });

  void it('client-credentials-flow gets a token; a wrong secret fails the step', async () => {
    const ok = (await (
      await stack.start('client-credentials-flow', { client_id: 'client-1', client_secret: 'secret-1' })
    ).result()) as Record<string, unknown>;
    assert.match(String(ok.access_token), /^access-\d+$/);
    const bad = await stack.start('client-credentials-flow', {
      client_id: 'client-1',
      client_secret: 'wrong',
    });
    await assert.rejects(bad.result(), (error: unknown) => error instanceof WorkflowFailedError);
  });
});

void describe('general workflows: Arazzo 1.1 with Goessner JSONPath and XPath on XML', () => {
  void it('finds an available pet and judges its XML with XPath', async () => {
    api.petStatus = 'available';
    const result = (await (
      await stack.start('check-available-pet', { status: 'available' })
    ).result()) as Record<string, unknown>;
    assert.equal(result.petId, 7);
    assert.match(String(result.xml), /^<\?xml version="1.0" encoding="UTF-8"\?><pet id="7">/);
    assert.equal(result.document, 'https://example.com/workflows/pets.arazzo.yaml');
    const xmlRequest = api.requests.filter((r) => r.path === '/api/pets/7').at(-1)!;
    assert.equal(xmlRequest.headers.accept, 'application/xml');
  });

  void it('fails the step when the XPath criterion does not hold on the XML', async () => {
    // The JSON list says available (the Goessner filter passes); the pet's XML says pending.
    api.xmlStatus = 'pending';
    try {
      const handle = await stack.start('check-available-pet', { status: 'available' });
      await assert.rejects(handle.result(), (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError);
        assert.match(JSON.stringify(error.cause), /getPetXml/);
        return true;
      });
    } finally {
      api.xmlStatus = undefined;
    }
    assert.equal(api.requests.at(-1)!.path, '/api/pets/7');
  });

  void it('fails the first step when the Goessner filter selects nothing', async () => {
    const before = api.requests.length;
    const handle = await stack.start('check-available-pet', { status: 'sold' });
    await assert.rejects(handle.result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      assert.match(JSON.stringify(error.cause), /findPets/);
      return true;
    });
    assert.deepEqual(
      api.requests.slice(before).map((r) => r.path),
      ['/api/pets'],
    );
  });
});
