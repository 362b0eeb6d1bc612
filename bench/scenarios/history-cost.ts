/**
 * Scenario `history`: history events and billable actions per poll iteration and per whole run,
 * for the default design (local activity read + timer), regular activity read + timer, and
 * activity-retry polling (bench-only workflow on its own worker and task queue).
 *
 * Each design polls simulator jobs on the poll clock (each GET moves the job one step), once with
 * few polls and once with many: per-iteration cost = Δevents / ΔGETs, so the fixed cost of a run
 * (start, create call, completion) cancels out.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { createRetryPollActivities } from '../workflows/retry-poll-activities.js';
import type { BenchContext } from '../lib/context.js';
import { fetchChain, addCounts, type HistoryCount } from '../lib/history.js';
import { round, sleep } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';

export type Design = 'local' | 'regular' | 'retry';

export interface HistoryRun {
  design: Design;
  workflow: string;
  runningPolls: number;
  /** GET /jobs/{id} answered by the simulator for this run (= poll iterations, incl. the terminal one) */
  gets: number;
  events: number;
  /** history bytes (server's historySizeBytes, summed over the chain) */
  bytes: number;
  actions: number;
  actionsByKind: Record<string, number>;
  byType: Record<string, number>;
  wallSeconds: number;
}

export interface HistoryDesignSummary {
  design: Design;
  label: string;
  eventsPerIteration?: number;
  bytesPerIteration?: number;
  actionsPerIteration?: number;
  /** events of a run = fixed + perIteration × GETs */
  fixedEvents?: number;
  fixedActions?: number;
  /** Whole trigger-sync-and-poll run with `runningPolls` = the larger count */
  wholeRun: { gets: number; events: number; bytes: number; actions: number; byType: Record<string, number> };
  /** per-iteration event mix (Δ by type / ΔGETs) */
  perIterationByType: Record<string, number>;
}

export interface HistoryCostResult {
  pollIntervalSeconds: number;
  pollCounts: [number, number];
  runs: HistoryRun[];
  designs: HistoryDesignSummary[];
  seedRuns: HistoryRun[];
  countingRule: string;
}

const LABELS: Record<Design, string> = {
  local: 'default: local activity read + timer',
  regular: "regular activity read + timer (readActivity: 'regular')",
  retry: 'activity-retry polling (bench-only; invisible loop)',
};

export const COUNTING_RULE =
  'Workflow started (incl. continue-as-new) 1; each activity attempt 1 (attempts read from ActivityTaskStarted.attempt, since retries leave no events); ' +
  'local activities: 1 per workflow task that recorded ≥1 marker (docs.temporal.io/cloud/actions: all local activities of one workflow task are one action); ' +
  'TimerStarted 1; WorkflowExecutionSignaled 1; UpsertWorkflowSearchAttributes 1. Not counted: workflow tasks, memo upserts, queries, activity heartbeats (not in history).';

