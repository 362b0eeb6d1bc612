/**
 * Scenario `scale` (and `limit`): N concurrent trigger-sync-and-poll runs against wall-clock jobs
 * of tens of seconds, side by side with a bare Node loop (`bench/bare-loop.ts`, no Temporal) that
 * polls N jobs of the same scenarios at the same interval. Worker and bare loop are separate
 * processes sampled through /proc; the dev server too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { projectRoot } from '../../src/config/project-root.js';
import type { BenchContext } from '../lib/context.js';
import { machineCpu, ProcSampler, threadCpu, waitForQuiet } from '../lib/proc.js';
import { eventTimeMs } from '../lib/history.js';
import { mapLimit, round, sleep, summarize, type Summary } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';
import type { BareResult } from '../bare-loop.js';

export interface ScaleSettings {
  pollIntervalSeconds: number;
  pendingMs: number;
  /** running phase of job i: runningMsMin + (i mod runningSpread) × 1000 */
  runningMsMin: number;
  runningSpread: number;
  startConcurrency: number;
  /** after the last start, how long runs get to finish beyond the longest job */
  graceSeconds: number;
}

export interface ProcessUse {
  cpuSeconds: number;
  peakRssMb: number;
  hwmMb?: number;
  maxCpuPercent: number;
  wallSeconds: number;
}

export interface TemporalScaleRun {
  n: number;
  completed: number;
  completionRate: number;
  failedOrOpen: number;
  /** final status of every run (TERMINATED = still open at the deadline) */
  byStatus: Record<string, number>;
  startPhaseSeconds: number;
  /** first start call → last run closed */
  wallSeconds: number;
  detectionOverheadMs: Summary;
  startToFirstRequestMs: Summary;
  /**
   * Runs started one a second while the N runs poll, from 10 s after the last of the N starts and
   * once all N have sent their first request (at most 180 s more): start → first request of a new
   * run behind a full load, without the burst of the N starts.
   */
  probeStartToFirstRequestMs?: Summary;
  /** When the probes began, after the last of the N start calls (s). */
  probesBeganAfterStartsSeconds?: number;
  /**
   * Where start → first request goes, from the histories of a sample of runs (event times):
   * the start call → the first workflow task started (waiting in the server and its queue), that
   * task (started → completed), the create activity waiting (scheduled → started), and the
   * activity's start → the create request in the simulator.
   */
  startPath?: {
    sampled: number;
    toFirstTaskMs: Summary;
    firstTaskMs: Summary;
    createQueuedMs: Summary;
    createStartToRequestMs: Summary;
  };
  polls: number;
  /** GETs per second while every job was running (after the last create + one interval, before the first job ended) */
  sustainedPollsPerSecond?: number;
  steadyWindowSeconds?: number;
  demandedPollsPerSecond: number;
  overallPollsPerSecond: number;
  worker: ProcessUse;
  workerThreads: Array<{ thread: string; cpuSeconds: number; threads: number }>;
  workerCpuMsPerPoll: number;
  devServer: ProcessUse;
  devServerCpuMsPerPoll: number;
  benchProcess: { cpuSeconds: number };
  /** whole machine during the run: busy CPU seconds of all cores, and what was not ours (other users' processes) */
  machine: {
    busyCpuSeconds: number;
    capacityCpuSeconds: number;
    othersCpuSeconds: number;
    busyBeforeStart?: number;
    waitedForQuietMs?: number;
  };
  /** worker CPU profile (--cpu-prof), from worker start to exit: so it includes start-up */
  profile?: ProfileSummary[];
}

export interface BareScaleRun {
  n: number;
  completed: number;
  polls: number;
  cpuSeconds: number;
  cpuMsPerPoll: number;
  peakRssMb: number;
  detectionOverheadMs: Summary;
  startToFirstRequestMs: Summary;
  sustainedPollsPerSecond?: number;
  wallSeconds: number;
  /** CPU seconds of other processes (not the bare loop) while it ran; the bench process's simulator is among them */
  othersCpuSeconds: number;
}

