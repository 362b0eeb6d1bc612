/**
 * Crashes: 30 run groups (10 of each catalog workflow; trigger-sync + wait-for-job as a pair) on two
 * worker processes that are SIGKILLed at random moments every 2-5 s and restarted, with the dev
 * server restarted once on its database file. See lib/crashes.ts for what "nothing lost" means.
 */
import { describe, it } from 'node:test';
import { runCrashes } from './lib/crashes.js';

describe('crashes', () => {
  it('SIGKILLed workers and a restarted dev server: every run completes with fault-free outputs; no job duplicated or left running', async () => {
    await runCrashes({
      runsPerKind: 10,
      seed: 11,
      minKillMs: 2000,
      maxKillMs: 5000,
      serverRestartAfterKills: 4,
      label: 'full',
      deadlineSeconds: 420,
    });
  });
});
