/**
 * Scenario `long-run`: one trigger-sync-and-poll run whose job needs 20,000 polls (poll clock),
 * polled back to back (pollIntervalSeconds 0: no timer at all; a sub-second timer would take ~1 s
 * on the dev server). Checks that continue-as-new bounds each run's history and that the worker's
 * memory stays flat.
 */
import type { BenchContext } from '../lib/context.js';
import { fetchChain } from '../lib/history.js';
import { machineCpu, ProcSampler, waitForQuiet } from '../lib/proc.js';
import { round, sleep } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';

export interface LongRunResult {
  iterations: number;
  historyEventLimit: number;
  completed: boolean;
  status: string;
  wallSeconds: number;
  gets: number;
  iterationsPerSecond: number;
  runsInChain: number;
  maxHistoryLength: number;
  historyLengths: number[];
  /** bytes per run (historySizeBytes) */
  historySizes: number[];
  /**
   * RSS at 10 %, 50 % and the end of the run (spread = (max − min) / min of those three); `idle` is
   * the ready worker before the run, so idle → start is warm-up (workflow cache, connections).
   */
  rssMb: {
    idle: number;
    start: number;
    middle: number;
    end: number;
    min: number;
    max: number;
    spreadPercent: number;
    spreadFromIdlePercent: number;
  };
  rssSamples: Array<{ t: number; rssMb: number }>;
  workerCpuSeconds: number;
  workerCpuMsPerPoll: number;
  /** all cores' busy CPU seconds during the run (worker, dev server, bench process and anyone else's) */
  machineBusyCpuSeconds: number;
}

export async function runLongRun(ctx: BenchContext): Promise<LongRunResult> {
  const iterations = ctx.quick ? 2000 : 20_000;
  const historyEventLimit = 5000;
  const taskQueue = `bench-long-${ctx.tag}`;
  const { connectionId } = ctx.sim.addConnection({
    scenario: { clock: 'polls', pendingPolls: 0, runningPolls: iterations - 1 },
  });
  const worker = await spawnWorker({
    env: ctx.workerEnv(taskQueue),
    dir: ctx.tmpDir,
    label: 'long-run-worker',
  });
  // Let start-up allocations settle so "start" is the idle, ready worker.
  await sleep(2000);
  await waitForQuiet(60_000);
  const machineAtStart = machineCpu();
  const sampler = new ProcSampler(worker.pid, 1000);
  const workflowId = `bench-long-${ctx.tag}`;
  const t0 = Date.now();
  let status = 'unknown';
  try {
    const handle = await ctx.client.workflow.start('trigger-sync-and-poll', {
      taskQueue,
      workflowId,
      args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0, historyEventLimit } }],
    });
    const timeoutMs = ctx.quick ? 180_000 : 600_000;
    const outcome = await Promise.race([
      handle.result().then(
        () => 'COMPLETED',
        (e: unknown) => `FAILED: ${String(e)}`,
      ),
      sleep(timeoutMs).then(() => 'TIMEOUT'),
    ]);
    status = outcome;
    if (outcome === 'TIMEOUT') await handle.terminate('benchmark deadline').catch(() => undefined);
    const wallSeconds = (Date.now() - t0) / 1000;
    sampler.sample();
    const use = sampler.stop();
    const machineAtEnd = machineCpu();
    const gets = ctx.sim.jobs(connectionId).reduce((a, j) => a + j.reads, 0);
    const chain = await fetchChain(ctx.client, workflowId, handle.firstExecutionRunId);
    const lengths = chain.map((c) => c.events);
    const samples = sampler.samples.map((s) => ({ t: s.t, rssMb: round(s.rssMb, 1)! }));
    const at = (fraction: number) => {
      const t = fraction * wallSeconds * 1000;
      return samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]!)
        .rssMb;
    };
    const idle = samples[0]?.rssMb ?? 0;
    const first = at(0.1);
    const last = samples[samples.length - 1]?.rssMb ?? 0;
    const mid = at(0.5);
    const three = [first, mid, last];
    const all = samples.map((s) => s.rssMb);
    const min = Math.min(...all);
    const max = Math.max(...all);
    return {
      iterations,
      historyEventLimit,
      completed: status === 'COMPLETED',
      status,
      wallSeconds: round(wallSeconds, 1)!,
      gets,
      iterationsPerSecond: round(gets / wallSeconds, 1)!,
      runsInChain: chain.length,
      maxHistoryLength: Math.max(...lengths),
      historyLengths: lengths,
      historySizes: chain.map((c) => c.sizeBytes ?? 0),
      rssMb: {
        idle,
        start: first,
        middle: mid,
        end: last,
        min,
        max,
        spreadPercent: round(((Math.max(...three) - Math.min(...three)) / Math.min(...three)) * 100, 1)!,
        spreadFromIdlePercent: round(
          ((Math.max(idle, ...three) - Math.min(idle, ...three)) / Math.min(idle, ...three)) * 100,
          1,
        )!,
      },
      rssSamples: samples,
      workerCpuSeconds: round(use.cpuSeconds, 2)!,
      workerCpuMsPerPoll: round((use.cpuSeconds * 1000) / Math.max(1, gets), 3)!,
      machineBusyCpuSeconds: round(machineAtEnd.busySeconds - machineAtStart.busySeconds, 1)!,
    };
  } finally {
    sampler.stop();
    await worker.stop();
  }
}
