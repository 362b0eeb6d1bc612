/**
 * Security: input cannot choose the server, credentials or catalog (a trap server receives
 * nothing), path parameters stay one encoded segment, large responses are truncated before
 * history, and no secret appears in any history, worker log or error. See lib/security.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSecurity } from './lib/security.js';

describe('security', () => {
  let todo: string[] = [];
  it('input never chooses the server, credentials or catalog; paths stay encoded; payloads capped; no secret anywhere', async () => {
    todo = (await runSecurity({ label: 'full' })).todo as string[];
  });
  it('a client-supplied second workflow argument (forged plan or carried state) is refused', () => {
    assert.deepEqual(todo, []);
  });
});
