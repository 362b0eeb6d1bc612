/**
 * Faults from the API at full load: 50 concurrent runs of each catalog workflow (trigger-sync-and-poll,
 * reset-and-resync, trigger-sync + wait-for-job) against a simulator injecting 10% 5xx, 5% resets,
 * latency above the 2 s HTTP timeout, 429 with and without Retry-After, slow creates, lost answers
 * and token expiry. See lib/api-faults.ts for what "nothing lost" means.
 */
import { describe, it } from 'node:test';
import { runApiFaults } from './lib/api-faults.js';

describe('faults from the API', () => {
  it('50 concurrent runs of each catalog workflow end with fault-free outputs; zero duplicate or orphan jobs; no secret anywhere', async () => {
    await runApiFaults({ runsPerWorkflow: 50, seed: 20240601, workers: 2, label: 'full' });
  });
});