export interface ScaleResult {
  settings: ScaleSettings;
  workerOptions: string;
  devServerStorage: string;
  temporal: TemporalScaleRun[];
  /** the SDK floor (bench/floor) at the same N, when asked for (`--floor`) */
  floor?: TemporalScaleRun[];
  /** the engine with `pollIn: 'activity'` at the same N, when asked for (`--activity-polling`) */
  activity?: TemporalScaleRun[];
  bare: BareScaleRun[];
  stoppedAt?: { n: number; why: string };
}

export function scaleSettings(quick: boolean): ScaleSettings {
  return quick
    ? {
        pollIntervalSeconds: 2,
        pendingMs: 1000,
        runningMsMin: 8000,
        runningSpread: 5,
        startConcurrency: 32,
        graceSeconds: 60,
      }
    : {
        pollIntervalSeconds: 3,
        pendingMs: 1000,
        runningMsMin: 30_000,
        runningSpread: 16,
        startConcurrency: 64,
        graceSeconds: 120,
      };
}

export function jobScenario(s: ScaleSettings, i: number) {
  return {
    clock: 'wall' as const,
    pendingMs: s.pendingMs,
    runningMs: s.runningMsMin + (i % s.runningSpread) * 1000,
  };
}

/** GETs per second in the window where every job was in flight. */
function steadyRate(
  getTimes: number[],
  lastCreateMs: number,
  firstEndMs: number,
  intervalMs: number,
): { rate?: number; windowSeconds?: number } {
  const from = lastCreateMs + intervalMs;
  const to = firstEndMs;
  if (to - from < 2 * intervalMs) return {};
  const n = getTimes.filter((t) => t >= from && t < to).length;
  return { rate: n / ((to - from) / 1000), windowSeconds: (to - from) / 1000 };
}

export interface ProfileSummary {
  /** `main` (thread 0) or `thread N` (worker_threads: the workflow thread, tsx's loader) */
  thread: string;
  busyMs: number;
  wallMs: number;
  byPackage: Array<{ name: string; selfMs: number }>;
  top: Array<{ function: string; selfMs: number; percent: number }>;
}

/** Self time of a .cpuprofile by function and by package; percent of busy (non-idle) time. */
export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += dt;
      return;
    }
    // Paths relative to the clone; any other file keeps only its name (no machine paths in results).
    const short = url
      .replace(/^.*node_modules\//, '')
      .replace(`file://${projectRoot}/`, '')
      .replace(/^file:\/\/.*?\/(src|bench|simulator)\//, '$1/')
      .replace(/^file:\/\/.*\//, '');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg =
      /^\(/.test(functionName) && !url
        ? functionName
        : url.includes('node_modules/')
          ? (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? 'other')
          : url.startsWith('node:')
            ? 'node internals'
            : url.includes('workflow-bundle')
              ? 'workflow bundle (in the VM)'
              : /\/(src|simulator)\//.test(url)
                ? 'project src'
                : url === ''
                  ? 'native / VM (no url)'
                  : 'other';
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
  });
  const busy = total - idle;
  const threadId = /\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1] ?? '?';
  return {
    thread: threadId === '0' ? 'main' : `thread ${threadId}`,
    busyMs: Math.round(busy / 1000),
    wallMs: Math.round(total / 1000),
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000) })),
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({
        function: fn,
        selfMs: Math.round(us / 1000),
        percent: round((us / Math.max(1, busy)) * 100, 1)!,
      })),
  };
}

/** The busiest profiles in a --cpu-prof folder (threads with under 0.5 s of work left out). */
export function summarizeProfiles(dir: string): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarizeProfile(join(dir, f)))
    .filter((p) => p.busyMs >= 500)
    .sort((a, b) => b.busyMs - a.busyMs);
}

/** Runs started one a second behind the load (see `probeStartToFirstRequestMs`). */
const PROBES = 20;
/** How long the probes wait, at most, for the N runs' first requests. */
const PROBE_WAIT_FOR_BURST_MS = 180_000;

