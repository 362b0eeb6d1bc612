/**
 * Cancellation under load: 100 runs polling running jobs, half cancelled at once (signal and
 * Temporal cancel, mixed). See lib/cancellation.ts for what "nothing lost" means.
 */
import { describe, it } from 'node:test';
import { runCancellation } from './lib/cancellation.js';

describe('cancellation under load', () => {
  it('cancelling 50 of 100 running runs sends exactly one DELETE per running job of a cancelled run and none to the others', async () => {
    await runCancellation({ runs: 100, seed: 5, workers: 2, label: 'full' });
  });
});
