/**
 * docker-compose.yml cannot run here (no Docker engine); this checks its structure as far as this
 * machine allows: it parses, every dependency exists, the simulator sits behind a profile, ports
 * bind to loopback, and the commands it runs exist in the build.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);

interface Service {
  image?: string;
  build?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
}

describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(new URL('docker-compose.yml', root), 'utf8')) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('has PostgreSQL, Temporal with schema setup, the UI, the worker and the simulator', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'airbyte-sim',
      'postgresql',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    assert.match(services.temporal?.image ?? '', /^temporalio\/auto-setup:/);
    assert.equal(services.worker?.build, '.');
  });

  it('depends only on services it defines, on healthy ones where a health check exists', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(services[dependency], `${name} depends on unknown ${dependency}`);
        assert.equal(condition, 'service_healthy', `${name} → ${dependency}`);
      }
    }
  });

  it('keeps the simulator behind a profile and binds ports to loopback', () => {
    assert.deepEqual(services['airbyte-sim']?.profiles, ['simulator']);
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? [])
        assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port}`);
    }
  });

  it('runs files that the build produces', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8');
    assert.match(dockerfile, /CMD \["node", "dist\/src\/worker\.js"\]/);
    const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(pkg.scripts.build ?? '', /tsc -p tsconfig\.build\.json/);
    assert.equal(services['airbyte-sim']?.command?.[1], 'dist/simulator/main.js');
    assert.equal(services.worker?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
  });
});