/** The start path of 40 runs spread over the start order, from their histories. */
async function sampleStartPath(
  ctx: BenchContext,
  connections: string[],
  startCalls: number[],
  idOf: (i: number) => string,
): Promise<TemporalScaleRun['startPath']> {
  const step = Math.max(1, Math.floor(connections.length / 40));
  const toFirstTask: number[] = [];
  const firstTask: number[] = [];
  const queued: number[] = [];
  const toRequest: number[] = [];
  for (let i = 0; i < connections.length; i += step) {
    try {
      const events = (await ctx.client.workflow.getHandle(idOf(i)).fetchHistory()).events ?? [];
      const started = events.find((e) => e.workflowTaskStartedEventAttributes);
      const completed = events.find((e) => e.workflowTaskCompletedEventAttributes);
      const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes);
      const actStarted = events.find((e) => e.activityTaskStartedEventAttributes);
      const job = ctx.sim.jobs(connections[i]!)[0];
      if (!started || !completed || !scheduled || !actStarted || !job) continue;
      toFirstTask.push(eventTimeMs(started) - startCalls[i]!);
      firstTask.push(eventTimeMs(completed) - eventTimeMs(started));
      queued.push(eventTimeMs(actStarted) - eventTimeMs(scheduled));
      toRequest.push(Date.parse(job.createdAt) - eventTimeMs(actStarted));
    } catch {
      // a run whose history cannot be read is left out of the sample
    }
  }
  if (toFirstTask.length === 0) return undefined;
  return {
    sampled: toFirstTask.length,
    toFirstTaskMs: summarize(toFirstTask),
    firstTaskMs: summarize(firstTask),
    createQueuedMs: summarize(queued),
    createStartToRequestMs: summarize(toRequest),
  };
}

/** What the Temporal side of a scale run runs: the project's worker, or the SDK floor's. */
interface TemporalDesign {
  label: string;
  /** worker program under tsx (relative to the project root); the project's worker if absent */
  entry?: string;
  workflowType: string;
  /** run options beyond the interval and the constant schedule */
  runOptions?: Record<string, unknown>;
  /** worker options (ARAZZO_WORKER_OPTIONS) for N runs */
  workerOptions?: (n: number) => Record<string, unknown>;
}

const ENGINE: TemporalDesign = { label: 'engine', workflowType: 'trigger-sync-and-poll' };
/** bench/floor: the same history shape written by hand (the SDK's and the server's floor). */
const FLOOR: TemporalDesign = { label: 'floor', entry: 'bench/floor/worker.ts', workflowType: 'floorPoll' };
/**
 * The engine polling inside one heartbeating activity (`pollIn: 'activity'`): each waiting run
 * holds an activity slot, so the worker gets one per run (and 100 more for the creates).
 */
const ACTIVITY: TemporalDesign = {
  label: 'activity',
  workflowType: 'trigger-sync-and-poll',
  runOptions: { pollIn: 'activity' },
  workerOptions: (n) => ({ maxConcurrentActivityTaskExecutions: n + 100 }),
};

