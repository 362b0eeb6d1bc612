/**
 * The fast subset of the reliability suite (test/reliability, `npm run test:reliability`), run by
 * `npm test`: the same scenarios at a small load.
 */
import { describe, it } from 'node:test';
import { runApiFaults } from '../reliability/lib/api-faults.js';

describe('reliability (fast subset)', () => {
  it('faults from the API: 6 runs of each catalog workflow end with fault-free outputs; zero duplicates or orphans; no secret leaked', async () => {
    await runApiFaults({ runsPerWorkflow: 6, seed: 7, workers: 1, label: 'fast' });
  });
});
