/**
 * Scenario `burst` (opt-in): the floor under "start → first request" for a burst of N starts. N runs
 * of a workflow that does nothing but one activity (bench/workflows/burst.ts) start at once, with the
 * scale scenario's start concurrency, on a worker in this process with SDK defaults. From the
 * histories of 100 runs spread over the start order: the start (WorkflowExecutionStarted) → the first
 * workflow task started, and → the activity started. Whatever the engine does, a run of it cannot
 * get its first request sooner than this floor's activity starts; run it with `--sqlite-pragmas` to
 * compare the dev server's storage settings.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import type { BenchContext } from '../lib/context.js';
import { eventTimeMs } from '../lib/history.js';
import { mapLimit, round, summarize, type Summary } from '../lib/stats.js';

export interface BurstResult {
  n: number;
  startConcurrency: number;
  devServerPragmas: string;
  /** First start call → last start call returned (s). */
  startPhaseSeconds: number;
  /** First start call → last run completed (s). */
  wallSeconds: number;
  sampled: number;
  /** WorkflowExecutionStarted → the first WorkflowTaskStarted (ms). */
  toFirstTaskMs: Summary;
  /** WorkflowExecutionStarted → ActivityTaskStarted (ms): the floor of start → first request. */
  toActivityMs: Summary;
}

export async function runBurst(ctx: BenchContext, sizes?: number[]): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  for (const n of sizes ?? [ctx.quick ? 100 : 1000]) results.push(await runOne(ctx, n));
  return results;
}

async function runOne(ctx: BenchContext, n: number): Promise<BurstResult> {
  const startConcurrency = ctx.quick ? 32 : 64;
  const taskQueue = `bench-burst-${n}-${ctx.tag}`;
  const worker = await Worker.create({
    connection: ctx.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('../workflows/burst.ts', import.meta.url)),
    activities: { touch: async () => 1 },
    shutdownGraceTime: '1 second',
  });
  const running = worker.run();
  const ids = Array.from({ length: n }, (_, i) => `bench-burst-${ctx.tag}-${n}-${i}`);
  try {
    const t0 = Date.now();
    await mapLimit(ids, startConcurrency, (workflowId) =>
      ctx.client.workflow.start('burstNoop', { taskQueue, workflowId }),
    );
    const startPhaseSeconds = (Date.now() - t0) / 1000;
    ctx.log(`burst ${n}: started all in ${startPhaseSeconds.toFixed(1)} s`);
    await Promise.all(ids.map((id) => ctx.client.workflow.getHandle(id).result()));
    const wallSeconds = (Date.now() - t0) / 1000;
    const toFirstTask: number[] = [];
    const toActivity: number[] = [];
    const step = Math.max(1, Math.floor(n / 100));
    for (let i = 0; i < n; i += step) {
      const events = (await ctx.client.workflow.getHandle(ids[i]!).fetchHistory()).events ?? [];
      const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
      const task = events.find((e) => e.workflowTaskStartedEventAttributes);
      const activity = events.find((e) => e.activityTaskStartedEventAttributes);
      if (!started || !task || !activity) continue;
      toFirstTask.push(eventTimeMs(task) - eventTimeMs(started));
      toActivity.push(eventTimeMs(activity) - eventTimeMs(started));
    }
    const result: BurstResult = {
      n,
      startConcurrency,
      devServerPragmas: ctx.devServerPragmas,
      startPhaseSeconds: round(startPhaseSeconds, 1)!,
      wallSeconds: round(wallSeconds, 1)!,
      sampled: toFirstTask.length,
      toFirstTaskMs: summarize(toFirstTask),
      toActivityMs: summarize(toActivity),
    };
    ctx.log(
      `burst ${n}: start → first task p50 ${round((result.toFirstTaskMs.p50 ?? 0) / 1000, 2)} s, p99 ${round((result.toFirstTaskMs.p99 ?? 0) / 1000, 2)} s; all done in ${result.wallSeconds} s`,
    );
    return result;
  } finally {
    worker.shutdown();
    await running;
  }
}
