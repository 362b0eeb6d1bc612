import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  bypassesProxy,
  describeProxy,
  proxyFor,
  resolveNetworkSettings,
  secretsOfNetwork,
} from '../../src/activities/network.js';

const settingsOf = (env: NodeJS.ProcessEnv) => {
  const result = resolveNetworkSettings(env);
  assert.ok(result.ok, JSON.stringify(result));
  return result.settings;
};

describe('proxy settings', () => {
  it('uses HTTPS_PROXY for https URLs and HTTP_PROXY for http URLs; nothing set means direct', () => {
    const settings = settingsOf({
      HTTPS_PROXY: 'http://secure.proxy:3128',
      HTTP_PROXY: 'http://plain.proxy:8080',
    });
    assert.equal(proxyFor(new URL('https://api.airbyte.com/v1/jobs'), settings), 'http://secure.proxy:3128');
    assert.equal(proxyFor(new URL('http://airbyte.internal:8000/api'), settings), 'http://plain.proxy:8080');
    assert.equal(proxyFor(new URL('https://api.airbyte.com/v1'), settingsOf({})), undefined);
    assert.equal(proxyFor(new URL('http://x/'), settingsOf({ HTTPS_PROXY: 'http://p:1' })), undefined);
  });

  it('prefers the lower-case spelling when both are set, and takes the upper-case one alone', () => {
    const both = settingsOf({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' });
    assert.equal(both.httpsProxy, 'http://lower:1');
    assert.equal(settingsOf({ HTTPS_PROXY: 'http://upper:2' }).httpsProxy, 'http://upper:2');
    const noProxy = settingsOf({ no_proxy: 'a.example', NO_PROXY: 'b.example' });
    assert.deepEqual(noProxy.noProxy, ['a.example']);
  });

  it('takes a proxy without scheme as http://, and refuses other schemes and paths naming the variable', () => {
    assert.equal(settingsOf({ HTTP_PROXY: 'proxy.corp:3128' }).httpProxy, 'http://proxy.corp:3128');
    const bad = resolveNetworkSettings({ HTTPS_PROXY: 'socks5://p:1080', http_proxy: 'http://p:1/x' });
    assert.ok(!bad.ok);
    assert.equal(bad.errors.length, 2);
    assert.ok(
      bad.errors.some((e) => /^HTTPS_PROXY: .*socks5:/.test(e)),
      bad.errors.join('\n'),
    );
    assert.ok(
      bad.errors.some((e) => /^http_proxy: /.test(e)),
      bad.errors.join('\n'),
    );
  });

  it('never echoes a proxy URL that carries credentials in an error', () => {
    const bad = resolveNetworkSettings({ HTTPS_PROXY: 'http://user:s3cret-proxy-pw@proxy.corp:3128/path' });
    assert.ok(!bad.ok);
    assert.doesNotMatch(bad.errors.join('\n'), /s3cret-proxy-pw/);
    assert.match(bad.errors.join('\n'), /HTTPS_PROXY/);
  });

  it('lists the proxy password (plain, encoded, as user:password and base64) as secrets', () => {
    const settings = settingsOf({ HTTPS_PROXY: 'http://me:p%40ss@proxy.corp:3128' });
    const secrets = secretsOfNetwork(settings);
    assert.ok(secrets.includes('p@ss'));
    assert.ok(secrets.includes('p%40ss'));
    assert.ok(secrets.includes(Buffer.from('me:p@ss').toString('base64')));
    assert.equal(describeProxy(settings.httpsProxy ?? ''), 'http://proxy.corp:3128');
  });

  it('reads ARAZZO_CA_FILE, and names the variable when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-ca-'));
    try {
      const file = join(dir, 'ca.pem');
      writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      assert.match(settingsOf({ ARAZZO_CA_FILE: file }).ca ?? '', /BEGIN CERTIFICATE/);
      const missing = resolveNetworkSettings({ ARAZZO_CA_FILE: join(dir, 'nope.pem') });
      assert.ok(!missing.ok);
      assert.match(missing.errors[0] ?? '', /^ARAZZO_CA_FILE: cannot read .*ENOENT/);
      writeFileSync(file, 'not a certificate');
      assert.ok(!resolveNetworkSettings({ ARAZZO_CA_FILE: file }).ok);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NO_PROXY matching', () => {
  const bypass = (url: string, noProxy: string) =>
    bypassesProxy(new URL(url), settingsOf({ NO_PROXY: noProxy }).noProxy);

  it('matches a name and its subdomains, with or without a leading dot or *.', () => {
    for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
      assert.ok(bypass('https://example.com/', entry), entry);
      assert.ok(bypass('https://api.example.com/', entry), entry);
      assert.ok(!bypass('https://notexample.com/', entry), entry);
      assert.ok(!bypass('https://example.com.evil/', entry), entry);
    }
  });

  it('matches ports when the entry has one, against the scheme default when the URL has none', () => {
    assert.ok(bypass('http://airbyte.internal:8000/', 'airbyte.internal:8000'));
    assert.ok(!bypass('http://airbyte.internal:8001/', 'airbyte.internal:8000'));
    assert.ok(bypass('https://api.airbyte.com/', 'api.airbyte.com:443'));
    assert.ok(!bypass('http://api.airbyte.com/', 'api.airbyte.com:443'));
  });

  it('turns the proxy off for everything with *', () => {
    assert.ok(bypass('https://anything.at.all/', '*'));
    assert.ok(bypass('https://anything.at.all/', 'foo, *'));
  });

  it('matches IP addresses exactly or by CIDR, IPv6 in brackets too', () => {
    assert.ok(bypass('http://127.0.0.1:8090/', '127.0.0.1'));
    assert.ok(!bypass('http://127.0.0.2:8090/', '127.0.0.1'));
    assert.ok(bypass('http://10.1.2.3/', '10.0.0.0/8'));
    assert.ok(!bypass('http://11.1.2.3/', '10.0.0.0/8'));
    assert.ok(bypass('http://[::1]:8090/', '::1'));
    assert.ok(bypass('http://[::1]:8090/', '[::1]:8090'));
    assert.ok(!bypass('http://[::1]:8091/', '[::1]:8090'));
    assert.ok(bypass('http://[fd00::5]/', 'fd00::/8'));
    assert.ok(!bypass('http://1.2.3.4/', '1.2.3'));
  });

  it('skips empty entries and splits on commas and spaces', () => {
    assert.ok(bypass('https://b.example/', ' a.example ,, b.example c.example'));
    assert.ok(!bypass('https://d.example/', ' a.example ,, b.example c.example'));
    assert.ok(!bypass('https://d.example/', ''));
  });
});
