/**
 * Scenario `activations`: what one poll iteration costs the worker's workflow side, counted rather
 * than timed. An in-process worker runs in the SDK's debug mode (workflows in this thread, in the
 * same reusable V8 context as the threaded worker uses), so the benchmark can see:
 *
 * - activations (calls of the SDK's `BaseVMWorkflow.activate`) and the wall time spent inside them;
 * - promises created in workflow code (a `v8.promiseHooks` init hook counting promises whose
 *   constructor is not this realm's: the SDK's own hook builds an Error stack for each of them);
 * - sink calls (`log.*` from workflow code crosses to the worker even when the level filters it).
 *
 * Runs poll simulator jobs on the poll clock with two poll counts; per-iteration figures are
 * Δ / ΔGETs, so the fixed cost of a run cancels out, as in the `history` scenario.
 *
 * Then the histories of those runs are replayed (threaded VM, as in production) against variants
 * of the bundle that differ only in how the SDK's per-promise stack capture is served (the inline
 * source map, Error.stackTraceLimit in the workflow context): process CPU per iteration, the
 * workflow side alone, without the server or the network.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promiseHooks } from 'node:v8';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { spawn } from 'node:child_process';
import { BaseVMWorkflow } from '@temporalio/worker/lib/workflow/vm-shared.js';
import { loadWorkerConfig, projectRoot } from '../../src/config/index.js';
import type { WorkerProgram } from '../lib/worker-process.js';
import { createArazzoWorker } from '../../src/worker/setup.js';
import type { BenchContext } from '../lib/context.js';
import { round, sleep } from '../lib/stats.js';

export interface ActivationCounts {
  gets: number;
  activations: number;
  promises: number;
  sinkCalls: number;
  activateMs: number;
}

export interface ReplayVariant {
  variant: string;
  description: string;
  /** process CPU (all threads) per poll iteration while replaying, Δ between the two poll counts */
  cpuMsPerIteration: number;
}

export interface ActivationsResult {
  pollIntervalSeconds: number;
  pollCounts: [number, number];
  runsPerCount: number;
  bundle: string;
  small: ActivationCounts;
  large: ActivationCounts;
  /** Δ(large − small) / ΔGETs */
  perIteration: { activations: number; promises: number; sinkCalls: number; activateMs: number };
  method: string;
  replays: number;
  replay: ReplayVariant[];
}

const SOURCE_MAP_COMMENT = '//# sourceMappingURL=data:';

/** Bundle variants for the replay comparison, written next to the scratch files. */
function bundleVariants(
  bundlePath: string,
  dir: string,
): Array<Omit<ReplayVariant, 'cpuMsPerIteration'> & { path: string }> {
  const code = readFileSync(bundlePath, 'utf8');
  const at = code.lastIndexOf(SOURCE_MAP_COMMENT);
  if (at < 0) throw new Error(`${bundlePath}: no inline source map`);
  const body = code.slice(0, at);
  const map = code.slice(at);
  const emptyMap =
    `${SOURCE_MAP_COMMENT}application/json;base64,` +
    Buffer.from(JSON.stringify({ version: 3, sources: [], names: [], mappings: '' })).toString('base64');
  const write = (name: string, text: string) => {
    const path = join(dir, `workflow-bundle-${name}.js`);
    writeFileSync(path, text);
    return path;
  };
  return [
    {
      variant: 'as built',
      description: 'the bundle as `npm run build` wrote it (inline source map, its own stackTraceLimit)',
      path: bundlePath,
    },
    {
      variant: 'empty source map',
      description: 'inline source map with no mappings (stack frames lose their file and line)',
      path: write('empty-map', body + emptyMap),
    },
    {
      variant: 'stackTraceLimit 10',
      description:
        "Error.stackTraceLimit = 10 in the workflow context: V8's default, the bundle before its limit",
      path: write('limit-10', `${body};Error.stackTraceLimit = 10;\n${map}`),
    },
    {
      variant: 'stackTraceLimit 0',
      description:
        'Error.stackTraceLimit = 0: no stacks in workflow code (the SDK hook then skips its bookkeeping)',
      path: write('limit-0', `${body};Error.stackTraceLimit = 0;\n${map}`),
    },
  ];
}