export async function runHistoryCost(ctx: BenchContext): Promise<HistoryCostResult> {
  const interval = 1;
  const pollCounts: [number, number] = ctx.quick ? [2, 6] : [3, 13];
  const reps = ctx.quick ? 1 : 2;
  const taskQueue = `bench-history-${ctx.tag}`;
  const retryQueue = `bench-history-retry-${ctx.tag}`;

  const worker = await spawnWorker({
    env: ctx.workerEnv(taskQueue),
    dir: ctx.tmpDir,
    label: 'history-worker',
  });
  const retryWorker = await Worker.create({
    connection: ctx.nativeConnection,
    taskQueue: retryQueue,
    workflowsPath: fileURLToPath(new URL('../workflows/retry-poll.ts', import.meta.url)),
    activities: createRetryPollActivities(ctx.sim.url),
    shutdownGraceTime: '1 second',
  });
  const retryRunning = retryWorker.run();
  try {
    const runOne = async (
      design: Design,
      workflow: string,
      runningPolls: number,
      i: number,
    ): Promise<HistoryRun> => {
      const scenario = {
        clock: 'polls' as const,
        pendingPolls: 1,
        runningPolls,
        reset: { pendingPolls: 1, runningPolls },
      };
      const { connectionId } = ctx.sim.addConnection({ scenario });
      const workflowId = `bench-history-${ctx.tag}-${workflow}-${design}-${runningPolls}-${i}`;
      const started = Date.now();
      const handle =
        design === 'retry'
          ? await ctx.client.workflow.start('retryPollSync', {
              taskQueue: retryQueue,
              workflowId,
              args: [{ connectionId, intervalSeconds: interval }],
            })
          : await ctx.client.workflow.start(workflow, {
              taskQueue,
              workflowId,
              args: [
                {
                  connectionId,
                  'x-temporal': { pollIntervalSeconds: interval, readActivity: design },
                },
              ],
            });
      const outcome = await Promise.race([
        handle.result().then(
          () => 'ok',
          (e: unknown) => `failed: ${String(e)}`,
        ),
        sleep(180_000).then(() => 'timeout'),
      ]);
      if (outcome !== 'ok') {
        await handle.terminate('benchmark deadline').catch(() => undefined);
        throw new Error(`${workflowId}: ${outcome}`);
      }
      const wallSeconds = (Date.now() - started) / 1000;
      const chain = await fetchChain(ctx.client, workflowId, handle.firstExecutionRunId);
      const total: HistoryCount = addCounts(chain);
      const gets = ctx.sim.jobs(connectionId).reduce((a, j) => a + j.reads, 0);
      return {
        design,
        workflow,
        runningPolls,
        gets,
        events: total.events,
        bytes: total.sizeBytes ?? 0,
        actions: total.actions,
        actionsByKind: total.actionsByKind,
        byType: total.byType,
        wallSeconds,
      };
    };

    const jobs: Array<Promise<HistoryRun>> = [];
    for (const design of ['local', 'regular', 'retry'] as const) {
      for (const k of pollCounts)
        for (let i = 0; i < reps; i++) jobs.push(runOne(design, 'trigger-sync-and-poll', k, i));
    }
    const seedJobs = (['local', 'regular'] as const).map((d) =>
      runOne(d, 'reset-and-resync', pollCounts[0], 0),
    );
    ctx.log(
      `history: ${jobs.length + seedJobs.length} runs, poll interval ${interval} s, ${pollCounts.join(' and ')} running polls`,
    );
    const runs = await Promise.all(jobs);
    const seedRuns = await Promise.all(seedJobs);

    const designs = (['local', 'regular', 'retry'] as const).map((design): HistoryDesignSummary => {
      const avg = (k: number, f: (r: HistoryRun) => number) => {
        const rs = runs.filter((r) => r.design === design && r.runningPolls === k);
        return rs.reduce((a, r) => a + f(r), 0) / rs.length;
      };
      const [k1, k2] = pollCounts;
      const dGets = avg(k2, (r) => r.gets) - avg(k1, (r) => r.gets);
      const perIter = (f: (r: HistoryRun) => number) =>
        dGets > 0 ? (avg(k2, f) - avg(k1, f)) / dGets : undefined;
      const eventsPerIteration = perIter((r) => r.events);
      const actionsPerIteration = perIter((r) => r.actions);
      const big = runs.find((r) => r.design === design && r.runningPolls === k2)!;
      const small = runs.find((r) => r.design === design && r.runningPolls === k1)!;
      const perIterationByType: Record<string, number> = {};
      for (const type of new Set([...Object.keys(big.byType), ...Object.keys(small.byType)])) {
        const d = ((big.byType[type] ?? 0) - (small.byType[type] ?? 0)) / Math.max(1, big.gets - small.gets);
        if (d !== 0) perIterationByType[type] = round(d, 2)!;
      }
      return {
        design,
        label: LABELS[design],
        eventsPerIteration: round(eventsPerIteration, 2),
        bytesPerIteration: round(
          perIter((r) => r.bytes),
          0,
        ),
        actionsPerIteration: round(actionsPerIteration, 2),
        fixedEvents:
          eventsPerIteration === undefined
            ? undefined
            : round(avg(k1, (r) => r.events) - eventsPerIteration * avg(k1, (r) => r.gets), 1),
        fixedActions:
          actionsPerIteration === undefined
            ? undefined
            : round(avg(k1, (r) => r.actions) - actionsPerIteration * avg(k1, (r) => r.gets), 1),
        wholeRun: {
          gets: big.gets,
          events: big.events,
          bytes: big.bytes,
          actions: big.actions,
          byType: big.byType,
        },
        perIterationByType,
      };
    });
    return {
      pollIntervalSeconds: interval,
      pollCounts,
      runs,
      designs,
      seedRuns,
      countingRule: COUNTING_RULE,
    };
  } finally {
    retryWorker.shutdown();
    await retryRunning.catch(() => undefined);
    await worker.stop();
  }
}
