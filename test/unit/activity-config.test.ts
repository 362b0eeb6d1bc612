import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSourceConnections, sourceEnvName } from '../../src/config/index.js';
import type { ConnectionsResult, SourceConnection } from '../../src/config/index.js';

const AIRBYTE = { name: 'airbyte', credentials: 'airbyte', serverUrl: 'https://api.airbyte.com/v1' };

function connectionsOf(result: ConnectionsResult): Record<string, SourceConnection> {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  return result.connections;
}

function errorsOf(result: ConnectionsResult): string[] {
  assert.ok(!result.ok, 'expected errors');
  return result.errors;
}

describe('resolveSourceConnections: Airbyte sources', () => {
  it('defaults to the OpenAPI server URL, no auth, 150 s timeout and 256 KiB bodies', () => {
    const { airbyte } = connectionsOf(resolveSourceConnections({}, [AIRBYTE]));
    assert.deepEqual(airbyte, {
      baseUrl: 'https://api.airbyte.com/v1',
      auth: { type: 'none' },
      timeoutMs: 150_000,
      maxBodyBytes: 262_144,
    });
  });

  it('prefers AIRBYTE_API_URL and strips a trailing slash', () => {
    const env = { AIRBYTE_API_URL: 'http://127.0.0.1:8000/api/public/v1/' };
    assert.equal(
      connectionsOf(resolveSourceConnections(env, [AIRBYTE])).airbyte?.baseUrl,
      'http://127.0.0.1:8000/api/public/v1',
    );
  });

  it('client credentials use <api>/applications/token unless AIRBYTE_TOKEN_URL is set', () => {
    const env = {
      AIRBYTE_API_URL: 'http://h/v1',
      AIRBYTE_CLIENT_ID: 'id',
      AIRBYTE_CLIENT_SECRET: 'shh-secret',
    };
    assert.deepEqual(connectionsOf(resolveSourceConnections(env, [AIRBYTE])).airbyte?.auth, {
      type: 'clientCredentials',
      clientId: 'id',
      clientSecret: 'shh-secret',
      tokenUrl: 'http://h/v1/applications/token',
    });
    const overridden = resolveSourceConnections({ ...env, AIRBYTE_TOKEN_URL: 'https://auth.example/token' }, [
      AIRBYTE,
    ]);
    const auth = connectionsOf(overridden).airbyte?.auth;
    assert.equal(
      auth?.type === 'clientCredentials' ? auth.tokenUrl : undefined,
      'https://auth.example/token',
    );
  });

  it('reads a bearer token and basic credentials', () => {
    assert.deepEqual(
      connectionsOf(resolveSourceConnections({ AIRBYTE_API_TOKEN: 'tok-123' }, [AIRBYTE])).airbyte?.auth,
      {
        type: 'bearer',
        token: 'tok-123',
      },
    );
    const basic = resolveSourceConnections({ AIRBYTE_USERNAME: 'airbyte', AIRBYTE_PASSWORD: 'password' }, [
      AIRBYTE,
    ]);
    assert.deepEqual(connectionsOf(basic).airbyte?.auth, {
      type: 'basic',
      username: 'airbyte',
      password: 'password',
    });
  });

  it('reads AIRBYTE_TIMEOUT_SECONDS and ARAZZO_MAX_BODY_BYTES', () => {
    const env = { AIRBYTE_TIMEOUT_SECONDS: '2.5', ARAZZO_MAX_BODY_BYTES: '1000' };
    const { airbyte } = connectionsOf(resolveSourceConnections(env, [AIRBYTE]));
    assert.equal(airbyte?.timeoutMs, 2500);
    assert.equal(airbyte?.maxBodyBytes, 1000);
  });

  it('treats empty variables as unset', () => {
    const env = { AIRBYTE_API_TOKEN: '', AIRBYTE_CLIENT_ID: '  ', AIRBYTE_API_URL: '' };
    assert.deepEqual(connectionsOf(resolveSourceConnections(env, [AIRBYTE])).airbyte?.auth, { type: 'none' });
  });

  it('reports every problem at once, naming the variables, without echoing secrets', () => {
    const env = {
      AIRBYTE_API_URL: 'ftp://files.example',
      AIRBYTE_CLIENT_ID: 'id-only',
      AIRBYTE_API_TOKEN: 'tok-SECRET-1',
      AIRBYTE_PASSWORD: 'pw-SECRET-2',
      AIRBYTE_TIMEOUT_SECONDS: 'soon',
      ARAZZO_MAX_BODY_BYTES: '-5',
    };
    const errors = errorsOf(resolveSourceConnections(env, [AIRBYTE, { ...AIRBYTE, name: 'airbyte2' }]));
    const text = errors.join('\n');
    for (const variable of [
      'AIRBYTE_API_URL',
      'AIRBYTE_CLIENT_SECRET',
      'AIRBYTE_USERNAME',
      'AIRBYTE_API_TOKEN',
      'AIRBYTE_TIMEOUT_SECONDS',
      'ARAZZO_MAX_BODY_BYTES',
    ]) {
      assert.ok(text.includes(variable), `no error names ${variable}:\n${text}`);
    }
    assert.match(text, /more than one authentication method/);
    assert.doesNotMatch(text, /SECRET-1|SECRET-2/);
    // Two Airbyte sources share the variables: each problem is reported once.
    assert.equal(errors.length, new Set(errors).size);
  });

  it('names the half of a credential pair that is set and the half that is missing', () => {
    const errors = errorsOf(
      resolveSourceConnections({ AIRBYTE_CLIENT_SECRET: 's3cret', AIRBYTE_USERNAME: 'u' }, [AIRBYTE]),
    );
    assert.deepEqual(errors.slice(0, 2), [
      'AIRBYTE_CLIENT_SECRET is set but AIRBYTE_CLIENT_ID is not: client credentials need both',
      'AIRBYTE_USERNAME is set but AIRBYTE_PASSWORD is not: basic auth needs both',
    ]);
  });

  it('rejects a URL with credentials without echoing it', () => {
    const errors = errorsOf(
      resolveSourceConnections({ AIRBYTE_API_URL: 'https://user:pa55word@h/v1' }, [AIRBYTE]),
    );
    assert.match(errors.join(), /AIRBYTE_API_URL/);
    assert.doesNotMatch(errors.join(), /pa55word/);
  });

  it('rejects a URL that does not parse, with a query, or a bad token URL', () => {
    assert.match(
      errorsOf(resolveSourceConnections({ AIRBYTE_API_URL: 'not a url' }, [AIRBYTE])).join(),
      /AIRBYTE_API_URL.*"not a url"/,
    );
    assert.match(
      errorsOf(resolveSourceConnections({ AIRBYTE_API_URL: 'http://h/v1?x=1' }, [AIRBYTE])).join(),
      /query/,
    );
    const env = { AIRBYTE_CLIENT_ID: 'a', AIRBYTE_CLIENT_SECRET: 'b', AIRBYTE_TOKEN_URL: 'nope' };
    assert.match(errorsOf(resolveSourceConnections(env, [AIRBYTE])).join(), /AIRBYTE_TOKEN_URL/);
  });

  it('needs a URL from somewhere', () => {
    const errors = errorsOf(resolveSourceConnections({}, [{ name: 'airbyte', credentials: 'airbyte' }]));
    assert.match(errors.join(), /AIRBYTE_API_URL is not set/);
  });
});