/** Process CPU ms (all threads) per batch, replayed in a child process under plain node or tsx. */
async function replayCpu(codePath: string, historiesFile: string, program: WorkerProgram): Promise<number[]> {
  const child = spawn(
    process.execPath,
    [...(program === 'tsx' ? ['--import', 'tsx'] : []), 'bench/lib/replay-cpu.mjs'],
    {
      cwd: projectRoot,
      env: { ...process.env, BENCH_REPLAY: JSON.stringify({ codePath, historiesFile }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`replay of ${codePath} exited with ${code}`);
  return JSON.parse(out) as number[];
}

const METHOD =
  'in-process worker in debug mode (workflows on the main thread, reusable V8 context); activations = BaseVMWorkflow.activate calls; ' +
  'promises = v8.promiseHooks init with a constructor from another realm (workflow code); sink calls = lengths returned by getAndResetSinkCalls; ' +
  'activate ms = wall time inside activate (includes the SDK promise hook and stack traces). Per iteration = Δ / ΔGETs between runs with two poll counts.';

export async function runActivations(ctx: BenchContext): Promise<ActivationsResult> {
  const interval = 1;
  const pollCounts: [number, number] = ctx.quick ? [2, 8] : [3, 23];
  const runsPerCount = ctx.quick ? 2 : 5;
  const taskQueue = `bench-activations-${ctx.tag}`;
  const loaded = loadWorkerConfig(ctx.workerEnv(taskQueue));
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));

  const counts = { activations: 0, promises: 0, sinkCalls: 0, activateMs: 0 };
  const proto = BaseVMWorkflow.prototype as unknown as {
    activate: (...args: unknown[]) => Promise<unknown>;
    getAndResetSinkCalls: () => Promise<unknown[]>;
  };
  const { activate, getAndResetSinkCalls } = proto;
  proto.activate = async function (this: unknown, ...args: unknown[]) {
    counts.activations++;
    const t = performance.now();
    try {
      return await activate.apply(this, args);
    } finally {
      counts.activateMs += performance.now() - t;
    }
  };
  proto.getAndResetSinkCalls = async function (this: unknown) {
    const calls = await getAndResetSinkCalls.call(this);
    counts.sinkCalls += calls.length;
    return calls;
  };
  const stopHook = promiseHooks.onInit((promise) => {
    if ((promise as Promise<unknown>).constructor !== Promise) counts.promises++;
  });

  const { worker } = await createArazzoWorker({
    config: loaded.config,
    connection: ctx.nativeConnection,
    env: ctx.workerEnv(taskQueue),
    workerOptions: { debugMode: true, shutdownGraceTime: '1 second' },
  });
  const running = worker.run();
  try {
    const handles = new Map<number, WorkflowHandle[]>();
    const measure = async (runningPolls: number): Promise<ActivationCounts> => {
      const before = { ...counts };
      const connections = Array.from(
        { length: runsPerCount },
        () =>
          ctx.sim.addConnection({ scenario: { clock: 'polls', pendingPolls: 1, runningPolls } }).connectionId,
      );
      await Promise.all(
        connections.map(async (connectionId, i) => {
          const handle = await ctx.client.workflow.start('trigger-sync-and-poll', {
            taskQueue,
            workflowId: `bench-activations-${ctx.tag}-${runningPolls}-${i}`,
            args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: interval } }],
          });
          handles.set(runningPolls, [...(handles.get(runningPolls) ?? []), handle]);
          const outcome = await Promise.race([
            handle.result().then(() => 'ok'),
            sleep(180_000).then(() => 'timeout'),
          ]);
          if (outcome !== 'ok')
            throw new Error(`activations: run ${i} with ${runningPolls} polls: ${outcome}`);
        }),
      );
      // Let the last workflow task's completion (and its sink calls) settle.
      await sleep(500);
      const gets = connections.reduce((a, id) => a + ctx.sim.jobs(id).reduce((b, j) => b + j.reads, 0), 0);
      return {
        gets,
        activations: counts.activations - before.activations,
        promises: counts.promises - before.promises,
        sinkCalls: counts.sinkCalls - before.sinkCalls,
        activateMs: round(counts.activateMs - before.activateMs, 1)!,
      };
    };
    // One warm-up run, so the context and the plan cache are in place before counting.
    await measure(1);
    const small = await measure(pollCounts[0]);
    const large = await measure(pollCounts[1]);
    const dGets = large.gets - small.gets;
    const per = (f: (c: ActivationCounts) => number, digits = 2) =>
      round((f(large) - f(small)) / dGets, digits)!;
    // Replays: the first history once to warm up, then every small and every large one `reps` times.
    const reps = ctx.quick ? 2 : 6;
    const history = async (h: WorkflowHandle, copy: number) => ({
      workflowId: `${h.workflowId}-replay-${copy}`,
      history: JSON.parse(historyToJSON(await h.fetchHistory())) as unknown,
    });
    const batch = async (k: number) =>
      Promise.all(
        Array.from({ length: reps }, (_, copy) => (handles.get(k) ?? []).map((h) => history(h, copy))).flat(),
      );
    const smallHistories = await batch(pollCounts[0]);
    const largeHistories = await batch(pollCounts[1]);
    const historiesFile = join(ctx.tmpDir, 'activations-histories.json');
    writeFileSync(historiesFile, JSON.stringify([[smallHistories[0]!], smallHistories, largeHistories]));
    const replay: ReplayVariant[] = [];
    const variants = bundleVariants(ctx.bundlePath, ctx.tmpDir).flatMap((v) => [
      { ...v, program: 'compiled' as const },
      ...(v.variant === 'as built'
        ? [
            {
              ...v,
              variant: `${v.variant}, under tsx`,
              program: 'tsx' as const,
              description: `${v.description}; the replaying process runs under tsx (--import tsx), as \`npm run worker\` ran the worker`,
            },
          ]
        : []),
    ]);
    for (const v of variants) {
      const [, smallMs, largeMs] = await replayCpu(v.path, historiesFile, v.program);
      const cpuMsPerIteration = round((largeMs! - smallMs!) / (reps * dGets), 3)!;
      replay.push({ variant: v.variant, description: v.description, cpuMsPerIteration });
      ctx.log(`activations: replay, ${v.variant}: ${cpuMsPerIteration} CPU ms per iteration`);
    }
    const result: ActivationsResult = {
      pollIntervalSeconds: interval,
      pollCounts,
      runsPerCount,
      bundle: ctx.bundlePath,
      small,
      large,
      perIteration: {
        activations: per((c) => c.activations),
        promises: per((c) => c.promises),
        sinkCalls: per((c) => c.sinkCalls),
        activateMs: per((c) => c.activateMs, 3),
      },
      method: METHOD,
      replays: reps,
      replay,
    };
    ctx.log(
      `activations: per iteration ${result.perIteration.activations} activations, ${result.perIteration.promises} promises, ` +
        `${result.perIteration.sinkCalls} sink calls, ${result.perIteration.activateMs} ms inside activate`,
    );
    return result;
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    stopHook();
    proto.activate = activate;
    proto.getAndResetSinkCalls = getAndResetSinkCalls;
  }
}
