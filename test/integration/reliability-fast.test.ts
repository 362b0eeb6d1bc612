/**
 * The fast subset of the reliability suite (test/reliability, `npm run test:reliability`), run by
 * `npm test`: the same scenarios as the full suite at a small load (crashes are covered here by
 * durability.test.ts). Known bugs have their todo tests in the full suite only.
 */
import { describe, it } from 'node:test';
import { runApiFaults } from '../reliability/lib/api-faults.js';
import { runBadInput } from '../reliability/lib/bad-input.js';
import { runCancellation } from '../reliability/lib/cancellation.js';
import { runSecurity } from '../reliability/lib/security.js';

describe('reliability (fast subset)', () => {
  it('faults from the API: 4 runs of each catalog workflow end with fault-free outputs; zero duplicates or orphans; no secret leaked', async () => {
    await runApiFaults({ runsPerWorkflow: 4, seed: 7, workers: 1, label: 'fast' });
  });
  it('cancellation: 5 of 10 running runs cancelled (signal and Temporal cancel): one DELETE each, none for the others', async () => {
    await runCancellation({ runs: 10, seed: 3, workers: 1, label: 'fast' });
  });
  it('bad input: 4 documents, 19 input cases and 8 configuration cases refused before any request', async () => {
    await runBadInput({
      label: 'fast',
      documentLimit: 4,
      processSample: 0,
      configProcesses: 0,
      configLimit: 8,
      inputLimit: 19,
      goodRunPolls: 12,
    });
  });
  it('security: trap never hit, paths encoded, payloads capped, no secret anywhere', async () => {
    await runSecurity({ label: 'fast', pathCases: 10 });
  });
});
