/**
 * Scenario `wait`: the cost of waiting, per design. Four designs run the same jobs side by side,
 * each on a fresh worker process: a timer per poll with a constant interval or the age schedule,
 * and polling inside one heartbeating activity (`pollIn: 'activity'`) with either schedule.
 *
 * Time is compressed 5×: a 1 s interval stands for the default 5 s, jobs run about a minute. Per
 * design: polls, history events and actions per run (measured), the polls the schedule predicts
 * (`pollsBetween`), worker CPU per poll, detection delay (run closed − job ended in the
 * simulator), cancel latency (signal sent → the simulator's DELETE), and crash recovery (worker
 * killed: SIGTERM, SIGKILL at once → first read of each job by the replacement worker).
 */
import { pollsBetween, type PollSchedule } from '../../src/arazzo/run/poll-schedule.js';
import type { BenchContext } from '../lib/context.js';
import { fetchChain, addCounts } from '../lib/history.js';
import { readCpuSeconds } from '../lib/proc.js';
import { round, sleep, summarize, type Summary } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';

export interface WaitDesignRun {
  design: string;
  pollIn: 'workflow' | 'activity';
  schedule: PollSchedule;
  n: number;
  completed: number;
  /** GETs per run (mean), and what the schedule predicts for the job's length. */
  getsPerRun: number;
  predictedGetsPerRun: number;
  eventsPerRun: number;
  /** Actions in history per run (heartbeats are not in history: see heartbeatActionsPerRun). */
  actionsPerRun: number;
  /** Activity heartbeats that reach the server, estimated: one per 80 % of the heartbeat timeout per attempt. */
  heartbeatActionsPerRun: number;
  workerCpuSeconds: number;
  cpuMsPerPoll: number;
  detectionOverheadMs: Summary;
  cancelLatencyMs: Summary;
  crashRecoveryMs: Summary;
}

export interface WaitCostResult {
  intervalSeconds: number;
  jobSeconds: number;
  heartbeatTimeoutSeconds: number;
  designs: WaitDesignRun[];
  loadBefore: string;
}

const DESIGNS: Array<{ design: string; pollIn: 'workflow' | 'activity'; schedule: PollSchedule }> = [
  { design: 'timer, constant', pollIn: 'workflow', schedule: { kind: 'constant' } },
  { design: 'timer, age 10 %', pollIn: 'workflow', schedule: { kind: 'age', fraction: 0.1 } },
  { design: 'activity, constant', pollIn: 'activity', schedule: { kind: 'constant' } },
  { design: 'activity, age 10 %', pollIn: 'activity', schedule: { kind: 'age', fraction: 0.1 } },
];