async function runTemporal(
  ctx: BenchContext,
  s: ScaleSettings,
  n: number,
  profile: boolean,
  design: TemporalDesign = ENGINE,
): Promise<TemporalScaleRun> {
  const taskQueue = `bench-scale-${design.label}-${n}-${ctx.tag}`;
  const connections = Array.from(
    { length: n },
    (_, i) => ctx.sim.addConnection({ scenario: jobScenario(s, i) }).connectionId,
  );
  const probes = Array.from(
    { length: PROBES },
    (_, i) => ctx.sim.addConnection({ scenario: jobScenario(s, i) }).connectionId,
  );
  const probeCalls: number[] = [];
  const profileDir = join(ctx.tmpDir, `profile-${n}`);
  const worker = await spawnWorker({
    env: ctx.workerEnv(
      taskQueue,
      design.workerOptions
        ? {
            ARAZZO_WORKER_OPTIONS: JSON.stringify({
              ...(JSON.parse(ctx.workerEnv('').ARAZZO_WORKER_OPTIONS || '{}') as object),
              ...design.workerOptions(n),
            }),
          }
        : {},
    ),
    dir: ctx.tmpDir,
    label: `scale-${design.label}-worker-${n}`,
    ...(design.entry ? { entry: design.entry } : {}),
    ...(profile ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {}),
  });
  const quiet = await waitForQuiet(90_000);
  const workerSampler = new ProcSampler(worker.pid);
  const serverSampler = new ProcSampler(ctx.devServer.pid);
  const benchCpu = process.cpuUsage();
  const machineAtStart = machineCpu();
  ctx.sim.clearRequests();
  const intervalMs = s.pollIntervalSeconds * 1000;
  const startCalls: number[] = new Array(n);
  const t0 = Date.now();
  let threads: TemporalScaleRun['workerThreads'] = [];
  let workerUse: ProcessUse;
  let serverUse: ProcessUse;
  let open = n;
  // A constant schedule: this scenario measures the cost of a poll at a fixed demand (the age
  // schedule, the default, spreads polls out; the wait scenario measures that).
  const start = (connectionId: string, workflowId: string) =>
    ctx.client.workflow.start(design.workflowType, {
      taskQueue,
      workflowId,
      args: [
        {
          connectionId,
          'x-temporal': {
            pollIntervalSeconds: s.pollIntervalSeconds,
            pollSchedule: { kind: 'constant' },
            ...design.runOptions,
          },
        },
      ],
    });
  let probing: Promise<unknown> = Promise.resolve();
  let probesBeganAfterStartsMs: number | undefined;
  try {
    await mapLimit(connections, s.startConcurrency, async (connectionId, i) => {
      startCalls[i] = Date.now();
      await start(connectionId, `bench-scale-${design.label}-${ctx.tag}-${n}-${i}`);
    });
    const startPhaseSeconds = (Date.now() - t0) / 1000;
    probing = (async () => {
      // Behind the load, not inside the burst: from 10 s after the last start call, and once every
      // one of the N runs has sent its first request (bounded), so a probe waits only behind polls.
      await sleep(10_000);
      const absorbedBy = Date.now() + PROBE_WAIT_FOR_BURST_MS;
      while (Date.now() < absorbedBy && connections.some((c) => ctx.sim.jobs(c).length === 0))
        await sleep(500);
      probesBeganAfterStartsMs = Date.now() - Math.max(...startCalls);
      for (const [i, connectionId] of probes.entries()) {
        probeCalls[i] = Date.now();
        await start(connectionId, `bench-scale-${design.label}-${ctx.tag}-${n}-probe-${i}`).catch(
          () => undefined,
        );
        await sleep(1000);
      }
    })();
    ctx.log(`scale ${n}: started all in ${startPhaseSeconds.toFixed(1)} s`);
    const longestJobMs = s.pendingMs + s.runningMsMin + (s.runningSpread - 1) * 1000;
    const deadline = Date.now() + longestJobMs + s.graceSeconds * 1000;
    let lastReport = 0;
    while (Date.now() < deadline) {
      await sleep(2000);
      open = await ctx.client.workflow
        .count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`)
        .then((c) => c.count);
      if (open === 0) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        ctx.log(`scale ${n}: ${open} runs open, ${Math.round((Date.now() - t0) / 1000)} s`);
      }
    }
    await probing;
    threads = threadCpu(worker.pid);
    workerUse = workerSampler.stop();
    serverUse = serverSampler.stop();
    if (open > 0) {
      ctx.log(`scale ${n}: ${open} runs still open at the deadline; terminating them`);
      const ids: string[] = [];
      for await (const wf of ctx.client.workflow.list({
        query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
      }))
        ids.push(wf.workflowId);
      await mapLimit(ids, 32, (id) =>
        ctx.client.workflow
          .getHandle(id)
          .terminate('benchmark deadline')
          .catch(() => undefined),
      );
    }
  } finally {
    workerSampler.stop();
    serverSampler.stop();
    await worker.stop();
  }
  const bench = process.cpuUsage(benchCpu);
  const machineAtEnd = machineCpu();
  const busy = machineAtEnd.busySeconds - machineAtStart.busySeconds;
  const ours = workerUse!.cpuSeconds + serverUse!.cpuSeconds + (bench.user + bench.system) / 1e6;

  // Close times from visibility; job terminal times from the simulator.
  const closeById = new Map<string, { closeMs?: number; status: string }>();
  for await (const wf of ctx.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    closeById.set(wf.workflowId, { closeMs: wf.closeTime?.getTime(), status: wf.status.name });
  }
  const byStatus: Record<string, number> = {};
  for (const { status } of closeById.values()) byStatus[status] = (byStatus[status] ?? 0) + 1;
  const detection: number[] = [];
  const firstRequest: number[] = [];
  let completed = 0;
  let lastCreate = 0;
  let firstEnd = Infinity;
  let lastClose = 0;
  connections.forEach((connectionId, i) => {
    const job = ctx.sim.jobs(connectionId)[0];
    const run = closeById.get(`bench-scale-${design.label}-${ctx.tag}-${n}-${i}`);
    if (job) {
      const created = Date.parse(job.createdAt);
      firstRequest.push(created - startCalls[i]!);
      lastCreate = Math.max(lastCreate, created);
      if (job.endedAt) firstEnd = Math.min(firstEnd, Date.parse(job.endedAt));
      if (run?.status === 'COMPLETED' && run.closeMs !== undefined && job.endedAt) {
        completed++;
        detection.push(run.closeMs - Date.parse(job.endedAt));
        lastClose = Math.max(lastClose, run.closeMs);
      }
    }
  });
  const probeFirstRequest = probes.flatMap((connectionId, i) => {
    const job = ctx.sim.jobs(connectionId)[0];
    return job && probeCalls[i] !== undefined ? [Date.parse(job.createdAt) - probeCalls[i]] : [];
  });
  const startPath = await sampleStartPath(
    ctx,
    connections,
    startCalls,
    (i) => `bench-scale-${design.label}-${ctx.tag}-${n}-${i}`,
  );
  const connectionSet = new Set(connections);
  const getTimes = ctx.sim
    .requests()
    .filter(
      (r) => r.operationId === 'getJob' && r.connectionId !== undefined && connectionSet.has(r.connectionId),
    )
    .map((r) => Date.parse(r.time));
  const polls = getTimes.length;
  const steady = steadyRate(getTimes, lastCreate, firstEnd, intervalMs);
  const span = getTimes.length > 1 ? (Math.max(...getTimes) - Math.min(...getTimes)) / 1000 : 0;

  let profileSummary: TemporalScaleRun['profile'];
  if (profile) {
    try {
      profileSummary = summarizeProfiles(profileDir);
    } catch (error) {
      ctx.log(`scale ${n}: could not read the CPU profile: ${String(error)}`);
    }
  }

  return {
    n,
    completed,
    completionRate: round(completed / n, 4)!,
    failedOrOpen: n - completed,
    byStatus,
    startPhaseSeconds: round((Math.max(...startCalls) - t0) / 1000, 1)!,
    wallSeconds: round((lastClose - t0) / 1000, 1)!,
    detectionOverheadMs: summarize(detection),
    startToFirstRequestMs: summarize(firstRequest),
    ...(startPath ? { startPath } : {}),
    ...(probeFirstRequest.length ? { probeStartToFirstRequestMs: summarize(probeFirstRequest) } : {}),
    ...(probesBeganAfterStartsMs !== undefined
      ? { probesBeganAfterStartsSeconds: round(probesBeganAfterStartsMs / 1000, 1)! }
      : {}),
    polls,
    sustainedPollsPerSecond: round(steady.rate, 1),
    steadyWindowSeconds: round(steady.windowSeconds, 1),
    demandedPollsPerSecond: round(n / s.pollIntervalSeconds, 1)!,
    overallPollsPerSecond: round(span > 0 ? polls / span : 0, 1)!,
    worker: workerUse!,
    workerThreads: threads,
    workerCpuMsPerPoll: round((workerUse!.cpuSeconds * 1000) / Math.max(1, polls), 3)!,
    devServer: serverUse!,
    devServerCpuMsPerPoll: round((serverUse!.cpuSeconds * 1000) / Math.max(1, polls), 3)!,
    benchProcess: { cpuSeconds: round((bench.user + bench.system) / 1e6, 2)! },
    machine: {
      busyCpuSeconds: round(busy, 1)!,
      capacityCpuSeconds: round(machineAtEnd.totalSeconds - machineAtStart.totalSeconds, 1)!,
      othersCpuSeconds: round(Math.max(0, busy - ours), 1)!,
      busyBeforeStart: quiet.busyFraction,
      waitedForQuietMs: quiet.waitedMs,
    },
    ...(profileSummary ? { profile: profileSummary } : {}),
  };
}

async function runBare(ctx: BenchContext, s: ScaleSettings, n: number): Promise<BareScaleRun> {
  const connections = Array.from(
    { length: n },
    (_, i) => ctx.sim.addConnection({ scenario: jobScenario(s, i) }).connectionId,
  );
  const outFile = join(ctx.tmpDir, `bare-${n}.json`);
  const longestJobMs = s.pendingMs + s.runningMsMin + (s.runningSpread - 1) * 1000;
  const config = {
    apiUrl: ctx.sim.url,
    connectionIds: connections,
    intervalMs: s.pollIntervalSeconds * 1000,
    outFile,
    startConcurrency: s.startConcurrency,
    deadlineMs: longestJobMs + s.graceSeconds * 1000,
  };
  await waitForQuiet(60_000);
  ctx.sim.clearRequests();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-loop.ts'], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_BARE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const sampler = new ProcSampler(child.pid ?? -1);
  const machineAtStart = machineCpu();
  const code = await new Promise<number | null>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), config.deadlineMs + 60_000);
    child.once('exit', (c) => {
      clearTimeout(kill);
      resolve(c);
    });
  });
  const use = sampler.stop();
  const machineAtEnd = machineCpu();
  if (code !== 0) throw new Error(`bare loop for ${n} jobs exited with ${code}`);
  const result = JSON.parse(readFileSync(outFile, 'utf8')) as BareResult;
  const detection: number[] = [];
  const firstRequest: number[] = [];
  let lastCreate = 0;
  let firstEnd = Infinity;
  for (const job of result.jobs) {
    const simJob = ctx.sim.jobs(job.connectionId)[0];
    if (!simJob) continue;
    const created = Date.parse(simJob.createdAt);
    firstRequest.push(created - job.startMs);
    lastCreate = Math.max(lastCreate, created);
    if (simJob.endedAt) {
      firstEnd = Math.min(firstEnd, Date.parse(simJob.endedAt));
      if (job.detectedAtMs !== undefined) detection.push(job.detectedAtMs - Date.parse(simJob.endedAt));
    }
  }
  const connectionSet = new Set(connections);
  const getTimes = ctx.sim
    .requests()
    .filter(
      (r) => r.operationId === 'getJob' && r.connectionId !== undefined && connectionSet.has(r.connectionId),
    )
    .map((r) => Date.parse(r.time));
  const steady = steadyRate(getTimes, lastCreate, firstEnd, s.pollIntervalSeconds * 1000);
  return {
    n,
    completed: detection.length,
    polls: result.polls,
    cpuSeconds: round(result.cpuSeconds, 2)!,
    cpuMsPerPoll: round((result.cpuSeconds * 1000) / Math.max(1, result.polls), 3)!,
    peakRssMb: round(use.peakRssMb, 1)!,
    detectionOverheadMs: summarize(detection),
    startToFirstRequestMs: summarize(firstRequest),
    sustainedPollsPerSecond: round(steady.rate, 1),
    wallSeconds: round(result.wallSeconds, 1)!,
    othersCpuSeconds: round(
      Math.max(0, machineAtEnd.busySeconds - machineAtStart.busySeconds - result.cpuSeconds),
      1,
    )!,
  };
}

/** `scale`: Temporal runs and the bare loop at each N; `limit`: the bare loop alone. */
export async function runScale(
  ctx: BenchContext,
  options: { temporal: boolean; bare: boolean; sizes?: number[]; floor?: boolean; activity?: boolean },
): Promise<ScaleResult> {
  const s = scaleSettings(ctx.quick);
  const sizes = options.sizes ?? (ctx.quick ? [20, 100] : [100, 300, 1000, 2000, 3000]);
  // The CPU profile perturbs the run it is taken in: take it below the 1,000 goal run.
  const profiledN = ctx.quick
    ? sizes[sizes.length - 1]
    : (sizes.find((n) => n >= 300 && n < 1000) ?? sizes[sizes.length - 1]);
  const result: ScaleResult = {
    settings: s,
    workerOptions: ctx.workerEnv('').ARAZZO_WORKER_OPTIONS
      ? `ARAZZO_WORKER_OPTIONS=${ctx.workerEnv('').ARAZZO_WORKER_OPTIONS}, the rest SDK defaults`
      : 'SDK defaults: maxConcurrentWorkflowTaskExecutions 40, maxConcurrentLocalActivityExecutions 100, workflow-task pollers 10 (nonStickyToStickyPollRatio 0.2: 2 on the normal queue, 8 on the sticky one), maxCachedWorkflows from heap size',
    devServerStorage: `SQLite file (--db-filename in a scratch folder; pragmas ${ctx.devServerPragmas}), --log-level error, headless`,
    temporal: [],
    bare: [],
  };
  const mustHold = ctx.quick ? 0 : 1000;
  for (const n of sizes) {
    if (options.temporal) {
      const profile = ctx.profile && n === profiledN;
      ctx.log(`scale ${n}: Temporal runs${profile ? ' (worker CPU profile on)' : ''}`);
      const run = await runTemporal(ctx, s, n, profile);
      result.temporal.push(run);
      ctx.log(
        `scale ${n}: ${run.completed}/${n} completed, detection p99 ${run.detectionOverheadMs.p99} ms, ` +
          `sustained ${run.sustainedPollsPerSecond ?? '-'} polls/s, worker ${run.worker.cpuSeconds.toFixed(1)} CPU s, peak ${run.worker.peakRssMb.toFixed(0)} MB`,
      );
      await sleep(3000);
    }
    if (options.floor) {
      ctx.log(`scale ${n}: the SDK floor (bench/floor)`);
      const run = await runTemporal(ctx, s, n, false, FLOOR);
      (result.floor ??= []).push(run);
      ctx.log(
        `scale ${n}: floor ${run.completed}/${n} completed, worker ${run.workerCpuMsPerPoll} CPU ms/poll, ` +
          `dev server ${run.devServerCpuMsPerPoll} ms/poll, peak ${run.worker.peakRssMb.toFixed(0)} MB`,
      );
      await sleep(3000);
    }
    if (options.activity) {
      ctx.log(`scale ${n}: the engine polling in an activity (pollIn: 'activity')`);
      const run = await runTemporal(ctx, s, n, false, ACTIVITY);
      (result.activity ??= []).push(run);
      ctx.log(
        `scale ${n}: activity polling ${run.completed}/${n} completed, worker ${run.workerCpuMsPerPoll} CPU ms/poll, ` +
          `dev server ${run.devServerCpuMsPerPoll} ms/poll, peak ${run.worker.peakRssMb.toFixed(0)} MB`,
      );
      await sleep(3000);
    }
    if (options.bare) {
      ctx.log(`scale ${n}: bare loop`);
      const bare = await runBare(ctx, s, n);
      result.bare.push(bare);
      ctx.log(
        `scale ${n}: bare loop ${bare.completed}/${n}, ${bare.cpuMsPerPoll} CPU ms/poll, detection p99 ${bare.detectionOverheadMs.p99} ms`,
      );
    }
    const last = result.temporal[result.temporal.length - 1];
    if (options.temporal && last && last.n === n && n >= mustHold && last.completionRate < 1) {
      result.stoppedAt = { n, why: `${last.failedOrOpen} of ${n} runs did not complete in time` };
      break;
    }
    ctx.sim.clearRequests();
  }
  return result;
}
