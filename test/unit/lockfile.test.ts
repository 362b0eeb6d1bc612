/**
 * `npm ci` refuses a lock file that misses optional platform packages (the reachable registry
 * serves only linux-x64 builds, so npm drops the others). After `npm install`, run
 * `node scripts/complete-lockfile.mjs`; this test fails when that was forgotten.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

describe('package-lock.json', () => {
  it('lists every optional dependency, so npm ci accepts it on a fresh clone', async () => {
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${path === '' ? '' : `${path}/`}node_modules/${name}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`])
          missing.push(`${name} (of ${path || 'root'})`);
      }
    }
    assert.deepEqual(missing, [], 'run: node scripts/complete-lockfile.mjs');
  });
});
