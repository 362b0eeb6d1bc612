/**
 * Dev-server restarts: 20 restart cycles under a steady load of polling runs, on two worker
 * processes. See lib/server-restarts.ts for what is measured and what "nothing lost" means.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runServerRestarts } from './lib/server-restarts.js';

const cycles = Number(process.env.ARAZZO_RESTART_CYCLES ?? 20);

describe('dev-server restarts', () => {
  it('20 restarts with polling runs, workers SIGKILLed now and then: no run stalls, nothing lost', async () => {
    const figures = await runServerRestarts({
      label: 'restarts',
      seed: 12,
      runs: Number(process.env.ARAZZO_RESTART_RUNS ?? 12),
      cycles,
      minUpMs: Number(process.env.ARAZZO_RESTART_MIN_UP_MS ?? 3000),
      maxUpMs: Number(process.env.ARAZZO_RESTART_MAX_UP_MS ?? 6000),
      killWorkerEvery: Number(process.env.ARAZZO_RESTART_KILL_EVERY ?? 3),
      stallSeconds: 90,
      // `ARAZZO_RESTART_WFT_RETRY_MAX=10m` runs it on Temporal's own default instead of the bound.
      ...(process.env.ARAZZO_RESTART_WFT_RETRY_MAX
        ? {
            server: {
              dynamicConfig: {
                'history.workflowTaskRetryMaxInterval': process.env.ARAZZO_RESTART_WFT_RETRY_MAX,
              },
            },
          }
        : {}),
    });
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    assert.equal(figures.stalls, 0, 'a run made no progress for 90 s after a restart');
    assert.equal(figures.runsCancelledCleanly, figures.runs);
    assert.equal(figures.jobsLeftRunning, 0);
  });
});