export async function runWaitCost(
  ctx: BenchContext,
  heartbeatTimeoutSeconds: number,
): Promise<WaitCostResult> {
  const interval = 1;
  const n = ctx.quick ? 4 : 20;
  const jobSeconds = ctx.quick ? 20 : 60;
  const { readFileSync } = await import('node:fs');
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  const designs: WaitDesignRun[] = [];
  for (const [d, spec] of DESIGNS.entries()) {
    const taskQueue = `bench-wait-${ctx.tag}-${d}`;
    let worker = await spawnWorker({ env: ctx.workerEnv(taskQueue), dir: ctx.tmpDir, label: `wait-${d}` });
    try {
      const options = { pollIntervalSeconds: interval, pollIn: spec.pollIn, pollSchedule: spec.schedule };
      const start = (connectionId: string, id: string) =>
        ctx.client.workflow.start('trigger-sync-and-poll', {
          taskQueue,
          workflowId: `bench-wait-${ctx.tag}-${d}-${id}`,
          args: [{ connectionId, 'x-temporal': options }],
        });

      // 1. N runs whose jobs run `jobSeconds`: polls, history, CPU, detection.
      const cpuBefore = readCpuSeconds(worker.pid) ?? 0;
      const connections = Array.from(
        { length: n },
        () =>
          ctx.sim.addConnection({
            scenario: { clock: 'wall', pendingMs: 1000, runningMs: jobSeconds * 1000 },
          }).connectionId,
      );
      const handles = await Promise.all(connections.map((c, i) => start(c, `run-${i}`)));
      const outcomes = await Promise.all(
        handles.map((h) =>
          h.result().then(
            () => true,
            () => false,
          ),
        ),
      );
      const cpu = (readCpuSeconds(worker.pid) ?? 0) - cpuBefore;
      let gets = 0;
      let events = 0;
      let actions = 0;
      let heartbeats = 0;
      const detection: number[] = [];
      for (const [i, handle] of handles.entries()) {
        const job = ctx.sim.jobs(connections[i])[0];
        gets += ctx.sim.requests().filter((r) => r.operationId === 'getJob' && r.jobId === job?.jobId).length;
        const count = addCounts(await fetchChain(ctx.client, handle.workflowId, handle.firstExecutionRunId));
        events += count.events;
        actions += count.actions;
        const described = await handle.describe();
        if (job?.endedAt && described.closeTime)
          detection.push(described.closeTime.getTime() - Date.parse(job.endedAt));
        if (spec.pollIn === 'activity') {
          // Each attempt sends its first heartbeat at once, then at most one per 80 % of the timeout.
          const activeSeconds = job?.endedAt
            ? (Date.parse(job.endedAt) - Date.parse(job.createdAt)) / 1000
            : 0;
          heartbeats += 1 + Math.floor(activeSeconds / (0.8 * heartbeatTimeoutSeconds));
        }
      }

      // 2. Cancel latency: 3 long jobs, a cancel signal after a few polls.
      const cancelLatency: number[] = [];
      for (let i = 0; i < 3; i++) {
        const connectionId = ctx.sim.addConnection({
          scenario: { clock: 'wall', pendingMs: 1000, runningMs: 3_600_000 },
        }).connectionId;
        const handle = await start(connectionId, `cancel-${i}`);
        await sleep(6000);
        const sentMs = Date.now();
        await handle.signal('cancel', { reason: 'benchmark' });
        await handle.result().catch(() => undefined);
        const del = ctx.sim
          .requests()
          .find(
            (r) => r.connectionId === connectionId && r.method === 'DELETE' && Date.parse(r.time) >= sentMs,
          );
        const jobId = ctx.sim.jobs(connectionId)[0]?.jobId;
        const delByJob =
          del ??
          ctx.sim
            .requests()
            .find((r) => r.jobId === jobId && r.method === 'DELETE' && Date.parse(r.time) >= sentMs);
        if (delByJob) cancelLatency.push(Date.parse(delByJob.time) - sentMs);
      }

      // 3. Crash recovery: 3 long jobs, the worker killed mid-wait (SIGTERM, SIGKILL at once), a new one started at once.
      const crashConnections = Array.from(
        { length: 3 },
        () =>
          ctx.sim.addConnection({ scenario: { clock: 'wall', pendingMs: 1000, runningMs: 3_600_000 } })
            .connectionId,
      );
      const crashHandles = await Promise.all(crashConnections.map((c, i) => start(c, `crash-${i}`)));
      await sleep(8000);
      const killedMs = Date.now();
      await worker.stop(0);
      worker = await spawnWorker({
        env: ctx.workerEnv(taskQueue),
        dir: ctx.tmpDir,
        label: `wait-${d}-after-kill`,
      });
      const recovery: number[] = [];
      const jobIds = crashConnections.map((c) => ctx.sim.jobs(c)[0]?.jobId);
      for (let waited = 0; waited < 180_000 && recovery.length < jobIds.length; waited += 500) {
        await sleep(500);
        recovery.length = 0;
        for (const jobId of jobIds) {
          const first = ctx.sim
            .requests()
            .find(
              (r) => r.jobId === jobId && r.operationId === 'getJob' && Date.parse(r.time) > killedMs + 50,
            );
          if (first) recovery.push(Date.parse(first.time) - killedMs);
        }
      }
      await Promise.all(crashHandles.map((h) => h.terminate('benchmark done').catch(() => undefined)));

      const predicted = pollsBetween(spec.schedule, interval, 60, 1, 1 + jobSeconds) + 1;
      designs.push({
        ...spec,
        n,
        completed: outcomes.filter(Boolean).length,
        getsPerRun: round(gets / n, 1)!,
        predictedGetsPerRun: predicted,
        eventsPerRun: round(events / n, 1)!,
        actionsPerRun: round(actions / n, 1)!,
        heartbeatActionsPerRun: round(heartbeats / n, 1)!,
        workerCpuSeconds: round(cpu, 2)!,
        cpuMsPerPoll: round((cpu * 1000) / Math.max(1, gets), 3)!,
        detectionOverheadMs: summarize(detection),
        cancelLatencyMs: summarize(cancelLatency),
        crashRecoveryMs: summarize(recovery),
      });
      ctx.log(`wait ${spec.design}: ${JSON.stringify(designs.at(-1))}`);
    } finally {
      await worker.stop();
    }
  }
  return { intervalSeconds: interval, jobSeconds, heartbeatTimeoutSeconds, designs, loadBefore };
}
