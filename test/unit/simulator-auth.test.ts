// The simulator's authentication modes: none, static tokens, client credentials with expiry, basic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';
import type { AuthOptions } from '../../simulator/types.js';

async function withSim(auth: AuthOptions, run: (sim: Simulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ auth });
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
}

async function getJobs(sim: Simulator, authorization?: string): Promise<Response> {
  return fetch(`${sim.url}/jobs`, authorization ? { headers: { authorization } } : {});
}

async function mint(sim: Simulator, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${sim.url}/applications/token`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

void describe('simulator auth', () => {
  void it('mode none lets every request through', async () => {
    await withSim({ mode: 'none' }, async (sim) => {
      assert.equal((await getJobs(sim)).status, 200);
      assert.equal((await getJobs(sim, 'Bearer anything')).status, 200);
    });
  });

  void it('static tokens: 401 with a problem body and a challenge without a valid token', async () => {
    await withSim({ mode: 'token', tokens: ['t-123'] }, async (sim) => {
      assert.equal((await getJobs(sim, 'Bearer t-123')).status, 200);
      const missing = await getJobs(sim);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
      const body = (await missing.json()) as Record<string, unknown>;
      assert.equal(body['title'], 'invalid-api-key');
      assert.equal((await getJobs(sim, 'Bearer wrong')).status, 401);
      assert.equal((await getJobs(sim, basic('airbyte', 'password'))).status, 401);
      // Health and the token endpoint need no auth.
      assert.equal((await fetch(`${sim.origin}/health`)).status, 200);
    });
  });

  void it('client credentials: mints tokens that expire after their TTL (simulator clock)', async () => {
    await withSim(
      {
        mode: 'client-credentials',
        clients: [{ clientId: 'app', clientSecret: 's3cret' }],
        tokenTtlSeconds: 2,
      },
      async (sim) => {
        const minted = await mint(sim, {
          client_id: 'app',
          client_secret: 's3cret',
          'grant-type': 'client_credentials',
        });
        assert.equal(minted.status, 200);
        const token = (await minted.json()) as {
          access_token: string;
          token_type: string;
          expires_in: number;
        };
        assert.equal(token.token_type, 'Bearer');
        assert.equal(token.expires_in, 2);
        assert.equal((await getJobs(sim, `Bearer ${token.access_token}`)).status, 200);

        sim.advanceTime(1500);
        assert.equal((await getJobs(sim, `Bearer ${token.access_token}`)).status, 200);
        sim.advanceTime(600);
        const expired = await getJobs(sim, `Bearer ${token.access_token}`);
        assert.equal(expired.status, 401);
        const body = (await expired.json()) as { data: { message: string } };
        assert.equal(body.data.message, 'Token expired');

        const fresh = (await (
          await mint(sim, { client_id: 'app', client_secret: 's3cret', grant_type: 'client_credentials' })
        ).json()) as { access_token: string };
        assert.notEqual(fresh.access_token, token.access_token);
        assert.equal((await getJobs(sim, `Bearer ${fresh.access_token}`)).status, 200);
      },
    );
  });

  void it('client credentials: 403 for a wrong secret, 400 for a malformed request; form bodies accepted', async () => {
    await withSim(
      { mode: 'client-credentials', clients: [{ clientId: 'app', clientSecret: 's3cret' }] },
      async (sim) => {
        assert.equal((await mint(sim, { client_id: 'app', client_secret: 'nope' })).status, 403);
        assert.equal((await mint(sim, { client_id: 'app' })).status, 400);
        assert.equal(
          (await mint(sim, { client_id: 'app', client_secret: 's3cret', 'grant-type': 'password' })).status,
          400,
        );
        assert.equal((await mint(sim, '{bad json')).status, 400);
        const form = await mint(
          sim,
          'client_id=app&client_secret=s3cret&grant-type=client_credentials',
          'application/x-www-form-urlencoded',
        );
        assert.equal(form.status, 200);
        assert.equal((await getJobs(sim, 'Bearer made-up')).status, 401);
      },
    );
  });

  void it('basic auth with the default airbyte/password', async () => {
    await withSim({ mode: 'basic' }, async (sim) => {
      assert.equal((await getJobs(sim, basic('airbyte', 'password'))).status, 200);
      const wrong = await getJobs(sim, basic('airbyte', 'nope'));
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="Airbyte"');
      assert.equal((await getJobs(sim, 'Bearer x')).status, 401);
    });
  });

  void it('logs whether a request was authorized and its scheme, never the secret', async () => {
    await withSim(
      { mode: 'client-credentials', clients: [{ clientId: 'app', clientSecret: 'very-secret-value' }] },
      async (sim) => {
        const minted = (await (
          await mint(sim, {
            client_id: 'app',
            client_secret: 'very-secret-value',
            'grant-type': 'client_credentials',
          })
        ).json()) as { access_token: string };
        await getJobs(sim, `Bearer ${minted.access_token}`);
        await getJobs(sim, 'Basic Zm9vOmJhcg==');
        const log = sim.requests();
        assert.deepEqual(
          log.map((e) => [e.operationId, e.status, e.auth.scheme, e.auth.authorized]),
          [
            ['createAccessToken', 200, 'none', true],
            ['listJobs', 200, 'bearer', true],
            ['listJobs', 401, 'basic', false],
          ],
        );
        const text = JSON.stringify(log);
        assert.equal(text.includes('very-secret-value'), false);
        assert.equal(text.includes(minted.access_token), false);
        assert.equal(text.includes('Zm9vOmJhcg'), false);
      },
    );
  });
});