describe('resolveSourceConnections: other sources', () => {
  it('upper-snake-cases source names', () => {
    assert.equal(sourceEnvName('petStore'), 'PET_STORE');
    assert.equal(sourceEnvName('my-api.v2'), 'MY_API_V2');
  });

  it('reads ARAZZO_SOURCE_<NAME>_URL, _TOKEN and _TIMEOUT_SECONDS', () => {
    const env = {
      ARAZZO_SOURCE_PET_STORE_URL: 'http://127.0.0.1:9/pets',
      ARAZZO_SOURCE_PET_STORE_TOKEN: 'pet-token',
      ARAZZO_SOURCE_PET_STORE_TIMEOUT_SECONDS: '5',
    };
    assert.deepEqual(connectionsOf(resolveSourceConnections(env, [{ name: 'petStore' }])).petStore, {
      baseUrl: 'http://127.0.0.1:9/pets',
      auth: { type: 'bearer', token: 'pet-token' },
      timeoutMs: 5000,
      maxBodyBytes: 262_144,
    });
  });

  it('does not read Airbyte variables for other sources', () => {
    const env = { AIRBYTE_API_TOKEN: 'tok', AIRBYTE_API_URL: 'http://airbyte/v1' };
    const { other } = connectionsOf(
      resolveSourceConnections(env, [{ name: 'other', serverUrl: 'https://other.example' }]),
    );
    assert.deepEqual(other?.auth, { type: 'none' });
    assert.equal(other?.baseUrl, 'https://other.example');
  });

  it('reports half a basic pair and two methods by variable name', () => {
    const errors = errorsOf(
      resolveSourceConnections({ ARAZZO_SOURCE_X_USERNAME: 'u', ARAZZO_SOURCE_X_TOKEN: 't0ken' }, [
        { name: 'x', serverUrl: 'http://x' },
      ]),
    );
    assert.match(errors.join('\n'), /ARAZZO_SOURCE_X_PASSWORD/);
    assert.match(errors.join('\n'), /ARAZZO_SOURCE_X_TOKEN/);
    assert.doesNotMatch(errors.join('\n'), /t0ken/);
  });
});
